"""The PII tagger: a ``TokenTagger`` network, its character tokenizer, and ``tag`` for lists of texts.

``tag`` cuts each text into words (``lmdemo.tasks.bio``), reads long texts in overlapping windows,
runs the windows of all texts together in batches of similar length, and reads entities back from
the word tags. A word belongs to an entity when its ``B-`` and ``I-`` probabilities of one type
reach ``threshold`` (``config.threshold``, chosen on dev data when the model was trained): below 0.5
trades precision for recall, which is the right trade for a sanitizer.
"""

import functools
import operator
import threading
import zlib

import jax
import jax.numpy as jnp
import numpy as np

from lmdemo.config import TaggerConfig
from lmdemo.data.batching import padded_width
from lmdemo.kernels import bilstm_tagger
from lmdemo.kernels.build import KernelUnavailable
from lmdemo.networks.token_tagger import TokenTagger
from lmdemo.storage.network_model import NetworkModel
from lmdemo.tasks.bio import WORD, entity_runs, trimmed, windows

BATCH_ROWS = (1, 8, 64)  # windows per batch, padded up to one of these
MAX_CACHED_WORDS = 100_000  # words whose characters (TaggerModel) or vectors (FrozenTagger) are kept
WORD_CHUNK = 4096  # new words read through the character part at once


class TaggerModel(NetworkModel):
    """Finds entities (PERSON, ADDRESS: ``config.entity_types``) in texts, as character spans.

    Example:
        >>> model = lmdemo.load_model("pii-ner")
        >>> model.tag(["Why is Rebecca so impulsive?"])[0]
        [(7, 14, 'PERSON', 0.98)]
    """

    kind = "tagger"
    task = "ner"
    config_class = TaggerConfig
    network_class = TokenTagger

    def __init__(self, network, tokenizer, card=None, encryption=None):
        super().__init__(network, tokenizer, card=card, encryption=encryption)
        self._words = {}  # word → (character row, hash bucket)

    def describe(self):
        c = self.config
        context = {"transformer": f"{c.num_layers} Transformer encoder blocks ({c.num_heads} heads, width "
                                  f"{c.d_model}, feed-forward {c.hidden_dim})",
                   "cnn": f"{c.num_layers} dilated convolutions (width {c.d_model}, "
                          f"±{2 ** c.num_layers - 1} words)",
                   "bilstm": f"{c.num_layers} bidirectional LSTM layers (width {c.d_model})"}[c.context]
        return (f"A word tagger: each word read from up to {c.max_word_chars} characters by {c.char_filters} "
                f"character-trigram detectors" + (f" and a {c.word_buckets:,}-bucket hashed word embedding"
                                                  if c.word_buckets else "") +
                f", then {context} over windows of {c.max_words} words (overlap {c.window_overlap}); "
                f"BIO tags for {', '.join(c.entity_types)}")

    # -- words → arrays ----------------------------------------------------------------------------
    def word_features(self, word):
        """The character row (ids + 1, 0-padded to ``max_word_chars``) and the hash bucket of ``word``."""
        hit = self._words.get(word)
        if hit is not None:
            return hit
        c = self.config
        chars = word if len(word) <= c.max_word_chars else (
            word[:c.max_word_chars // 2] + word[len(word) - (c.max_word_chars - c.max_word_chars // 2):])
        row = np.zeros(c.max_word_chars, np.int32)
        row[:len(chars)] = np.asarray(self.tokenizer.encode(chars), np.int32) + 1
        key = "".join("0" if ch.isdigit() else ch for ch in word.lower())
        bucket = zlib.crc32(key.encode("utf-8", "surrogatepass")) % c.word_buckets if c.word_buckets else 0
        if len(self._words) >= MAX_CACHED_WORDS:
            self._words.clear()
        self._words[word] = hit = (row, bucket)
        return hit

    def layout(self, rows, width=None, count=None, distinct_rows=None):
        """Lists of words (strings) → ``(word_chars, word_index, word_hash, padding_mask)`` for the network
        (the trainer's batches: windows cut as ``tag`` cuts them, ``_window_ids``).

        ``rows`` are padded to ``width`` words (default: ``padded_width``) and to ``count`` rows
        (default: the next of ``BATCH_ROWS``); the distinct words to ``distinct_rows`` (default: the next
        power of two), so that only a few shapes are ever compiled.
        """
        vocab, pieces, total = {}, [], 0
        flat = np.fromiter((vocab.setdefault(w, len(vocab)) for row in rows for w in row), np.int64)
        for row in rows:
            pieces.append((total, len(row), 0, len(row)))
            total += len(row)
        chars, buckets = self._vocab_features(vocab)
        return self._arrays(pieces, flat, chars, buckets, width, count, distinct_rows)

    def _vocab_features(self, vocab):
        """The character rows and hash buckets of the words of ``vocab`` ({word: id}), in id order."""
        features = [self.word_features(w) for w in vocab]
        if not features:
            return np.zeros((0, self.config.max_word_chars), np.int32), np.zeros(0, np.int32)
        return np.stack([f[0] for f in features]), np.fromiter((f[1] for f in features), np.int32, len(features))

    def frozen(self, constant_weights=False):
        """A ``FrozenTagger``: these weights read once, for serving many calls (``evals.privacy`` keeps one
        with ``constant_weights=True``; see there)."""
        return FrozenTagger(self, constant_weights)

    # -- tagging --------------------------------------------------------------------------------------
    def tag(self, texts, threshold=None):
        """The entities of each text: ``[(start, end, type, score), ...]`` sorted by start.

        ``tag_thresholds(texts, [threshold])[0]``; see there.

        Args:
            texts: a list of str (empty strings are allowed: they have no entities).
            threshold: the B + I probability a word needs to be in an entity (default ``config.threshold``).
        """
        return self.tag_thresholds(texts, [threshold])[0]

    def tag_thresholds(self, texts, thresholds):
        """``tag`` at several thresholds, with one pass of the network: one list of results per threshold.

        Reads the current weights (``frozen().tag_thresholds``): a model being trained is tagged as it is now.
        """
        return self.frozen().tag_thresholds(texts, thresholds)

    def _window_ids(self, batch, flat, width=None, count=None):
        """The word ids of windows ``(flat start, length, ...)`` of ``flat``, -1 at padding: (count, width),
        ``width`` padded as ``padded_width`` does and ``count`` to the next of ``BATCH_ROWS``."""
        width = width or padded_width(max((p[1] for p in batch), default=1), self.config.max_words)
        count = count or next((n for n in BATCH_ROWS if n >= len(batch)), len(batch))
        ids = np.full((count, width), -1, np.int64)
        for r, (start, length, _, _) in enumerate(batch):
            ids[r, :length] = flat[start:start + length]
        return ids

    def _arrays(self, batch, flat, chars, buckets, width=None, count=None, distinct_rows=None):
        """The network's inputs (``call``: the distinct words' characters) for windows of ``flat``."""
        ids = self._window_ids(batch, flat, width, count)
        mask = ids >= 0
        distinct, inverse = np.unique(ids[mask], return_inverse=True)
        index = np.zeros(ids.shape, np.int32)
        index[mask] = inverse + 1  # row 0 of word_chars is the padding word
        size = distinct_rows or 1 << len(distinct).bit_length()  # a power of two > len(distinct): few shapes
        word_chars = np.zeros((size, self.config.max_word_chars), np.int32)
        word_chars[1:len(distinct) + 1] = chars[distinct]
        word_hash = np.where(mask, buckets[np.maximum(ids, 0)], 0).astype(np.int32)
        return word_chars, index, word_hash, mask


class FrozenTagger:
    """A ``TaggerModel``'s weights read once, and the vectors of the words it has read kept.

    A word's vector (its characters through the trigram detectors) depends on the word alone, so a
    tagger that serves many calls computes it once per word (up to ``MAX_CACHED_WORDS``) and runs only
    the context part of the network on each call. The weights are read when it is made: a model trained
    afterwards needs a new one (``TaggerModel.tag`` makes one per call).

    Example:
        >>> tagger = lmdemo.load_model("pii-ner").frozen()
        >>> tagger.tag(["said Gladys to Logan"])[0]
        [(5, 11, 'PERSON', 0.97), (15, 20, 'PERSON', 0.98)]
    """

    def __init__(self, model, constant_weights=False):
        """Args:
            model: a ``TaggerModel``.
            constant_weights: compile the weights into the network's programs as constants. A call then
                passes only the texts' arrays (~20 µs less per call of one short text, measured in
                docs/privacy.md) and each new tagger compiles its own programs: for a tagger that serves
                many calls, not for one made per call (``TaggerModel.tag``).
        """
        self.model = model
        self.config = model.config
        self.params = params = model._params()
        if constant_weights:
            self._tags = jax.jit(lambda features, word_hash, mask: _tags(model, params, features, word_hash, mask))
        else:
            self._tags = functools.partial(_best_tags, model, params)
        self._one = _one_text_context(model)  # the BiLSTM context in C++ for one text, or None
        self._rows = {}  # word → its row of self._vectors (row 0: the padding word, all zeros)
        self._vectors = np.zeros((1, self.config.char_filters), np.float32)
        self._buckets = np.zeros(1, np.int32)
        self._lock = threading.Lock()

    def clear(self):
        """Forgets the words read so far (their vectors are computed again when next met)."""
        with self._lock:
            self._rows = {}
            self._vectors, self._buckets = self._vectors[:1], self._buckets[:1]

    def tag(self, texts, threshold=None):
        """``TaggerModel.tag`` with these weights."""
        return self.tag_thresholds(texts, [threshold])[0]

    def tag_thresholds(self, texts, thresholds):
        """``tag`` at several thresholds, with one pass of the network: one list of results per threshold.

        ``finish(start(texts), thresholds)``: see there.
        """
        thresholds = self._thresholds(thresholds)
        return self.finish(self.start(texts), thresholds)

    def start(self, texts):
        """Cuts ``texts`` into words and starts the network on all of them; ``finish`` collects the entities.

        Texts of any length are read in windows of ``max_words`` words; the windows of all texts run
        together, in batches of similar length. JAX runs the batches in native code in the background,
        so what the caller does between ``start`` and ``finish`` (the sanitizer runs its patterns) runs
        beside the network without a thread of its own.

        Args:
            texts: a list of str (empty strings are allowed: they have no entities).

        Raises:
            TypeError: ``texts`` is not a list of str.
        """
        c = self.config
        if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
            raise TypeError(f"texts must be a list of str, received {type(texts).__name__}")
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] must be a str, received {type(text).__name__}")
        per_text = [WORD.findall(text) for text in texts]  # split_words' words; offsets are found for entities only
        if len(texts) == 1 and (self._one is not None or len(per_text[0]) <= c.max_words):  # a sanitizer's call
            return self._start_one(texts[0], per_text[0])  # per text: less Python
        words, starts, lengths = [], [], []  # the words of all texts, laid end to end
        for text_words in per_text:
            starts.append(len(words))
            words += text_words
            lengths.append(len(text_words))
        started = {"texts": list(texts), "words": words, "starts": starts, "runs": []}
        if not words:
            return started
        rows, table = self._rows_of(words)
        flat = np.asarray(rows, np.int64)  # each word's row of the table
        pieces = []  # (flat start, length, kept from, kept to): the windows of every text
        for start, n in zip(starts, lengths):
            if n:
                ranges, kept = windows(n, c.max_words, c.window_overlap)
                pieces += [(start + s, e - s, lo - s, hi - s) for (s, e), (lo, hi) in zip(ranges, kept)]
        pieces.sort(key=lambda p: p[1])
        step = BATCH_ROWS[-1]
        for b in range(0, len(pieces), step):
            batch = pieces[b:b + step]
            ids = self.model._window_ids(batch, flat)
            rows = np.maximum(ids, 0)  # padding reads row 0, the zero vector
            started["runs"].append((batch, self._tags(table[0][rows], table[1][rows], ids >= 0)))
        return started

    def _start_one(self, text, words):
        """``start`` for one text. With a BiLSTM context, its windows (``start``'s) one after the other on the
        calling thread, by ``lmdemo.kernels.bilstm_tagger`` (the same arithmetic without an XLA program to hand
        over: 3× faster for a short text, docs/privacy.md); else a text of at most ``max_words`` words as one
        window, the shapes ``start`` uses."""
        started = {"texts": [text], "words": words, "starts": [0], "runs": []}
        if words:
            rows, (vectors, buckets) = self._rows_of(words)
            n = len(words)
            if self._one is not None:
                context, word_embedding = self._one
                for (a, b), (lo, hi) in zip(*windows(n, self.config.max_words, self.config.window_overlap)):
                    window = rows[a:b]
                    features = vectors[window] if word_embedding is None else np.concatenate(
                        [vectors[window], word_embedding[buckets[window]]], axis=1)
                    tags, scores = context.tag(features)
                    started["runs"].append(([(a, b - a, lo - a, hi - a)], (tags[None], scores[None])))
                return started
            ids = np.zeros((1, padded_width(n, self.config.max_words)), np.int64)
            ids[0, :n] = rows  # row 0 (padding) is the zero vector
            started["runs"].append(([(0, n, 0, n)], self._tags(vectors[ids], buckets[ids], ids > 0)))
        return started

    def finish(self, started, thresholds=(None,), relaxed=None):
        """The entities of the texts given to ``start``, one list of results per threshold: for each text,
        ``[(start, end, type, score), ...]`` sorted by start. Only the words above the threshold are
        decoded one by one.

        Args:
            started: what ``start`` returned.
            thresholds: the B + I probabilities a word needs to be in an entity (None: ``config.threshold``).
            relaxed: optional ``(type, threshold, accept)``: a word whose best type is ``type`` needs only
                this lower threshold when ``accept(word)`` is true (``evals.privacy``: a name from its
                lists); ``accept`` is asked only about the words between the two thresholds.

        Raises:
            ValueError: a threshold is not a number in (0, 1].
        """
        thresholds = self._thresholds(thresholds)
        texts, words, starts = started["texts"], started["words"], started["starts"]
        n, runs = len(words), started["runs"]
        if len(texts) == 1 and len(runs) == 1 and runs[0][0] == [(0, n, 0, n)]:  # one text in one window
            tags, scores = (np.asarray(x)[0, :n] for x in runs[0][1])
            shared = {}  # the words' offsets, found once for every threshold
            return [[self._one_text(texts[0], words, self._tagged(words, tags, scores, th, relaxed), scores, shared)]
                    for th in thresholds]
        best = np.zeros(len(words), np.int32)  # per word: its tag if its score reaches the threshold
        scores = np.zeros(len(words), np.float32)
        for batch, run in started["runs"]:
            tags, score = (np.asarray(x) for x in run)
            for r, (start, _, lo, hi) in enumerate(batch):
                best[start + lo:start + hi] = tags[r, lo:hi]
                scores[start + lo:start + hi] = score[r, lo:hi]
        shared = {"breaks": sorted(set(starts) - {len(words)})}  # and, once needed, the words' offsets
        return [self._entities(texts, words, starts, self._tagged(words, best, scores, th, relaxed), scores, shared)
                for th in thresholds]

    def _tagged(self, words, best, scores, threshold, relaxed):
        """Each word's tag if it is in an entity at ``threshold`` (and ``relaxed``, see ``finish``), else 0."""
        tags = np.where(scores >= threshold, best, 0)
        if relaxed is not None:
            kind, low, accept = relaxed
            begin = self.config.labels.index("B-" + kind)  # and I- right after it (``bio_labels``)
            between = (scores >= low) & (scores < threshold) & ((best == begin) | (best == begin + 1))
            for i in np.flatnonzero(between).tolist():
                if accept(words[i]):
                    tags[i] = best[i]
        return tags

    def _thresholds(self, thresholds):
        thresholds = [self.config.threshold if th is None else th for th in thresholds]
        for threshold in thresholds:
            if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
                raise ValueError(f"threshold must be a number in (0, 1], received threshold={threshold!r}")
        return thresholds

    def _rows_of(self, words):
        """The rows holding ``words`` (a list, repeats allowed) and the table they index, ``(vectors,
        buckets)``; the words not yet read are run through the character part first.

        The table is replaced, never changed in place, so a call keeps reading the one it was given while
        another thread adds words (the lock keeps the rows and the table in step).
        """
        with self._lock:
            rows = self._rows
            found = [rows.get(w, 0) for w in words]  # row 0 is the padding word: never a word's
            if 0 in found:
                missing = list(dict.fromkeys(w for w, r in zip(words, found) if not r))
                if len(rows) + len(missing) > MAX_CACHED_WORDS:  # start again rather than grow without bound
                    rows.clear()
                    self._vectors, self._buckets = self._vectors[:1], self._buckets[:1]
                    missing = list(dict.fromkeys(words))
                self._read(missing)
                found = [rows[w] for w in words]
            return found, (self._vectors, self._buckets)

    def _read(self, words):
        """Adds the vectors and hash buckets of ``words`` (not yet read) to the table."""
        model, parts = self.model, []
        for a in range(0, len(words), WORD_CHUNK):
            chunk = words[a:a + WORD_CHUNK]
            chars = np.zeros((max(8, 1 << (len(chunk) - 1).bit_length()), self.config.max_word_chars), np.int32)
            features = [model.word_features(w) for w in chunk]
            chars[:len(chunk)] = [f[0] for f in features]
            parts.append((np.asarray(_word_vectors(model, self.params, chars))[:len(chunk)],
                          np.fromiter((f[1] for f in features), np.int32, len(chunk))))
        first = len(self._vectors)
        self._vectors = np.concatenate([self._vectors] + [p[0] for p in parts])
        self._buckets = np.concatenate([self._buckets] + [p[1] for p in parts])
        self._rows.update(zip(words, range(first, first + len(words))))

    def _one_text(self, text, words, tags, scores, shared):
        """``_entities`` for one text."""
        runs = entity_runs(tags, self.config.labels)
        if not runs:
            return []
        if "offsets" not in shared:
            shared["offsets"] = [m.start() for m in WORD.finditer(text)]
            shared["sums"] = _running_total(scores)
        spans = (_span(words, run, shared["offsets"], shared["sums"], 0) for run in runs)
        return [span for span in spans if span is not None]

    def _entities(self, texts, words, starts, tags, scores, shared):
        """The entities of all texts at once from the tags of their words (laid end to end); only tagged
        words are looked at, and the words' character offsets are found only when there is an entity
        (once for every threshold: ``shared`` keeps them)."""
        found = [[] for _ in texts]
        runs = entity_runs(tags, self.config.labels, breaks=shared["breaks"])
        if not runs:
            return found
        if "offsets" not in shared:
            shared["bases"] = np.cumsum([0] + [len(t) + 1 for t in texts])  # where each text begins in the join
            shared["offsets"] = np.fromiter(map(_START, WORD.finditer(" ".join(texts))), np.int64, len(words))
            shared["sums"] = _running_total(scores)
        bases, offsets, sums = shared["bases"], shared["offsets"], shared["sums"]
        owner = np.searchsorted(np.asarray(starts), [r[0] for r in runs], side="right") - 1
        for run, t in zip(runs, owner.tolist()):
            span = _span(words, run, offsets, sums, bases[t])
            if span is not None:
                found[t].append(span)
        return found


_START = operator.methodcaller("start")


def _one_text_context(model):
    """``(BiLSTMTagger, word embedding table or None)`` for a tagger with a BiLSTM context: its network after
    the character part, in C++; None for the other contexts, or where the kernel cannot be compiled (the
    XLA program then runs, with the same results)."""
    net, c = model.network, model.config
    if c.context != "bilstm" or c.d_model % 2:
        return None
    value = lambda v: np.asarray(v.value)  # noqa: E731
    weights = {
        "projection_kernel": value(net.input_projection.kernel), "projection_bias": value(net.input_projection.bias),
        "layers": [{"kernel": (value(f.kernel), value(b.kernel)), "recurrent": (value(f.recurrent_kernel),
                    value(b.recurrent_kernel)), "bias": (value(f.bias), value(b.bias))} for f, b in net.blocks],
        "norm_gamma": value(net.final_norm.gamma), "norm_beta": value(net.final_norm.beta),
        "head_kernel": value(net.tag_head.kernel), "head_bias": value(net.tag_head.bias)}
    try:
        context = bilstm_tagger.BiLSTMTagger(weights, c.layer_norm_epsilon)
    except KernelUnavailable:
        return None
    return context, (value(net.word_embedding.embeddings) if net.word_embedding is not None else None)


def _running_total(scores):
    """0, then the running total of ``scores`` in float64: a run's mean is two lookups (``_span``)."""
    sums = np.zeros(len(scores) + 1)
    np.cumsum(scores, dtype=np.float64, out=sums[1:])
    return sums


def _span(words, run, offsets, sums, base):
    """The entity of a run ``(first, last, type)`` of words: ``(start, end, type, score)`` in the text that
    begins at ``base`` of ``offsets`` (the words' character offsets), its score the mean of its words'
    (``sums``: their running total); None when the run holds only symbols (``trimmed``)."""
    first, last, kind = run
    kept = trimmed(words, first, last)
    if kept is None:
        return None
    a, b = kept
    score = round(float((sums[b + 1] - sums[a]) / (b - a + 1)), 4)
    return int(offsets[a] - base), int(offsets[b] - base) + len(words[b]), kind, score


def best_tags(probs):
    """Per word: the tag it gets if it is in an entity (the type with the most B + I probability; I when
    I is likelier than B) and that probability, its score. A word is in an entity when its score reaches
    the threshold. Works on numpy or JAX arrays (..., num_labels)."""
    n_types = (probs.shape[-1] - 1) // 2
    pairs = probs[..., 1:].reshape(probs.shape[:-1] + (n_types, 2))
    mass = pairs.sum(axis=-1)
    best = mass.argmax(axis=-1)
    score = mass.max(axis=-1)
    chosen = jnp.take_along_axis(pairs, best[..., None, None], axis=-2)[..., 0, :]
    inside = chosen[..., 1] >= chosen[..., 0]
    return (1 + 2 * best + inside).astype("int32"), score


@functools.partial(jax.jit, static_argnums=0)
def _word_vectors(model, params, word_chars):
    return model._call(params, word_chars, method=model.network.word_vectors)


def _tags(model, params, features, word_hash, mask):
    """Word vectors → ``best_tags`` of the windows (the network after its character part)."""
    logits = model._call(params, features, word_hash, mask, method=model.network.tag_logits)
    return best_tags(jax.nn.softmax(logits.astype("float32"), axis=-1))


_best_tags = jax.jit(_tags, static_argnums=0)
