"""EncoderDecoder (lmdemo/networks/encoder_decoder.py): cached decoding, source padding, copy attention."""

import numpy as np


def test_cached_decoding_equals_teacher_forcing(any_seq2seq):
    net = any_seq2seq.network
    src = np.array([[5, 6, 7, 8, 0, 0]], np.int32)
    mask = src > 0
    tgt = np.array([[0, 11, 12, 13, 14]], np.int32)
    full = np.asarray(net(src, tgt, source_mask=mask))
    _, memory_kv = net.encode(src, mask)
    cache = net.empty_cache(1)
    for i in range(tgt.shape[1]):
        step = net.decode(tgt[:, i:i + 1], memory_kv, mask, cache=cache, cache_index=i)
        cache = step.cache
        np.testing.assert_allclose(np.asarray(step.output)[0, 0], full[0, i], atol=1e-5)


def test_source_padding_does_not_change_the_target_logits(any_seq2seq):
    net = any_seq2seq.network
    tgt = np.array([[0, 11, 12]], np.int32)
    short = np.asarray(net(np.array([[5, 6, 7]], np.int32), tgt, source_mask=np.ones((1, 3), bool)))
    padded = np.asarray(net(np.array([[5, 6, 7, 9, 9]], np.int32), tgt,
                            source_mask=np.array([[True, True, True, False, False]])))
    np.testing.assert_allclose(short, padded, atol=1e-5)


def test_copy_attention_probabilities_sum_to_one_and_copy_the_source(seq2seq_copy):
    net = seq2seq_copy.network
    src = np.array([[5, 6, 5, 7, 0, 0]], np.int32)
    mask = src > 0
    tgt = np.array([[0, 11, 12]], np.int32)
    probs = np.exp(np.asarray(net(src, tgt, source_mask=mask), np.float64))
    np.testing.assert_allclose(probs.sum(-1), 1.0, atol=1e-5)
    saved = [v.numpy() for v in (net.copy_query.kernel, net.copy_gate.kernel, net.copy_gate.bias)]
    try:  # p_gen = sigmoid(-40) ≈ 0 and a uniform copy attention over the 4 real source tokens
        net.copy_query.kernel.assign(np.zeros_like(saved[0]))
        net.copy_gate.kernel.assign(np.zeros_like(saved[1]))
        net.copy_gate.bias.assign(np.full_like(saved[2], -40.0))
        probs = np.exp(np.asarray(net(src, tgt, source_mask=mask), np.float64))
    finally:
        for v, value in zip((net.copy_query.kernel, net.copy_gate.kernel, net.copy_gate.bias), saved):
            v.assign(value)
    expected = np.full(net.config.vocab_size, 1e-9)
    expected[[5, 6, 7]] = [0.5, 0.25, 0.25]  # id 5 twice; padding (id 0) is never copied
    for row in probs[0]:
        np.testing.assert_allclose(row, expected, rtol=1e-5)
