"""lmdemo_app/shared_models.py: the server's weights setting."""

import pytest

import lmdemo
from lmdemo.kernels import bf16_matmul, build
from lmdemo_app import shared_models


@pytest.fixture
def model():
    return lmdemo.load_model("shakespeare-char")


def test_the_app_reads_the_weights_its_server_names(model, monkeypatch):
    assert shared_models.with_app_weights(model).weights == "f32"  # unset: float32
    monkeypatch.setenv("LMDEMO_APP_WEIGHTS", "bf16")
    assert shared_models.with_app_weights(model).weights == "bf16"
    ngram = lmdemo.load_model("shakespeare-5gram")
    assert shared_models.with_app_weights(ngram) is ngram  # no weights to round: left as it is


def test_where_the_kernel_cannot_be_built_the_app_keeps_float32_and_says_so_in_its_log(model, monkeypatch):
    monkeypatch.setenv("LMDEMO_APP_WEIGHTS", "bf16")
    monkeypatch.setattr(bf16_matmul, "_loaded", build.KernelUnavailable("no C++ compiler"))
    with pytest.warns(UserWarning, match="LMDEMO_APP_WEIGHTS='bf16' not applied, the model reads float32 weights: "
                                         "no C\\+\\+ compiler"):
        assert shared_models.with_app_weights(model).weights == "f32"
    monkeypatch.setenv("LMDEMO_APP_WEIGHTS", "int8")
    with pytest.warns(UserWarning, match="weights must be one of"):
        assert shared_models.with_app_weights(model).weights == "f32"
