import json
import os

import numpy as np

import lmdemo
from lmdemo.config import EncoderConfig
from lmdemo.tasks import MaskedLMModel
from tests.conftest import TOY_TEXT


def test_masked_lm_round_trip_and_checkpoints_written_with_a_classifier_config(tmp_path):
    tok = lmdemo.BPETokenizer.train([TOY_TEXT], vocab_size=300)
    model = MaskedLMModel.create(tok, EncoderConfig(max_length=16, num_layers=1, num_heads=2, d_model=16))
    assert model.mask_id == tok.start_id and model.task is None
    path = str(tmp_path / "mlm")
    model.save(path)
    with open(os.path.join(path, "config.json"), encoding="utf-8") as f:
        stored = json.load(f)
    assert (stored["kind"], stored["task"]) == ("masked-lm", None) and "labels" not in stored["config"]
    # before EncoderConfig, a masked LM stored the classifier's config: its label fields are dropped on loading
    stored["config"].update(labels=["negative", "positive"], pooling="mean", ngram_expert=False)
    with open(os.path.join(path, "config.json"), "w", encoding="utf-8") as f:
        json.dump(stored, f)
    loaded = lmdemo.load_model(path)
    assert type(loaded.config) is EncoderConfig and loaded.config == model.config
    ids = np.array([tok.encode("First Citizen:")], np.int32)
    np.testing.assert_allclose(np.asarray(loaded.network(ids)), np.asarray(model.network(ids)), atol=1e-6)
