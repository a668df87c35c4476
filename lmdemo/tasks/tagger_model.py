"""The PII tagger: a ``TokenTagger`` network, its character tokenizer, and ``tag`` for lists of texts.

``tag`` cuts each text into words (``lmdemo.tasks.bio``), reads long texts in overlapping windows,
runs the windows of all texts together in batches of similar length, and reads entities back from
the word tags. A word belongs to an entity when its ``B-`` and ``I-`` probabilities of one type
reach ``threshold`` (``config.threshold``, chosen on dev data when the model was trained): below 0.5
trades precision for recall, which is the right trade for a sanitizer.
"""

import functools
import zlib

import jax
import numpy as np

from lmdemo.config import TaggerConfig
from lmdemo.data.batching import padded_width
from lmdemo.networks.token_tagger import TokenTagger
from lmdemo.storage.network_model import NetworkModel
from lmdemo.tasks.bio import entity_runs, split_words, trimmed, windows

BATCH_ROWS = (1, 8, 64)  # windows per batch, padded up to one of these
MAX_CACHED_WORDS = 200_000


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
        context = (f"{c.num_layers} Transformer encoder blocks ({c.num_heads} heads, width {c.d_model}, "
                   f"feed-forward {c.hidden_dim})" if c.context == "transformer" else
                   f"{c.num_layers} bidirectional LSTM layers (width {c.d_model})")
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
        (the trainer's batches; ``tag`` lays out its windows the same way, with ``_arrays``).

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

        Texts of any length are read in windows of ``max_words`` words; the windows of all texts run
        together, in batches of similar length. The Python side works on arrays: the distinct words of
        the call are featurized once, and only texts with an entity are decoded word by word.

        Args:
            texts: a list of str (empty strings are allowed: they have no entities).
            thresholds: the B + I probabilities a word needs to be in an entity (None: ``config.threshold``).

        Raises:
            TypeError / ValueError: ``texts`` is not a list of str, or a threshold is not in (0, 1].
        """
        c = self.config
        thresholds = [c.threshold if th is None else th for th in thresholds]
        for threshold in thresholds:
            if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
                raise ValueError(f"threshold must be a number in (0, 1], received threshold={threshold!r}")
        if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
            raise TypeError(f"texts must be a list of str, received {type(texts).__name__}")
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}] must be a str, received {type(text).__name__}")
        vocab, spans, ids, starts, total = {}, [], [], [], 0
        for text in texts:
            words = split_words(text)
            spans.append(words)
            ids.append([vocab.setdefault(text[a:b], len(vocab)) for a, b in words])
            starts.append(total)
            total += len(words)
        if not total:
            return [[[] for _ in texts] for _ in thresholds]
        flat = np.fromiter((i for row in ids for i in row), np.int64, total)
        chars, buckets = self._vocab_features(vocab)
        pieces = []  # (flat start, length, kept from, kept to): the windows of every text
        for start, words in zip(starts, spans):
            if words:
                ranges, kept = windows(len(words), c.max_words, c.window_overlap)
                pieces += [(start + s, e - s, lo - s, hi - s) for (s, e), (lo, hi) in zip(ranges, kept)]
        probs = np.zeros((total, c.num_labels), np.float32)
        params = self._params()
        pieces.sort(key=lambda p: p[1])
        step = BATCH_ROWS[-1]
        pending = None  # JAX runs a batch asynchronously: lay out the next one meanwhile, then collect
        for b in range(0, len(pieces) + step, step):
            batch = pieces[b:b + step]
            running = (batch, _probabilities(self, params, *self._arrays(batch, flat, chars, buckets))) if batch \
                else None
            if pending is not None:
                done, out = pending[0], np.asarray(pending[1])
                for r, (start, _, lo, hi) in enumerate(done):
                    probs[start + lo:start + hi] = out[r, lo:hi]
            pending = running
        return [self._entities(texts, spans, starts, probs, threshold) for threshold in thresholds]

    def _entities(self, texts, spans, starts, probs, threshold):
        """The entities of all texts at once from the words' probabilities; only their words are looked at
        one by one."""
        c = self.config
        tags, scores = self._tags(probs, threshold)
        found = [[] for _ in texts]
        sums = np.r_[0.0, np.cumsum(scores, dtype=np.float64)]
        firsts = np.asarray(starts)
        for first, last, kind in entity_runs(tags, c.labels, breaks=[s for s, w in zip(starts, spans) if w]):
            t = int(np.searchsorted(firsts, first, side="right")) - 1
            while not spans[t]:  # empty texts share their start with the next one
                t -= 1
            kept = trimmed(texts[t], spans[t], first - starts[t], last - starts[t])
            if kept is not None:
                a, b = kept
                score = (sums[starts[t] + b + 1] - sums[starts[t] + a]) / (b - a + 1)
                found[t].append((spans[t][a][0], spans[t][b][1], kind, round(float(score), 4)))
        return found

    def _arrays(self, batch, flat, chars, buckets, width=None, count=None, distinct_rows=None):
        """The network's inputs for windows ``(flat start, length, ...)`` of the word ids ``flat`` (the
        widths and counts as ``layout`` pads them)."""
        c = self.config
        width = width or padded_width(max((p[1] for p in batch), default=1), c.max_words)
        count = count or next((n for n in BATCH_ROWS if n >= len(batch)), len(batch))
        ids = np.full((count, width), -1, np.int64)
        for r, (start, length, _, _) in enumerate(batch):
            ids[r, :length] = flat[start:start + length]
        mask = ids >= 0
        distinct, inverse = np.unique(ids[mask], return_inverse=True)
        index = np.zeros(ids.shape, np.int32)
        index[mask] = inverse + 1  # row 0 of word_chars is the padding word
        size = distinct_rows or 1 << len(distinct).bit_length()  # a power of two > len(distinct): few shapes
        word_chars = np.zeros((size, c.max_word_chars), np.int32)
        word_chars[1:len(distinct) + 1] = chars[distinct]
        word_hash = np.where(mask, buckets[np.maximum(ids, 0)], 0).astype(np.int32)
        return word_chars, index, word_hash, mask

    def _tags(self, probs, threshold):
        """Per word: the tag id (the type with the most B + I probability, when it reaches ``threshold``;
        I when I is likelier than B) and that probability."""
        n_types = (probs.shape[1] - 1) // 2
        pairs = probs[:, 1:].reshape(len(probs), n_types, 2)
        mass = pairs.sum(axis=2)
        best = mass.argmax(axis=1)
        rows = np.arange(len(probs))
        score = mass[rows, best]
        inside = pairs[rows, best, 1] >= pairs[rows, best, 0]
        return np.where(score >= threshold, 1 + 2 * best + inside, 0), score


@functools.partial(jax.jit, static_argnums=0)
def _probabilities(model, params, word_chars, word_index, word_hash, mask):
    logits = model._call(params, word_chars, word_index, word_hash, mask)
    return jax.nn.softmax(logits.astype("float32"), axis=-1)
