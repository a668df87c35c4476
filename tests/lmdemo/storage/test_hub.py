"""``hf:`` model ids (lmdemo/storage/hub.py), on a local cache laid out as huggingface_hub lays it out
(``models--OWNER--NAME/refs/main`` naming a snapshot, ``snapshots/COMMIT/`` holding the files). This machine
cannot reach the Hub, so a model outside the cache must be refused with a message that says so."""

import os

import numpy as np
import pytest

import lmdemo
from lmdemo.registry import checkpoint_task
from lmdemo.storage.hub import hub_folder, parse_hub_id
from tests.conftest import HF_FIXTURES, HUB_COMMIT, offline_hub_cache

GPT2 = os.path.join(HF_FIXTURES, "tiny-gpt2")


@pytest.fixture
def hub_cache(tmp_path, monkeypatch):
    return offline_hub_cache(tmp_path / "hub", monkeypatch)


def test_a_cached_hub_model_loads_by_its_id(hub_cache):
    folder = hub_folder("hf:lmdemo-tests/tiny-gpt2")
    assert folder == str(hub_cache / "models--lmdemo-tests--tiny-gpt2" / "snapshots" / HUB_COMMIT)
    lm = lmdemo.load_model("hf:lmdemo-tests/tiny-gpt2")
    assert lm.kind == "transformer" and checkpoint_task("hf:lmdemo-tests/tiny-gpt2") == "lm"
    assert "hf:lmdemo-tests/tiny-gpt2" in lm.card
    np.testing.assert_allclose(lm.log_probs("Hello there"), lmdemo.load_model(GPT2).log_probs("Hello there"))


def test_a_model_the_machine_cannot_download_is_refused_by_id(hub_cache):
    with pytest.raises(ValueError, match=r"'hf:lmdemo-tests/absent' cannot be downloaded: this machine cannot reach "
                                         r"the Hugging Face Hub and the model is not in the local cache"):
        lmdemo.load_model("hf:lmdemo-tests/absent")


@pytest.mark.parametrize("bad", ["hf:", "hf:a b", "hf:../x", "hf:owner/name/extra", "hf:-x", "hf:a--b/c"])
def test_malformed_ids_are_refused_before_any_download(bad):
    with pytest.raises(ValueError, match="is not a Hugging Face model id: write hf:NAME or hf:OWNER/NAME"):
        parse_hub_id(bad)


def test_ids_name_an_optional_revision():
    assert parse_hub_id("hf:openai-community/gpt2") == ("openai-community/gpt2", None)
    assert parse_hub_id("hf:distilgpt2@main") == ("distilgpt2", "main")
