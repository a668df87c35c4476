"""The n-gram language model with interpolated modified Kneser-Ney smoothing.

An n-gram model predicts a token from the n−1 tokens before it, by counting. Counts alone
give zero probability to anything unseen, so Kneser-Ney smoothing (Chen & Goodman, 1998,
"An empirical study of smoothing techniques for language modeling", §3) takes a discount
from every count and gives that mass to the next lower order:

    P_k(w | h) = max(c_k(h w) − D_k(c_k(h w)), 0) / c_k(h •)  +  γ_k(h) · P_{k−1}(w | h′)
    γ_k(h)     = (D_k1 N₁(h •) + D_k2 N₂(h •) + D_k3+ N₃₊(h •)) / c_k(h •)

where h′ is h without its first token, c_k(h •) = Σ_w c_k(h w) and N_j(h •) counts the
words w with c_k(h w) = j (N₃₊: three or more). The counts c_k are

- for the highest order n: how often the n-gram occurs in the training text;
- for every lower order: its *continuation count*, the number of distinct tokens that
  precede it (a word that follows many different words is a good guess after an unseen
  context; one that only appears in a fixed phrase is not).

P_0 is uniform over the vocabulary, so every token keeps some probability and the next-token
probabilities sum to 1 for any context. A context never seen at order k falls back to
P_{k−1} unchanged. The discounts of each order come from its counts of counts n_j:

    Y = n₁ / (n₁ + 2 n₂),  D_k1 = 1 − 2Y n₂/n₁,  D_k2 = 2 − 3Y n₃/n₂,  D_k3+ = 3 − 4Y n₄/n₃

Storage is a suffix trie in sorted integer arrays (no pickle, no Python dicts): a context at
order k is identified by (its suffix's id at order k−1, its first token), and an n-gram by
(its context's id, its last token). Lookups are binary searches, vectorized over a whole text.
"""

import os

import numpy as np

from lmdemo.data.checks import check_text, is_int
from lmdemo.storage import checkpoint
from lmdemo.lm.language_model import LanguageModel

MAX_ORDER = 10


def estimate_discounts(counts):
    """Chen & Goodman's (D1, D2, D3+) from the counts of one order.

    Where the counts of counts cannot support the estimate (a tiny corpus with no n-gram
    seen exactly j times, or an estimate outside (0, j]), that discount falls back to Ney's
    absolute discount Y = n₁ / (n₁ + 2 n₂) (0.5 when n₁ or n₂ is 0), capped at j.
    """
    n = [int(np.sum(counts == j)) for j in range(1, 5)]
    y = n[0] / (n[0] + 2 * n[1]) if n[0] and n[1] else 0.5
    out = []
    for j in (1, 2, 3):
        d = j - (j + 1) * y * n[j] / n[j - 1] if n[j - 1] else float("nan")
        out.append(d if 0 < d <= j else min(y, j))
    return tuple(out)


def _discount(counts, d):
    """D(c) for an array of counts: 0 for 0, d[0] for 1, d[1] for 2, d[2] for 3 or more."""
    table = np.array([0.0, d[0], d[1], d[2]])
    return table[np.minimum(counts, 3).astype(np.int64)]


class NGramLM(LanguageModel):
    """An n-gram language model (interpolated modified Kneser-Ney) over any lmdemo tokenizer.

    Build one with ``NGramLM.train(tokenizer, text, order=5)``. It has the interface of every
    lmdemo model: ``log_probs``, ``next_token_probs``, ``generate`` and ``stream`` with the
    same samplers. Its whole state is the last ``order − 1`` tokens, so ``use_cache`` makes
    no difference.

    Args:
        tokenizer: the tokenizer.
        order: n, the number of tokens in the longest n-gram (1 = unigram model).
        tables: per order k = 1 … n, ``{"ctx_keys", "gram_keys", "counts"}`` sorted arrays.
        discounts: per order, (D1, D2, D3+).
    """

    kind = "ngram"
    max_length = None
    steps_in_jax = False  # P(next token) comes from the counts by numpy lookups: generation re-reads each step

    def __init__(self, tokenizer, order, tables, discounts, card=None, encryption=None, info=None):
        self.tokenizer = tokenizer
        self.order = order
        self.vocab = tokenizer.vocab_size
        self.tables = tables
        self.discounts = [tuple(float(x) for x in d) for d in discounts]
        self.card = card
        self.encryption = encryption
        self.info = info or {}
        self._totals, self._gammas = [], []
        for k in range(order):
            t = tables[k]
            contexts = t["gram_keys"] // self.vocab
            size = len(t["ctx_keys"])
            total = np.bincount(contexts, weights=t["counts"], minlength=size)
            n_j = [np.bincount(contexts, weights=(np.minimum(t["counts"], 3) == j), minlength=size) for j in (1, 2, 3)]
            d = self.discounts[k]
            self._totals.append(total)
            with np.errstate(invalid="ignore", divide="ignore"):
                self._gammas.append((d[0] * n_j[0] + d[1] * n_j[1] + d[2] * n_j[2]) / total)

    # -- building ----------------------------------------------------------------------------------
    @classmethod
    def train(cls, tokenizer, text, order=5, discounts=None):
        """Count the n-grams of ``text`` (prefixed by the tokenizer's start token, as scoring is).

        Args:
            tokenizer: the tokenizer (its vocabulary is the model's).
            text: the training text, or a list of token ids.
            order: n, 1 … 10.
            discounts: fixed (D1, D2, D3+) for every order (each 0 ≤ D_j ≤ j), or None to
                estimate them per order from the counts of counts.
        """
        if not is_int(order) or not 1 <= order <= MAX_ORDER:
            raise ValueError(f"order must be an int in [1, {MAX_ORDER}], received order={order!r}")
        if discounts is not None:
            if (len(discounts) != 3 or not all(isinstance(x, (int, float)) for x in discounts)
                    or not all(0 <= x <= j for j, x in zip((1, 2, 3), discounts))):
                raise ValueError(f"discounts must be (D1, D2, D3+) with 0 ≤ D_j ≤ j, received discounts={discounts!r}")
        if isinstance(text, str):
            check_text(text, "text", 2_000_000_000)
            ids = tokenizer.encode(text)
        else:
            ids = [int(i) for i in text]
        start = tokenizer.encode(tokenizer.start_text)[-1:] if tokenizer.start_text else []
        seq = np.asarray(start + list(ids), dtype=np.int64)
        if len(seq) < 2:
            raise ValueError("the training text is empty: an n-gram model needs at least one token to count")
        v = tokenizer.vocab_size
        bad = seq[(seq < 0) | (seq >= v)]
        if bad.size:
            raise ValueError(f"text has token ids outside [0, vocab_size={v}): {bad[:3].tolist()}")
        tables = _count(seq, order, v)
        found = [estimate_discounts(t["counts"]) for t in tables]
        return cls(tokenizer, order, tables, [tuple(discounts)] * order if discounts is not None else found)

    # -- probabilities -----------------------------------------------------------------------------
    def _lookup(self, k, ctx, token):
        """Index of context (ctx at order k, extended on the left by ``token``) at order k+1, or −1."""
        keys = self.tables[k]["ctx_keys"]
        key = ctx * self.vocab + token
        idx = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
        return np.where(keys[idx] == key, idx, -1)

    def _probs_of(self, seq, positions):
        """P(seq[i] | seq[:i]) for every i in ``positions`` (vectorized over positions)."""
        v = self.vocab
        targets = seq[positions]
        p = np.full(len(positions), 1.0 / v)
        ctx = np.zeros(len(positions), np.int64)
        alive = np.ones(len(positions), bool)
        for k in range(self.order):
            if k:
                j = positions - k
                idx = self._lookup(k, ctx, seq[np.maximum(j, 0)])
                alive &= (j >= 0) & (idx >= 0)
                ctx = np.where(alive, idx, 0)
            t = self.tables[k]
            gkeys = t["gram_keys"]
            key = ctx * v + targets
            gi = np.minimum(np.searchsorted(gkeys, key), len(gkeys) - 1)
            c = np.where(alive & (gkeys[gi] == key), t["counts"][gi], 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                pk = (c - _discount(c, self.discounts[k])) / self._totals[k][ctx] + self._gammas[k][ctx] * p
            p = np.where(alive, pk, p)
        return p

    def _next_probs(self, history):
        """P(next token | history) over the whole vocabulary."""
        v = self.vocab
        p = np.full(v, 1.0 / v)
        ctx = 0
        for k in range(self.order):
            if k:
                if len(history) < k:
                    break
                idx = int(self._lookup(k, np.int64(ctx), np.int64(history[-k])))
                if idx < 0:
                    break
                ctx = idx
            t = self.tables[k]
            lo, hi = np.searchsorted(t["gram_keys"], [ctx * v, (ctx + 1) * v])
            words = t["gram_keys"][lo:hi] - ctx * v
            c = t["counts"][lo:hi]
            p = self._gammas[k][ctx] * p
            p[words] += (c - _discount(c, self.discounts[k])) / self._totals[k][ctx]
        return p

    # -- the hooks of ``LanguageModel`` ------------------------------------------------------------------
    def _prefill(self, rows):
        """No state beyond the tokens themselves; the logits are ln P(next token | each row), float64."""
        return None, np.stack([np.log(self._next_probs(row)) for row in rows])

    def _score_windows(self, inputs, targets):
        out = np.zeros(inputs.shape, np.float64)
        for w in range(len(inputs)):
            seq = np.concatenate([inputs[w, :1], targets[w]]).astype(np.int64)
            out[w] = np.log(self._probs_of(seq, np.arange(1, len(seq))))
        return out

    def num_params(self):
        """Stored numbers: one count per n-gram (the model's equivalent of parameters)."""
        return int(sum(len(t["counts"]) for t in self.tables))

    def describe(self):
        sizes = ", ".join(f"{len(t['counts']):,}" for t in self.tables)
        return (f"A {self.order}-gram model with interpolated modified Kneser-Ney smoothing (Chen & Goodman): "
                f"n-grams stored per order (1…{self.order}): {sizes}")

    # -- storage (``StoredModel``'s hooks): the counts as integer arrays in ``ngrams.npz`` (no pickle) -------
    def _config_dict(self):
        return {"order": self.order, "vocab_size": self.vocab, "discounts": [list(d) for d in self.discounts],
                "info": self.info}

    @classmethod
    def _stored_files(cls, config):
        return (checkpoint.NGRAM_FILE,)

    def _write_files(self, folder):
        arrays = {}
        for k, t in enumerate(self.tables, start=1):
            # keys are sorted: store their differences, which are small and compress well
            arrays[f"ctx_keys_{k}"] = np.diff(t["ctx_keys"], prepend=0).astype(_key_dtype(t["ctx_keys"]))
            arrays[f"gram_keys_{k}"] = np.diff(t["gram_keys"], prepend=0).astype(_key_dtype(t["gram_keys"]))
            arrays[f"counts_{k}"] = t["counts"].astype(np.uint32)
        np.savez_compressed(os.path.join(folder, checkpoint.NGRAM_FILE), **arrays)

    @classmethod
    def _from_files(cls, path, config, folder, tokenizer):
        try:
            order, vocab, discounts = int(config["order"]), int(config["vocab_size"]), config["discounts"]
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"corrupt checkpoint: bad n-gram config in path={path!r} ({e})") from None
        if tokenizer.vocab_size != vocab:
            raise ValueError(f"checkpoint path={path!r}: the tokenizer has {tokenizer.vocab_size} tokens, "
                             f"the counts {vocab}")
        counts_path = os.path.join(folder, checkpoint.NGRAM_FILE)
        try:
            with np.load(counts_path, allow_pickle=False) as data:
                tables = [{"ctx_keys": np.cumsum(data[f"ctx_keys_{k}"], dtype=np.int64),
                           "gram_keys": np.cumsum(data[f"gram_keys_{k}"], dtype=np.int64),
                           "counts": data[f"counts_{k}"].astype(np.int64)} for k in range(1, order + 1)]
        except Exception as e:  # zipfile, zlib and numpy raise several types for damaged files
            raise ValueError(f"corrupt checkpoint: cannot read {counts_path!r} ({type(e).__name__}: {e})") from None
        return cls(tokenizer, order, tables, discounts, info=config.get("info"))


def _key_dtype(keys):
    top = int(np.max(np.diff(keys, prepend=0))) if len(keys) else 0
    return np.uint16 if top < 2**16 else np.uint32 if top < 2**32 else np.int64


def _count(seq, order, vocab):
    """The trie tables of every order from a token sequence (see the module docstring).

    For each target position i and order k, the context is seq[i−k+1 : i]. Its id at order k
    comes from (its suffix's id at order k−1, seq[i−k+1]); the n-gram's key is
    (context id, seq[i]). Ids here number the contexts of the corpus; only contexts with a
    non-zero count at their order are kept, and the kept ones are renumbered.
    """
    n = len(seq)
    positions = np.arange(n)
    corpus_ctx = np.zeros(n, np.int64)  # order-1 context (empty) of every position
    gram_ids, ctx_parts, valid_list = [], [], []
    valid = np.ones(n, bool)
    for k in range(order):
        if k:
            valid = positions >= k
            key = corpus_ctx * vocab + seq[np.maximum(positions - k, 0)]
            uniq, inv = np.unique(key[valid], return_inverse=True)
            corpus_ctx = np.zeros(n, np.int64)
            corpus_ctx[valid] = inv
            ctx_parts.append((uniq // vocab, uniq % vocab))  # (suffix id at order k, first token)
        else:
            ctx_parts.append((np.zeros(1, np.int64), np.zeros(1, np.int64)))
        gram = corpus_ctx * vocab + seq
        gram_ids.append(np.where(valid, gram, -1))
        valid_list.append(valid)

    counts_by_order = []
    for k in range(order):
        keys = gram_ids[k][valid_list[k]]
        uniq, inv, raw = np.unique(keys, return_inverse=True, return_counts=True)
        if k == order - 1:
            counts = raw
        else:
            # continuation count: distinct (k+2)-grams whose suffix is this (k+1)-gram
            longer = valid_list[k + 1]
            pairs = np.unique(np.stack([gram_ids[k + 1][longer], gram_ids[k][longer]], axis=1), axis=0)
            suffix_index = np.searchsorted(uniq, pairs[:, 1])
            counts = np.bincount(suffix_index, minlength=len(uniq))
        counts_by_order.append((uniq, counts))

    tables = []
    stored_index = None  # corpus context id at order k → kept id (or −1)
    for k in range(order):
        uniq, counts = counts_by_order[k]
        keep = counts > 0
        uniq, counts = uniq[keep], counts[keep]
        suffix, first = ctx_parts[k]
        n_ctx = len(suffix)
        ctx_of_gram = uniq // vocab
        used = np.zeros(n_ctx, bool)
        used[ctx_of_gram] = True
        if k:
            ctx_keys = stored_index[suffix] * vocab + first
            if np.any(stored_index[suffix[used]] < 0):
                raise AssertionError("a kept context's suffix was not kept")
        else:
            ctx_keys = np.zeros(1, np.int64)
        kept = np.flatnonzero(used)
        order_idx = kept[np.argsort(ctx_keys[kept], kind="stable")]
        new_index = np.full(n_ctx, -1, np.int64)
        new_index[order_idx] = np.arange(len(order_idx))
        gram_keys = new_index[ctx_of_gram] * vocab + uniq % vocab
        sort = np.argsort(gram_keys, kind="stable")
        tables.append({"ctx_keys": ctx_keys[order_idx], "gram_keys": gram_keys[sort], "counts": counts[sort]})
        stored_index = new_index
    return tables
