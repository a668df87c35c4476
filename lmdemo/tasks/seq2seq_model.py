"""Sequence-to-sequence models (translation, abstractive summarization): an ``EncoderDecoder`` and its tokenizer.

Decoding reads the source once (the encoder, and every decoder block's cross-attention keys
and values of it), then writes one target token per step with the self-attention KV cache,
as the decoder-only models do. Greedy decoding and beam search each run as one compiled loop
over a batch of sources; a row is done when it writes the end token.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from lmdemo.config import EncoderDecoderConfig
from lmdemo.networks.encoder_decoder import EncoderDecoder
from lmdemo.data.batching import pad_batch
from lmdemo.storage.network_model import NetworkModel
from lmdemo.data.checks import MAX_INPUT_CHARS, check_text, check_texts, is_int, is_number
from lmdemo.generation.samplers import MAX_BEAMS, BeamSampler
from lmdemo.generation.state import select_rows
from lmdemo.layers.logits import MASK_VALUE, target_log_probs

DECODE_BATCH = 32  # sources decoded together


class Seq2SeqModel(NetworkModel):
    """Maps a text to a text: English → Spanish, a dialogue → its summary.

    Args:
        network: a built ``lmdemo.networks.encoder_decoder.EncoderDecoder``.
        tokenizer: one tokenizer for both sides; its start text (``<|endoftext|>``) starts
            and ends every target.

    Example:
        >>> model = lmdemo.load_model("en-es-translation")
        >>> model.generate(["I love you."], num_beams=4)[0]["text"]
    """

    kind = "encoder-decoder"
    config_class = EncoderDecoderConfig
    network_class = EncoderDecoder

    def __init__(self, network, tokenizer, card=None, encryption=None):
        super().__init__(network, tokenizer, card=card, encryption=encryption)
        if not tokenizer.start_text:
            raise ValueError(f"a {tokenizer.type_name} tokenizer has no start token; sequence-to-sequence models "
                             f"need one (use a BPE tokenizer)")
        self.start_id = tokenizer.start_id

    def describe(self):
        c = self.config
        return (f"An encoder–decoder Transformer: {c.encoder_layers} encoder and {c.decoder_layers} decoder layers "
                f"(pre-LayerNorm), {c.num_heads} heads, width {c.d_model}, feed-forward {c.hidden_dim} ({c.activation}), "
                f"up to {c.max_source_length} source and {c.max_target_length} target tokens, output layer tied to "
                f"the target embeddings" + ("; a copy attention over the source mixed in by a learned gate "
                                            "(pointer-generator)" if c.copy_attention else ""))

    # -- inputs ------------------------------------------------------------------------------------
    def encode_sources(self, texts):
        """Token ids of each source, cut to ``max_source_length``; and which were cut."""
        ids, cut = [], []
        for text in check_texts(texts):
            row = self.tokenizer.encode(text.strip())
            cut.append(len(row) > self.config.max_source_length)
            ids.append(row[:self.config.max_source_length])
        return ids, cut

    # -- scoring -----------------------------------------------------------------------------------
    def log_probs(self, source, target):
        """ln P(target token | source, target tokens before it) for every target token and the end token."""
        (src,), _ = self.encode_sources([source])
        tgt = self.tokenizer.encode(target)[: self.config.max_target_length - 1] + [self.start_id]
        src_ids, src_mask = pad_batch([src], self.config.max_source_length)
        tgt_in, _ = pad_batch([[self.start_id] + tgt[:-1]], self.config.max_target_length)
        logits = self._call(self._params(), src_ids, tgt_in, source_mask=src_mask)
        return np.asarray(target_log_probs(logits[0, :len(tgt)], np.asarray(tgt, np.int32)), np.float64)

    def attention(self, source, target):
        """Where the decoder looked in the source while it wrote ``target`` (teacher forcing).

        Args:
            source: the input text (cut to ``max_source_length`` tokens).
            target: the output text, e.g. ``generate([source])[0]["text"]``.

        Returns:
            dict: ``source_tokens``, ``target_tokens`` (the start token, then the target's tokens:
            row i of each matrix is the step that wrote target token i, the last row the end
            token); ``cross_attention`` (layers, heads, target, source); with a copy attention also
            ``copy_attention`` (target, source) and ``generate_probability`` (target,), the gate
            p_gen (1: the word was generated, 0: copied from the source).
        """
        check_text(source, "source", MAX_INPUT_CHARS)
        check_text(target, "target", MAX_INPUT_CHARS)
        if not source.strip() or not target.strip():
            raise ValueError(f"source and target must both hold text, received source={source[:80]!r}, "
                             f"target={target[:80]!r}")
        (src,), _ = self.encode_sources([source])
        tgt = [self.start_id] + self.tokenizer.encode(target.strip())[: self.config.max_target_length - 1]
        params = self._params()
        src_ids, src_mask = pad_batch([src], self.config.max_source_length)
        _, memory_kv = self._call(params, src_ids, src_mask, method=self.network.encode)
        details = self._call(params, np.asarray([tgt], np.int32), memory_kv, src_mask, return_details=True,
                             method=self.network.decode).details
        n, m = len(tgt), len(src)
        tok = self.tokenizer.token_text
        out = {"source_tokens": [tok(i) for i in src], "target_tokens": [tok(i) for i in tgt],
               "cross_attention": np.stack([np.asarray(w)[0, :, :n, :m] for w in details["cross_attention_weights"]])}
        if "copy_weights" in details:
            out["copy_attention"] = np.asarray(details["copy_weights"])[0, :n, :m]
            out["generate_probability"] = np.asarray(details["copy_gate"])[0, :n]
        return out

    # -- generation --------------------------------------------------------------------------------
    def generate(self, texts, num_beams=1, max_new_tokens=None, length_penalty=1.0, no_repeat_ngram_size=0):
        """The output text for each input text.

        Args:
            texts: a list of strings (each non-empty).
            num_beams: 1 = greedy decoding; more = beam search with that many beams (≤ ``MAX_BEAMS``, 16).
            max_new_tokens: the most tokens written per text (default: ``max_target_length - 1``).
            length_penalty: beam search ranks finished beams by log P / length^length_penalty.
            no_repeat_ngram_size: n > 0 forbids writing any n tokens in a row twice (as Hugging
                Face's option of that name); 0 allows repeats.

        Returns:
            list of dicts: ``text``, ``truncated`` (the input was longer than
            ``max_source_length`` tokens and only its start was read), ``finished`` (the model
            wrote its end token before ``max_new_tokens``).
        """
        check_texts(texts)
        if not is_int(num_beams) or not 1 <= num_beams <= MAX_BEAMS:
            raise ValueError(f"num_beams must be an int in [1, {MAX_BEAMS}], received num_beams={num_beams!r}")
        limit = self.config.max_target_length - 1
        max_new_tokens = limit if max_new_tokens is None else max_new_tokens
        if not is_int(max_new_tokens) or not 1 <= max_new_tokens <= limit:
            raise ValueError(f"max_new_tokens must be an int in [1, {limit}], received max_new_tokens={max_new_tokens!r}")
        if not is_number(length_penalty) or not 0 <= length_penalty <= 5:
            raise ValueError(f"length_penalty must be a number in [0, 5], received length_penalty={length_penalty!r}")
        if not is_int(no_repeat_ngram_size) or not 0 <= no_repeat_ngram_size <= 8:
            raise ValueError(f"no_repeat_ngram_size must be an int in [0, 8], received "
                             f"no_repeat_ngram_size={no_repeat_ngram_size!r}")
        ids, cut = self.encode_sources(texts)
        params = self._params()
        results = [None] * len(ids)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # similar lengths decode together
        batch_size = max(1, DECODE_BATCH // num_beams)
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            rows = [ids[i] for i in chunk] + [[self.start_id]] * (batch_size - len(chunk))  # fixed batch: one compile
            src, mask = pad_batch(rows, self.config.max_source_length)
            n = int(no_repeat_ngram_size)
            if num_beams == 1:
                tokens = _greedy(self, params, src, mask, max_new_tokens, n)
            else:
                tokens = _beam(self, params, src, mask, max_new_tokens, num_beams, float(length_penalty), n)
            for i, row in zip(chunk, np.asarray(tokens)):
                row = row.tolist()
                finished = self.start_id in row
                row = row[: row.index(self.start_id)] if finished else row
                results[i] = {"text": self.tokenizer.decode(row).strip(), "truncated": cut[i], "finished": finished}
        return results

    def _encode(self, params, src, mask):
        _, memory_kv = self._call(params, src, mask, method=self.network.encode)
        return memory_kv

    def _step(self, params, token, memory_kv, mask, cache, index):
        result = self._call(params, token[:, None], memory_kv, mask, cache=cache, cache_index=index,
                            method=self.network.decode)
        return result.output[:, 0].astype(jnp.float32), result.cache


def repeated_ngram_mask(tokens, i, n, vocab_size):
    """(rows, vocab) True at each token that would complete an n-gram already in ``tokens[:, :i]``.

    Row r bans token w when some earlier n-gram of r is its last n - 1 tokens followed by w.
    """
    rows, steps = tokens.shape
    if n < 1:
        return jnp.zeros((rows, vocab_size), bool)
    starts = jnp.arange(steps)
    match = jnp.broadcast_to(starts[None, :] <= i - n, (rows, steps))  # n-grams that end before i
    for k in range(n - 1):  # the n-gram at j begins with the last n - 1 tokens
        last = jnp.take(tokens, jnp.clip(i - (n - 1) + k, 0, steps - 1), axis=1)
        match = match & (jnp.roll(tokens, -k, axis=1) == last[:, None])
    following = jnp.roll(tokens, -(n - 1), axis=1)
    return jnp.zeros((rows, vocab_size), bool).at[jnp.arange(rows)[:, None], following].max(match)


@functools.partial(jax.jit, static_argnums=(0, 4, 5))
def _greedy(model, params, src, mask, steps, no_repeat=0):
    """argmax at every step until every row has written the end token: (batch, steps) ids."""
    batch = src.shape[0]
    memory_kv = model._encode(params, src, mask)
    cache = model.network.empty_cache(batch)
    tokens = jnp.full((batch, steps), model.start_id, jnp.int32)

    def body(carry):
        i, token, cache, tokens, done = carry
        logits, cache = model._step(params, token, memory_kv, mask, cache, i)
        if no_repeat:
            logits = jnp.where(repeated_ngram_mask(tokens, i, no_repeat, logits.shape[-1]), MASK_VALUE, logits)
        token = jnp.where(done, model.start_id, jnp.argmax(logits, axis=-1).astype(jnp.int32))
        return i + 1, token, cache, tokens.at[:, i].set(token), done | (token == model.start_id)

    start = jnp.full((batch,), model.start_id, jnp.int32)
    carry = (jnp.int32(0), start, cache, tokens, jnp.zeros((batch,), bool))
    return lax.while_loop(lambda c: (c[0] < steps) & ~jnp.all(c[4]), body, carry)[3]


@functools.partial(jax.jit, static_argnums=(0, 4, 5, 7))
def _beam(model, params, src, mask, steps, beams, length_penalty, no_repeat=0):
    """Beam search per source; a finished beam keeps its score (it can only add the end token, at
    probability 1). Returns the best beam's (batch, steps) ids by log P / length^length_penalty."""
    batch = src.shape[0]
    sampler = BeamSampler(beams)
    memory_kv = jax.tree.map(lambda a: jnp.repeat(a, beams, axis=0), model._encode(params, src, mask))
    mask = jnp.repeat(mask, beams, axis=0)
    cache = model.network.empty_cache(batch * beams)
    end = model.start_id
    flat = lambda a: a.reshape((batch * beams,) + a.shape[2:])  # noqa: E731

    def body(carry):
        i, token, cache, tokens, scores, done, lengths = carry
        logits, cache = model._step(params, flat(token), memory_kv, mask, cache, i)
        if no_repeat:
            logits = jnp.where(repeated_ngram_mask(flat(tokens), i, no_repeat, logits.shape[-1]), MASK_VALUE, logits)
        logits = logits.reshape(batch, beams, -1)
        only_end = jnp.full_like(logits, MASK_VALUE).at[..., end].set(0.0)
        logits = jnp.where(done[..., None], only_end, logits)
        parent, token, scores = jax.vmap(sampler.beam_step, in_axes=(0, 0, None))(logits, scores, i == 0)
        pick = lambda a: jnp.take_along_axis(a, parent.reshape(parent.shape + (1,) * (a.ndim - 2)), axis=1)  # noqa: E731
        rows = (jnp.arange(batch)[:, None] * beams + parent).reshape(-1)
        cache = select_rows(cache, rows)
        was_done = pick(done)
        tokens = pick(tokens).at[:, :, i].set(token)
        lengths = pick(lengths) + (~was_done).astype(jnp.int32)
        return i + 1, token, cache, tokens, scores, was_done | (token == end), lengths

    carry = (jnp.int32(0), jnp.full((batch, beams), end, jnp.int32), cache,
             jnp.full((batch, beams, steps), end, jnp.int32), jnp.zeros((batch, beams), jnp.float32),
             jnp.zeros((batch, beams), bool), jnp.zeros((batch, beams), jnp.int32))
    _, _, _, tokens, scores, _, lengths = lax.while_loop(lambda c: (c[0] < steps) & ~jnp.all(c[5]), body, carry)
    ranked = scores / jnp.maximum(lengths, 1).astype(jnp.float32) ** length_penalty
    best = jnp.argmax(ranked, axis=1)
    return jnp.take_along_axis(tokens, best[:, None, None], axis=1)[:, 0]
