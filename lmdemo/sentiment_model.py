"""The sentiment classifier: a ``TextClassifier`` network, its tokenizer, and ``classify``."""

import functools

import jax
import numpy as np

from lmdemo.config import ClassifierConfig
from lmdemo.example_trainer import pad_batch
from lmdemo.network_model import NetworkModel
from lmdemo.task_data import check_texts
from lmdemo.text_classifier import TextClassifier

CLASSIFY_BATCH = 32


class SentimentModel(NetworkModel):
    """P(label | text) from a BERT-style encoder, for a list of texts.

    Example:
        >>> model = lmdemo.load_model("sst2-sentiment")
        >>> model.classify(["a gorgeous, witty film"])[0]["label"]
        'positive'
    """

    kind = "classifier"
    config_class = ClassifierConfig
    network_class = TextClassifier

    def describe(self):
        c = self.config
        return (f"A Transformer-encoder classifier (BERT-style, pre-LayerNorm, bidirectional): {c.num_layers} layers, "
                f"{c.num_heads} heads, width {c.d_model}, feed-forward {c.hidden_dim} ({c.activation}), "
                f"{c.pooling}-pooled over up to {c.max_length} tokens, softmax over {len(c.labels)} labels "
                f"({', '.join(c.labels)})")

    @property
    def labels(self):
        return self.config.labels

    def classify(self, texts):
        """One result per text: ``label``, ``label_id``, ``score`` (its probability),
        ``probabilities`` (every label's) and ``truncated`` (only the first ``max_length``
        tokens were read).

        Raises:
            TypeError / ValueError: a text that is not a string, is empty (after stripping
                spaces) or longer than 100,000 characters (its index is named).
        """
        rows, cut = [], []
        for text in check_texts(texts):
            ids = self.tokenizer.encode(text.strip())
            cut.append(len(ids) > self.config.max_length)
            rows.append(ids[:self.config.max_length])
        probs = self.probabilities_of(rows)
        out = []
        for p, truncated in zip(probs, cut):
            best = int(np.argmax(p))
            out.append({"label": self.labels[best], "label_id": best, "score": float(p[best]),
                        "probabilities": {name: float(q) for name, q in zip(self.labels, p)}, "truncated": truncated})
        return out

    def probabilities_of(self, rows):
        """softmax(logits) for lists of token ids: (len(rows), num_labels) float64."""
        params = self._params()
        out = np.zeros((len(rows), self.config.num_labels))
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        for start in range(0, len(order), CLASSIFY_BATCH):
            chunk = order[start:start + CLASSIFY_BATCH]
            batch = [rows[i] or [0] for i in chunk] + [[0]] * (CLASSIFY_BATCH - len(chunk))
            ids, mask = pad_batch(batch, self.config.max_length)
            for j, i in enumerate(chunk):
                if not rows[i]:
                    mask[j] = False  # no tokens: the pooled vector is the pooler of zeros
            probs = np.asarray(_probabilities(self, params, ids, mask), np.float64)
            out[chunk] = probs[:len(chunk)]
        return out


@functools.partial(jax.jit, static_argnums=0)
def _probabilities(model, params, ids, mask):
    return jax.nn.softmax(model._call(params, ids, padding_mask=mask).astype("float32"), axis=-1)
