"""NGramLM (lmdemo/lm/ngram_lm.py): interpolated modified Kneser-Ney, checked by hand and against the formulas."""

import collections
import itertools
import math

import numpy as np
import pytest

import lmdemo
from lmdemo import NGramLM
from lmdemo.lm.ngram_lm import estimate_discounts
from lmdemo.tokenizers import CharTokenizer, WordTokenizer
from tests.conftest import shared_data


def test_hand_computed_bigram_probabilities():
    # corpus "abab", vocabulary {a, b, <unk>} (no start token: "\n" is not in it), D = (0.5, 1, 1.5)
    # bigram counts: ab 2, ba 1; continuation counts: N1+(.a) = |{b}| = 1, N1+(.b) = |{a}| = 1
    # P1(a) = P1(b) = (1 - 0.5)/2 + (0.5*2/2)*(1/3) = 5/12, P1(<unk>) = 1/6
    # P(b|a) = (2 - 1)/2 + (1*1/2)*5/12 = 17/24;  P(a|a) = 5/24;  P(<unk>|a) = 2/24
    # P(a|b) = (1 - 0.5)/1 + (0.5*1/1)*5/12 = 17/24
    tok = CharTokenizer.train("ab")
    lm = NGramLM.train(tok, "abab", order=2, discounts=(0.5, 1.0, 1.5))
    a, b, unk = tok.encode("a")[0], tok.encode("b")[0], tok.unk_id
    assert tok.encode("c") == [unk]  # an unseen character: the history <unk>
    np.testing.assert_allclose(lm.next_token_probs("a")[[a, b, unk]], [5 / 24, 17 / 24, 2 / 24], rtol=1e-12)
    np.testing.assert_allclose(lm.next_token_probs("b")[[a, b, unk]], [17 / 24, 5 / 24, 2 / 24], rtol=1e-12)
    np.testing.assert_allclose(lm.next_token_probs("c")[[a, b, unk]], [5 / 12, 5 / 12, 1 / 6], rtol=1e-12)
    np.testing.assert_allclose(np.exp(lm.log_probs("abab")), [17 / 24] * 3, rtol=1e-12)


def _reference_kn(tokens, order, vocab, discounts):
    """Interpolated modified Kneser-Ney straight from the formulas, with dicts (slow, obvious)."""
    raw = collections.Counter(tuple(tokens[i:i + order]) for i in range(len(tokens) - order + 1))
    counts = {order: raw}
    for k in range(order - 1, 0, -1):
        types = {tuple(tokens[i:i + k + 1]) for i in range(len(tokens) - k)}
        counts[k] = collections.Counter(g[1:] for g in types)

    def prob(w, history):
        p = 1.0 / vocab
        for k in range(1, order + 1):
            if len(history) < k - 1:
                break
            h = tuple(history[len(history) - (k - 1):]) if k > 1 else ()
            followers = {g[-1]: c for g, c in counts[k].items() if g[:-1] == h}
            total = sum(followers.values())
            if not total:
                break
            d = discounts[k - 1]
            disc = lambda c: 0 if c == 0 else d[min(c, 3) - 1]  # noqa: E731
            gamma = sum(disc(c) for c in followers.values()) / total
            c = followers.get(w, 0)
            p = max(c - disc(c), 0) / total + gamma * p
        return p

    return prob


def test_matches_reference_formulas_on_random_text():
    rng = np.random.default_rng(0)
    text = "".join(rng.choice(list("abcde"), size=400, p=[0.4, 0.25, 0.15, 0.15, 0.05]))
    tok = CharTokenizer.train("abcdef")  # "f" and <unk> never occur
    lm = NGramLM.train(tok, text, order=3)
    ids = tok.encode(text)
    prob = _reference_kn(ids, 3, tok.vocab_size, lm.discounts)
    test = "abcfeadbbace"
    t_ids = tok.encode(test)
    expected = [math.log(prob(t_ids[i], t_ids[:i])) for i in range(1, len(t_ids))]
    np.testing.assert_allclose(lm.log_probs(test), expected, rtol=1e-10)


def test_next_token_probabilities_sum_to_one_for_any_context():
    rng = np.random.default_rng(1)
    text = " ".join(rng.choice(["the", "cat", "sat", "on", "mat", "a", "dog"], size=300)) + "\n"
    tok = WordTokenizer.train(text + " zebra")  # zebra is in the vocabulary but not in the counts
    lm = NGramLM.train(tok, text, order=4)
    contexts = ["", "the", "the cat", "zebra zebra zebra", "never seen words here", "dog on the mat\n"]
    for words in itertools.chain(contexts, (" ".join(rng.choice(tok.words[2:], size=5)) for _ in range(20))):
        p = lm.next_token_probs(words)
        assert p.shape == (tok.vocab_size,) and np.all(p > 0)
        assert p.sum() == pytest.approx(1.0, abs=1e-12)


def test_scoring_agrees_with_next_token_probs():
    tok = CharTokenizer.train("hello world")
    lm = NGramLM.train(tok, "hello world, hello low world " * 5, order=3)
    text = "hello wor"
    lp = lm.log_probs(text)
    ids = tok.encode(text)
    assert len(lp) == len(ids) - 1  # "\n" is not in the vocabulary: no start token, the first is not scored
    for i in range(1, len(ids)):
        assert lp[i - 1] == pytest.approx(math.log(lm.next_token_probs(text[:i])[ids[i]]), rel=1e-12)


def test_estimated_discounts_follow_chen_goodman():
    counts = np.array([1] * 10 + [2] * 4 + [3] * 3 + [4] * 2 + [7])
    y = 10 / (10 + 2 * 4)
    expected = (1 - 2 * y * 4 / 10, 2 - 3 * y * 3 / 4, 3 - 4 * y * 2 / 3)
    assert estimate_discounts(counts) == pytest.approx(expected)
    # n3 = n4 = 0: D2 = 2 - 3Y·0/n2 = 2 is still in (0, 2]; D3+ needs n3 > 0 and falls back to Y
    assert estimate_discounts(np.array([1, 1, 2])) == pytest.approx((1 - 2 * 0.5 * 1 / 2, 2.0, 0.5))


def test_unigram_model_is_smoothed_counts():
    tok = CharTokenizer.train("ab")
    lm = NGramLM.train(tok, "aab", order=1, discounts=(0.5, 1.0, 1.5))
    # raw counts with the start... "\n" not in vocab, so tokens a a b: c(a)=2, c(b)=1, total 3
    # gamma = (1*1 + 0.5*1)/3 = 0.5; P(a) = 1/3 + 0.5/3, P(b) = 0.5/3 + 0.5/3, P(unk) = 0.5/3
    p = lm.next_token_probs("a")
    a, b = tok.encode("ab")
    np.testing.assert_allclose(p[[a, b, tok.unk_id]], [1 / 3 + 1 / 6, 1 / 3, 1 / 6], rtol=1e-12)


@pytest.mark.parametrize("order", [0, -1, 11, 2.5, "5"])
def test_rejects_bad_order(order):
    with pytest.raises(ValueError, match="order must be an int"):
        NGramLM.train(CharTokenizer.train("ab"), "abab", order=order)


def test_rejects_empty_corpus_and_bad_discounts():
    tok = CharTokenizer.train("ab")
    with pytest.raises(ValueError, match="empty"):
        NGramLM.train(tok, "", order=3)
    with pytest.raises(ValueError, match="discounts must be"):
        NGramLM.train(tok, "abab", order=2, discounts=(1.5, 1.0, 1.0))
    with pytest.raises(ValueError, match=r"token ids outside \[0, vocab_size=3\): \[7\]"):
        NGramLM.train(tok, [0, 1, 7], order=2)


def test_words_outside_the_vocabulary_score_as_unk():
    tok = WordTokenizer.train("the cat sat\nthe dog sat\n")
    lm = NGramLM.train(tok, "the cat sat\nthe dog sat\n", order=3)
    assert lm.log_probs("the zebra sat") == pytest.approx(lm.log_probs("the <unk> sat"))
    strict = WordTokenizer(tok.words, unknown="error")
    with pytest.raises(ValueError, match="outside the vocabulary: 'zebra'"):
        strict.encode("the zebra sat")


def test_stride_is_refused():
    lm = NGramLM.train(CharTokenizer.train("ab"), "abab", order=2)
    with pytest.raises(ValueError, match="stride is for models with a context window"):
        lm.log_probs("abab", stride=2)


def test_save_load_round_trip_and_corruption(tmp_path):
    tok = WordTokenizer.train("the cat sat on the mat\nthe dog sat\n")
    lm = NGramLM.train(tok, "the cat sat on the mat\nthe dog sat\n" * 3, order=3)
    lm.save(tmp_path / "ng")
    loaded = lmdemo.load_model(str(tmp_path / "ng"))
    assert isinstance(loaded, NGramLM) and loaded.order == 3
    np.testing.assert_array_equal(loaded.log_probs("the cat sat\n"), lm.log_probs("the cat sat\n"))
    assert loaded.generate("the", 8, sampler="top_k", seed=3) == lm.generate("the", 8, sampler="top_k", seed=3)
    (tmp_path / "ng" / "ngrams.npz").write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="corrupt checkpoint"):
        lmdemo.load_model(str(tmp_path / "ng"))


def test_ptb_5gram_counts_fast_and_meets_the_perplexity_target():
    train, valid = shared_data("ptb", "ptb.train.txt.gz"), shared_data("ptb", "ptb.valid.txt.gz")
    from lmdemo.data.text import read_text

    text = read_text(train)
    tok = WordTokenizer.train(text)
    lm = NGramLM.train(tok, text, order=5)
    assert tok.vocab_size == 10_000
    lp = lm.log_probs(read_text(valid))
    assert len(lp) == 73_760  # 70,390 words + 3,370 end-of-sentence tokens
    assert math.exp(-lp.mean()) == pytest.approx(147.74, abs=0.01)
