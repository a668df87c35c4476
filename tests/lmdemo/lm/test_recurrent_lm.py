"""LSTMLM and RNNLM (lmdemo/lm/recurrent_lm.py): scoring carries the state from chunk to chunk."""

import jax
import numpy as np
import pytest

from tests.conftest import TOY_TEXT


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
def test_recurrent_scoring_carries_state_across_chunks(models, kind):
    """Scoring in 256-token chunks equals one pass over the whole text."""
    lm = models[kind]
    text = TOY_TEXT[:700]
    prefix, ids = lm.encode_for_scoring(text)
    seq = np.asarray(prefix + ids)
    logits = np.asarray(lm.network(seq[None, :-1]).output)[0]  # one pass over the whole text
    expected = np.asarray(jax.nn.log_softmax(logits, -1))[np.arange(len(seq) - 1), seq[1:]]
    np.testing.assert_allclose(lm.log_probs(text), expected, atol=1e-5)
