import os
import tempfile

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# harness runs record into a run history: the tests' own file, never the user's cache
os.environ["LMDEMO_RUNS_DB"] = os.path.join(tempfile.mkdtemp(prefix="lmdemo-test-runs-"), "runs.sqlite")

import lmdemo  # noqa: E402  (selects the JAX backend before anything imports keras)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_DATA = os.path.join(os.path.dirname(REPO), "shared", "data")

TOY_TEXT = (
    "First Citizen:\nBefore we proceed any further, hear me speak.\n\n"
    "All:\nSpeak, speak.\n\nFirst Citizen:\nYou are all resolved rather to die than to famish?\n"
) * 20


@pytest.fixture(scope="session")
def toy_tokenizer():
    return lmdemo.CharTokenizer.train(TOY_TEXT)


@pytest.fixture(scope="session")
def toy_lm(toy_tokenizer):
    import keras

    keras.utils.set_random_seed(0)
    return lmdemo.TransformerLM.create(
        toy_tokenizer, lmdemo.TransformerConfig(max_length=16, num_layers=2, num_heads=2, d_model=32))


def served_app(port_variable, default_port):
    """Serve the app in this process (as ``python app.py`` does); yields its URL, closes it after.

    Skips when the shipped shakespeare-char model, which the app tests use, is missing. The port
    comes from the environment variable ``port_variable`` (default ``default_port``).
    """
    if "shakespeare-char" not in lmdemo.available_models():
        pytest.skip("the shipped shakespeare-char checkpoint is missing")
    import app

    demo = app.build_demo()
    app.launch(demo, prevent_thread_lock=True, quiet=True,
               server_port=int(os.environ.get(port_variable, str(default_port))))
    try:
        yield f"http://127.0.0.1:{demo.server_port}/"
    finally:
        demo.close()


def shared_data(*parts):
    path = os.path.join(SHARED_DATA, *parts)
    if not os.path.exists(path):
        pytest.skip(f"shared dataset not found at {path} (CI provides ../shared/data)")
    return path


HF_FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "hf")
HUB_COMMIT = "0123456789abcdef0123456789abcdef01234567"


def offline_hub_cache(folder, monkeypatch, models=("tiny-gpt2",)):
    """A Hugging Face cache in ``folder`` laid out as huggingface_hub lays it out, holding the fixtures
    ``models`` as ``hf:lmdemo-tests/NAME`` (``models--OWNER--NAME/refs/main`` names the snapshot
    ``snapshots/COMMIT/``), and huggingface_hub kept offline, as on this machine."""
    from huggingface_hub import constants

    for name in models:
        repo = folder / f"models--lmdemo-tests--{name}"
        (repo / "refs").mkdir(parents=True)
        (repo / "refs" / "main").write_text(HUB_COMMIT)
        copy_hf_fixture(name, repo / "snapshots" / HUB_COMMIT)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(folder))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    return folder


def copy_hf_fixture(name, out, leave_out=()):
    """A copy at ``out`` of the Hugging Face fixture ``name`` (``tests/fixtures/hf/NAME``) without its
    ``expected.json`` and the files ``leave_out``, for a test to change."""
    import shutil

    shutil.copytree(os.path.join(HF_FIXTURES, name), out, ignore=shutil.ignore_patterns("expected.json", *leave_out))
    return out


def edit_hf_config(folder, **changes):
    """Sets ``changes`` in ``folder``'s ``config.json``."""
    import json

    path = folder / "config.json"
    config = json.loads(path.read_text())
    config.update(changes)
    path.write_text(json.dumps(config))


def edit_hf_weights(folder, change):
    """Rewrites ``folder``'s ``model.safetensors`` after ``change(tensors)`` (a dict it may change in place)."""
    from safetensors.numpy import load_file, save_file

    path = str(folder / "model.safetensors")
    tensors = load_file(path)
    change(tensors)
    save_file(tensors, path)
