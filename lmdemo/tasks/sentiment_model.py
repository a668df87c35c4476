"""The sentiment classifier: a ``TextClassifier`` network, its tokenizer, and ``classify``.

Optionally a second expert rides along: a bag-of-n-grams logistic regression (``lmdemo.tasks.bag_of_ngrams``)
whose label probabilities multiply the Transformer's, P(y | x) ∝ P_transformer(y | x) · P_ngrams(y | x), a
product of experts (Hinton, 2002). The two make different mistakes: the Transformer reads word order and
context over at most ``max_length`` tokens, the n-grams see every word pair of the whole text.
"""

import functools
import os

import jax
import numpy as np

from lmdemo.storage import checkpoint
from lmdemo.tasks.bag_of_ngrams import BagOfNgrams
from lmdemo.config import ClassifierConfig
from lmdemo.data.batching import pad_batch
from lmdemo.storage.network_model import NetworkModel
from lmdemo.data.checks import check_texts
from lmdemo.networks.text_classifier import TextClassifier
from lmdemo.tokenizers.wordpiece_tokenizer import WordPieceTokenizer

CLASSIFY_BATCH = 32


class SentimentModel(NetworkModel):
    """P(label | text) from a BERT-style encoder, for a list of texts.

    The network reads the tokenizer's ids of a text, at most ``max_length`` of them (``input_ids``):
    with BERT's WordPiece tokenizer they are ``[CLS]`` pieces ``[SEP]``, and a cut text keeps its
    ``[SEP]``. A Hugging Face BERT checkpoint loads as one (``lmdemo.storage.hf_bert``).

    Example:
        >>> model = lmdemo.load_model("sst2-sentiment")
        >>> model.classify(["a gorgeous, witty film"])[0]["label"]
        'positive'
    """

    kind = "classifier"
    task = "sentiment"
    config_class = ClassifierConfig
    network_class = TextClassifier

    def __init__(self, network, tokenizer, card=None, encryption=None):
        super().__init__(network, tokenizer, card=card, encryption=encryption)
        self.ngram_expert = None  # ``config.ngram_expert`` follows it: a network alone has no expert

    def describe(self):
        c = self.config
        norm = "pre-LayerNorm" if c.normalize_first else "post-LayerNorm"
        pooled = "read at its first token ([CLS])" if c.pooling == "first" else f"{c.pooling}-pooled"
        segments = f", {c.num_segments} segment embeddings" if c.num_segments else ""
        text = (f"A Transformer-encoder classifier (BERT-style, {norm}, bidirectional): {c.num_layers} layers, "
                f"{c.num_heads} heads, width {c.d_model}{segments}, feed-forward {c.hidden_dim} ({c.activation}), "
                f"{pooled} over up to {c.max_length} tokens, softmax over {len(c.labels)} labels "
                f"({', '.join(c.labels)})")
        if self.ngram_expert is not None:
            text += (f"; its probabilities are multiplied by those of a second expert, {self.ngram_expert.describe()},"
                     " and renormalized")
        return text

    @property
    def ngram_expert(self):
        """A fitted ``BagOfNgrams`` over the same labels whose probabilities multiply the Transformer's, or
        None; setting it also sets ``config.ngram_expert``, so the checkpoint says whether it has one."""
        return self._ngram_expert

    @ngram_expert.setter
    def ngram_expert(self, expert):
        if expert is not None and expert.num_labels != self.config.num_labels:
            raise ValueError(f"the n-gram expert has {expert.num_labels} labels, the classifier "
                             f"{self.config.num_labels} ({', '.join(self.labels)})")
        self._ngram_expert = expert
        self.config.ngram_expert = expert is not None

    @property
    def labels(self):
        return self.config.labels

    def classify(self, texts):
        """One result per text: ``label``, ``label_id``, ``score`` (its probability),
        ``probabilities`` (every label's) and ``truncated`` (the Transformer read only the
        first ``max_length`` tokens). With an n-gram expert, also ``experts``: each expert's
        own probabilities (``transformer``, ``ngrams``), whose renormalized product is
        ``probabilities``.

        Raises:
            TypeError / ValueError: a text that is not a string, is empty (after stripping
                spaces) or longer than 100,000 characters (its index is named).
        """
        rows, cut, texts = [], [], [text.strip() for text in check_texts(texts)]
        for text in texts:
            ids = self.tokenizer.encode(text)
            cut.append(len(ids) > self.config.max_length)
            rows.append(self.input_ids(ids))
        experts = {"transformer": self.probabilities_of(rows)}
        if self.ngram_expert is not None:
            experts["ngrams"] = self.ngram_expert.probabilities(texts)
        # floored, so that two experts each certain of a different label cannot make 0 / 0
        probs = np.prod([np.maximum(p, 1e-30) for p in experts.values()], axis=0)
        probs /= probs.sum(axis=1, keepdims=True)
        out = []
        for i, (p, truncated) in enumerate(zip(probs, cut)):
            best = int(np.argmax(p))
            out.append({"label": self.labels[best], "label_id": best, "score": float(p[best]),
                        "probabilities": self._named(p), "truncated": truncated})
            if len(experts) > 1:
                out[-1]["experts"] = {name: self._named(q[i]) for name, q in experts.items()}
        return out

    def input_ids(self, ids):
        """What the network reads of a text whose tokenizer ids are ``ids``: the first ``max_length``, or with a
        WordPiece tokenizer [CLS] and the first pieces, then [SEP] (BERT's truncation)."""
        if isinstance(self.tokenizer, WordPieceTokenizer):
            return self.tokenizer.truncate(ids, self.config.max_length)
        return list(ids[:self.config.max_length])

    def _named(self, p):
        return {name: float(q) for name, q in zip(self.labels, p)}

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
                    mask[j] = False  # no tokens: mean or max pooling gives the pooler of zeros
            probs = np.asarray(_probabilities(self, params, ids, mask), np.float64)
            out[chunk] = probs[:len(chunk)]
        return out

    # -- storage: the n-gram expert beside the weights ---------------------------------------------------------
    @classmethod
    def _stored_files(cls, config):
        expert = (checkpoint.NGRAM_EXPERT_FILE,) if isinstance(config, dict) and config.get("ngram_expert") else ()
        return super()._stored_files(config) + expert

    def _write_files(self, folder):
        super()._write_files(folder)
        if self.ngram_expert is not None:
            self.ngram_expert.save(os.path.join(folder, checkpoint.NGRAM_EXPERT_FILE))

    @classmethod
    def _from_files(cls, path, config, folder, tokenizer):
        model = super()._from_files(path, config, folder, tokenizer)
        if config.get("ngram_expert"):
            model.ngram_expert = BagOfNgrams.load(os.path.join(folder, checkpoint.NGRAM_EXPERT_FILE))
        return model


@functools.partial(jax.jit, static_argnums=0)
def _probabilities(model, params, ids, mask):
    return jax.nn.softmax(model._call(params, ids, padding_mask=mask).astype("float32"), axis=-1)
