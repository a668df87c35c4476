import os
import subprocess
import sys

from tests.conftest import REPO


def _run(code, **env):
    full_env = dict(os.environ, PYTHONPATH=REPO, **env)
    return subprocess.run([sys.executable, "-c", code], env=full_env, capture_output=True, text=True, timeout=300)


def test_lmdemo_selects_jax_even_if_env_says_otherwise():
    result = _run("import lmdemo, keras; print(keras.backend.backend())", KERAS_BACKEND="torch")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "jax"
    assert "overridden to 'jax'" in result.stderr


def test_clear_error_when_keras_already_imported_with_other_backend():
    result = _run("import keras; import lmdemo", KERAS_BACKEND="numpy")
    assert result.returncode != 0
    assert "lmdemo needs the Keras JAX backend, but Keras was already imported with backend='numpy'" in result.stderr
