"""Seq2SeqModel (lmdemo/tasks/seq2seq_model.py): greedy and beam decoding, repeated n-grams, limits, checkpoints."""

import numpy as np
import pytest

import lmdemo
from lmdemo.data.batching import pad_batch
from lmdemo.tasks import seq2seq_model
from lmdemo.tasks.seq2seq_model import repeated_ngram_mask


def _batch(model, texts):
    ids, _ = model.encode_sources(texts)
    return pad_batch(ids, model.config.max_source_length)


def test_beam_size_one_equals_greedy_and_batch_equals_one_by_one(any_seq2seq):
    texts = ["one two three", "good night and thank you very much", "the red house"]
    greedy = any_seq2seq.generate(texts, num_beams=1)
    assert any_seq2seq.generate(texts, num_beams=1, length_penalty=0.0) == greedy
    beam1 = any_seq2seq.generate(texts, num_beams=1)
    assert beam1 == greedy
    params, batch = any_seq2seq._params(), _batch(any_seq2seq, texts)
    tokens_greedy = np.asarray(seq2seq_model._greedy(any_seq2seq, params, *batch, 11))
    tokens_beam = np.asarray(seq2seq_model._beam(any_seq2seq, params, *batch, 11, 1, 1.0))
    np.testing.assert_array_equal(tokens_greedy, tokens_beam)
    assert [any_seq2seq.generate([t])[0] for t in texts] == greedy
    assert [any_seq2seq.generate([t], num_beams=3)[0] for t in texts] == any_seq2seq.generate(texts, num_beams=3)


def test_repeated_ngram_mask_bans_the_tokens_that_would_repeat_an_ngram():
    tokens = np.array([[5, 6, 7, 5, 6, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0]], np.int32)  # tokens[:, :i] are written
    banned = lambda i, n: [np.flatnonzero(row).tolist() for row in np.asarray(repeated_ngram_mask(tokens, i, n, 10))]  # noqa: E731
    assert banned(5, 3) == [[7], []]  # row 0 ends "5 6", once followed by 7; row 1 ends "0 0", never seen before
    assert banned(3, 3) == [[], [1]]  # row 1 ends "1 1", once followed by 1
    assert banned(5, 2) == [[7], [0]]
    assert banned(5, 1) == [[5, 6, 7], [0, 1]]
    assert banned(5, 0) == [[], []]


def test_no_repeat_ngram_size_leaves_no_repeated_ngram(any_seq2seq):
    texts = ["one two three", "good night and thank you very much", "the red house"]
    for beams in (1, 3):
        plain = any_seq2seq.generate(texts, num_beams=beams, no_repeat_ngram_size=0)
        assert plain == any_seq2seq.generate(texts, num_beams=beams)
    params, batch = any_seq2seq._params(), _batch(any_seq2seq, texts)
    for tokens in (seq2seq_model._greedy(any_seq2seq, params, *batch, 11, 2),
                   seq2seq_model._beam(any_seq2seq, params, *batch, 11, 3, 1.0, 2)):
        for row in np.asarray(tokens).tolist():
            row = row[:row.index(any_seq2seq.start_id)] if any_seq2seq.start_id in row else row
            pairs = list(zip(row, row[1:]))
            assert len(pairs) == len(set(pairs)), row
    assert any_seq2seq.generate(texts, num_beams=1, no_repeat_ngram_size=2) == \
        any_seq2seq.generate(texts, num_beams=1, length_penalty=0.0, no_repeat_ngram_size=2)
    with pytest.raises(ValueError, match=r"no_repeat_ngram_size must be an int in \[0, 8\], received no_repeat_ngram_size=-1"):
        any_seq2seq.generate(texts, no_repeat_ngram_size=-1)


def test_beam_search_is_at_least_as_likely_as_greedy(seq2seq):
    text = "I see the cat."
    greedy = seq2seq.generate([text])[0]
    beam = seq2seq.generate([text], num_beams=4, length_penalty=0.0)[0]
    if greedy["finished"] and beam["finished"]:
        assert seq2seq.log_probs(text, beam["text"]).sum() >= seq2seq.log_probs(text, greedy["text"]).sum() - 1e-4


def test_long_input_is_truncated_and_said_so(seq2seq):
    long = "one two three " * 40
    result = seq2seq.generate([long, "good night"])
    assert [r["truncated"] for r in result] == [True, False]
    assert result[0]["text"] == seq2seq.generate(["one two three " * 40 + "extra words"])[0]["text"]


@pytest.mark.parametrize("texts, error, message", [
    ([""], ValueError, r"texts\[0\] is empty"),
    (["ok", "  "], ValueError, r"texts\[1\] is empty"),
    ([3], TypeError, r"texts\[0\] must be a str"),
    ("a string", TypeError, "texts must be a list of strings"),
    (["x" * 100_001], ValueError, r"texts\[0\] has 100,001 characters"),
])
def test_seq2seq_bad_input(seq2seq, texts, error, message):
    with pytest.raises(error, match=message):
        seq2seq.generate(texts)


@pytest.mark.parametrize("kwargs, message", [
    ({"num_beams": 0}, r"num_beams must be an int in \[1, 16\], received num_beams=0"),
    ({"max_new_tokens": 12}, r"max_new_tokens must be an int in \[1, 11\], received max_new_tokens=12"),
    ({"length_penalty": float("nan")}, "length_penalty must be a number"),
])
def test_seq2seq_bad_options(seq2seq, kwargs, message):
    with pytest.raises(ValueError, match=message):
        seq2seq.generate(["hello"], **kwargs)


def test_non_english_input_gives_a_result(seq2seq):
    # The byte-level BPE reads any text (no <unk>): Chinese and emoji become byte tokens the toy
    # vocabulary has. The untrained toy model (seed 0) writes all 11 tokens without its end token;
    # its bytes do not form valid UTF-8 everywhere, and decoding shows those as U+FFFD.
    assert seq2seq.tokenizer.encode("🙂🙂") == [173, 254, 248, 225] * 2
    assert seq2seq.tokenizer.decode(seq2seq.tokenizer.encode("这是中文。")) == "这是中文。"
    result = seq2seq.generate(["这是中文。", "🙂🙂"])
    assert result == [
        {"text": "?\ufffd\x1f\x08\u03ac\ufffd\ufffd\x08\x08\x08", "truncated": False, "finished": False},
        {"text": "m t:\ufffdM\ufffdk\ufffd\x08Bb", "truncated": False, "finished": False},
    ]
    assert [seq2seq.generate([text])[0] for text in ("这是中文。", "🙂🙂")] == result


def test_seq2seq_checkpoint_round_trip_plain_and_encrypted(seq2seq, tmp_path):
    texts = ["one two three", "the red house"]
    expected = seq2seq.generate(texts, num_beams=2)
    seq2seq.save(str(tmp_path / "plain"))
    assert lmdemo.load_model(str(tmp_path / "plain")).generate(texts, num_beams=2) == expected
    clone = lmdemo.Seq2SeqModel.load(str(tmp_path / "plain"))
    clone.save(str(tmp_path / "enc"), passphrase="correct horse")
    assert lmdemo.Seq2SeqModel.load(str(tmp_path / "enc"), passphrase="correct horse").generate(texts, num_beams=2) \
        == expected
    with pytest.raises(ValueError, match="wrong key or passphrase"):
        lmdemo.Seq2SeqModel.load(str(tmp_path / "enc"), passphrase="wrong")
    with pytest.raises(ValueError, match="holds a 'encoder-decoder' model, not a 'classifier' one"):
        lmdemo.SentimentModel.load(str(tmp_path / "plain"))


def test_attention_shows_where_each_target_token_looked(any_seq2seq):
    source = "good night and thank you"
    target = any_seq2seq.generate([source], max_new_tokens=6)[0]["text"] or "hello"
    out = any_seq2seq.attention(source, target)
    tok, c = any_seq2seq.tokenizer, any_seq2seq.config
    src_ids, tgt_ids = tok.encode(source), tok.encode(target.strip())[:c.max_target_length - 1]
    assert out["source_tokens"] == [tok.token_text(i) for i in src_ids]
    assert out["target_tokens"] == [tok.token_text(i) for i in [any_seq2seq.start_id] + tgt_ids]
    assert out["cross_attention"].shape == (c.decoder_layers, c.num_heads, len(tgt_ids) + 1, len(src_ids))
    # every row is a distribution over the real source tokens: none of it lands on padding
    np.testing.assert_allclose(out["cross_attention"].sum(-1), 1.0, atol=1e-5)
    if c.copy_attention:
        assert out["copy_attention"].shape == (len(tgt_ids) + 1, len(src_ids))
        np.testing.assert_allclose(out["copy_attention"].sum(-1), 1.0, atol=1e-5)
        assert np.all((out["generate_probability"] >= 0) & (out["generate_probability"] <= 1))
    else:
        assert "copy_attention" not in out


def test_attention_refuses_empty_text(seq2seq):
    with pytest.raises(ValueError, match="source and target must both hold text"):
        seq2seq.attention("hello", "   ")
    with pytest.raises(ValueError, match="source is empty"):
        seq2seq.attention("", "hola")
