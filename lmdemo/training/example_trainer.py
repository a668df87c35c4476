"""Training on labelled examples (text → label, source → target) instead of a token stream.

Batches group examples of similar length, as fairseq and tensor2tensor do: each block of
``POOL`` batches is drawn at random (from the seed and the block's number only, so a resumed
run sees the same data), sorted by length and cut into batches, and each batch is padded to a
width from a short list (8, 12, 16, 24, 32, ...: at most a third wasted on padding), so only
a handful of shapes is ever compiled.
"""

import jax
import jax.numpy as jnp
import numpy as np

from lmdemo.data.batching import pad_batch, padded_width
from lmdemo.layers.logits import target_log_probs
from lmdemo.training.trainer import Trainer, cross_entropy

POOL = 64  # batches per length-sorted block


class ExampleTrainer(Trainer):
    """A ``Trainer`` whose data is a list of examples; subclasses say how a batch is laid out.

    ``fit(train_examples, val_examples)`` takes lists of examples (see the subclasses).
    """

    def _prepare(self, train, val):
        if len(train) < self.config.batch_size:
            raise ValueError(f"the training data has {len(train)} examples; it needs at least "
                             f"batch_size={self.config.batch_size}")
        self._block = (None, None)
        return list(train), (list(val) if val else None)

    def _length(self, example):
        raise NotImplementedError

    def _layout(self, examples, rng=None):
        """A list of examples → the arrays ``_loss`` takes (after the variables); ``rng`` is the
        step's generator when training (None when evaluating)."""
        raise NotImplementedError

    def _batch(self, train, rng):
        # the block depends on (seed, block number) only; the batch within it on the step's rng
        number = self.step // POOL
        if self._block[0] != number:
            block_rng = np.random.default_rng([self.config.seed, number, 7])
            size = min(POOL * self.config.batch_size, len(train))
            chosen = block_rng.choice(len(train), size=size, replace=False)
            chosen = sorted(chosen, key=lambda i: self._length(train[i]))
            batches = [chosen[i:i + self.config.batch_size] for i in range(0, size - self.config.batch_size + 1,
                                                                          self.config.batch_size)]
            order = block_rng.permutation(len(batches))
            self._block = (number, [batches[i] for i in order])
        batches = self._block[1]
        return self._layout([train[i] for i in batches[self.step % len(batches)]], rng)

    def evaluate(self, examples, batch_size=None):
        """Mean loss over every example (nats per target token, or per example for labels)."""
        batch_size = batch_size or self.config.batch_size
        order = sorted(range(len(examples)), key=lambda i: self._length(examples[i]))
        trainable, non_trainable, _ = self._state()
        total, count = 0.0, 0.0
        for i in range(0, len(order), batch_size):
            t, c = self._eval_step(trainable, non_trainable, *self._layout([examples[j] for j in order[i:i + batch_size]]))
            total, count = total + float(t), count + float(c)
        return total / count

    def _eval(self, trainable, non_trainable, *batch):
        return self._sums(trainable, non_trainable, batch, training=False)[:2]

    def _loss(self, trainable, non_trainable, *batch):
        total, count, non_trainable = self._sums(trainable, non_trainable, batch, training=True)
        return total / count, non_trainable


class Seq2SeqTrainer(ExampleTrainer):
    """Trains an ``EncoderDecoder`` on (source ids, target ids) pairs with teacher forcing.

    The decoder reads ``[start] + target`` and predicts ``target + [end]``; the loss is the
    cross-entropy of those predictions, with optional label smoothing (Szegedy et al., 2016).

    Args:
        start_id: the token that starts (and ends) every target.
        max_source_length, max_target_length: the widths batches are cut to.
        label_smoothing: ε: the target distribution is (1 - ε) on the right token plus ε spread
            uniformly over the vocabulary.
    """

    def __init__(self, model, config, start_id, max_source_length, max_target_length, label_smoothing=0.0, **kwargs):
        super().__init__(model, config, context=max_target_length, **kwargs)
        self.start_id = int(start_id)
        self.max_source_length = int(max_source_length)
        self.max_target_length = int(max_target_length)
        self.label_smoothing = float(label_smoothing)

    def _length(self, example):
        return len(example[0]) + len(example[1])

    def _layout(self, examples, rng=None):
        src, src_mask = pad_batch([s for s, _ in examples], self.max_source_length)
        tgt_in, _ = pad_batch([[self.start_id] + list(t) for _, t in examples], self.max_target_length)
        tgt_out, tgt_mask = pad_batch([list(t) + [self.start_id] for _, t in examples], self.max_target_length)
        tgt_in = tgt_in[:, :tgt_out.shape[1]]
        return src, src_mask, tgt_in, tgt_out, tgt_mask

    def _sums(self, trainable, non_trainable, batch, training):
        src, src_mask, tgt_in, tgt_out, tgt_mask = batch
        logits, non_trainable = self.model.stateless_call(trainable, non_trainable, src, tgt_in,
                                                          source_mask=src_mask, training=training)
        mask = tgt_mask.astype(jnp.float32)
        if training and self.label_smoothing:
            nll = -target_log_probs(logits, tgt_out)
            smooth = -jax.nn.log_softmax(logits.astype(jnp.float32), axis=-1).mean(axis=-1)
            loss = (1 - self.label_smoothing) * nll + self.label_smoothing * smooth
            return (loss * mask).sum(), mask.sum(), non_trainable
        total, count = cross_entropy(logits, tgt_out, mask)
        return total, count, non_trainable


class ClassifierTrainer(ExampleTrainer):
    """Trains a ``TextClassifier`` on (token ids, label) pairs: cross-entropy of the label."""

    def __init__(self, model, config, max_length, **kwargs):
        super().__init__(model, config, context=max_length, **kwargs)
        self.max_length = int(max_length)

    def _length(self, example):
        return len(example[0])

    def _layout(self, examples, rng=None):
        ids, mask = pad_batch([x for x, _ in examples], self.max_length)
        return ids, mask, np.asarray([y for _, y in examples], np.int32)

    def _sums(self, trainable, non_trainable, batch, training):
        ids, mask, labels = batch
        logits, non_trainable = self.model.stateless_call(trainable, non_trainable, ids, padding_mask=mask,
                                                          training=training)
        total, count = cross_entropy(logits, labels)
        return total, count, non_trainable


class MaskedLMTrainer(ExampleTrainer):
    """Trains a ``MaskedLM`` on token-id lists: BERT's 15% / 80-10-10 masking, loss on the chosen positions.

    Evaluation masks with a fixed seed, so every validation loss is measured on the same positions.

    Args:
        mask_id: the token that hides a chosen position.
        max_length: texts are cut to this many tokens.
        vocab_size: for the random replacements.
        mask_rate: the fraction of tokens chosen.
    """

    def __init__(self, model, config, mask_id, max_length, vocab_size, mask_rate=0.15, **kwargs):
        super().__init__(model, config, context=max_length, **kwargs)
        self.mask_id = int(mask_id)
        self.max_length = int(max_length)
        self.vocab_size = int(vocab_size)
        self.mask_rate = float(mask_rate)

    def _length(self, example):
        return len(example)

    def _layout(self, examples, rng=None):
        rng = rng if rng is not None else np.random.default_rng([self.config.seed, len(examples), 11])
        ids, mask = pad_batch(examples, self.max_length)
        chosen = (rng.random(ids.shape) < self.mask_rate) & mask
        for row in np.flatnonzero(~chosen.any(axis=1) & mask.any(axis=1)):  # every text predicts something
            chosen[row, rng.integers(mask[row].sum())] = True
        draw = rng.random(ids.shape)
        inputs = np.where(chosen & (draw < 0.8), self.mask_id, ids)
        random_tokens = rng.integers(self.vocab_size, size=ids.shape)
        inputs = np.where(chosen & (draw >= 0.8) & (draw < 0.9), random_tokens, inputs).astype(np.int32)
        # The loss needs the chosen positions only: (batch, k) of them, k a multiple of 4 so that
        # few shapes compile; rows with fewer are padded with position 0 at weight 0.
        counts = chosen.sum(axis=1)
        k = int(-(-max(int(counts.max()), 1) // 4) * 4)
        positions = np.zeros((len(ids), k), np.int32)
        weights = np.zeros((len(ids), k), np.float32)
        for row in range(len(ids)):
            where = np.flatnonzero(chosen[row])
            positions[row, :len(where)] = where
            weights[row, :len(where)] = 1.0
        targets = np.take_along_axis(ids, positions, axis=1)
        return inputs, mask, positions, targets, weights

    def _sums(self, trainable, non_trainable, batch, training):
        inputs, mask, positions, targets, weights = batch
        logits, non_trainable = self.model.stateless_call(trainable, non_trainable, inputs, padding_mask=mask,
                                                          training=training, positions=positions)
        total, count = cross_entropy(logits, targets, weights)
        return total, count, non_trainable


class TaggerTrainer(ExampleTrainer):
    """Trains a ``TokenTagger`` on (words, tag ids) windows: the cross-entropy of every real word's tag.

    Args:
        layout: the model's ``layout`` (``TaggerModel.layout``): lists of words → the network's inputs.
        max_words: the window width batches are cut to.
    """

    def __init__(self, model, config, layout, max_words, **kwargs):
        super().__init__(model, config, context=max_words, **kwargs)
        self.layout = layout
        self.max_words = int(max_words)

    def _length(self, example):
        return len(example[0])

    def _layout(self, examples, rng=None):
        width = padded_width(max(len(w) for w, _ in examples), self.max_words)
        chars, index, hashes, mask = self.layout([w for w, _ in examples], width=width, count=len(examples),
                                                 distinct_rows=len(examples) * width + 1)
        tags = np.zeros(mask.shape, np.int32)
        for i, (_, t) in enumerate(examples):
            tags[i, :len(t)] = t
        return chars, index, hashes, mask, tags

    def _sums(self, trainable, non_trainable, batch, training):
        chars, index, hashes, mask, tags = batch
        logits, non_trainable = self.model.stateless_call(trainable, non_trainable, chars, index, hashes, mask,
                                                          training=training)
        total, count = cross_entropy(logits, tags, mask.astype(jnp.float32))
        return total, count, non_trainable
