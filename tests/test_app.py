"""The app served in-process and called through gradio_client, as a Space visitor's script would."""

import os

import pytest

import lmdemo

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client():
    if "shakespeare-char" not in lmdemo.available_models():
        pytest.skip("the shipped shakespeare-char checkpoint is missing")
    from gradio_client import Client

    import app

    demo = app.build_demo()
    demo.queue().launch(prevent_thread_lock=True, server_port=int(os.environ.get("LMDEMO_TEST_PORT", "7871")))
    try:
        yield Client(f"http://127.0.0.1:{demo.server_port}/", verbose=False)
    finally:
        demo.close()


def test_generate_endpoint_streams_reproducible_text(client):
    args = dict(prompt="ROMEO:", model_name="shakespeare-char", sampler="top_k", max_new_tokens=30,
                temperature=0.8, top_k=20, top_p=0.9, num_beams=4, seed=7, api_name="/generate")
    job = client.submit(**args)
    chunks = list(job)
    assert len(chunks) >= 2 and chunks[-1].startswith(chunks[0])
    assert len(chunks[-1]) == 30
    assert client.predict(**args) == chunks[-1]
    assert chunks[-1] == lmdemo.load_model("shakespeare-char").generate(
        "ROMEO:", 30, sampler="top_k", temperature=0.8, top_k=20, top_p=0.9, seed=7)


def test_generate_endpoint_reports_bad_input(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="Value 0 is less than minimum value 1"):  # Gradio's slider check
        client.predict("ROMEO:", "shakespeare-char", "greedy", 0, 1.0, 10, 0.9, 4, 0, api_name="/generate")
    with pytest.raises(AppError, match="prompt has 20,000 characters"):
        client.predict("a" * 20_000, "shakespeare-char", "greedy", 5, 1.0, 10, 0.9, 4, 0, api_name="/generate")
