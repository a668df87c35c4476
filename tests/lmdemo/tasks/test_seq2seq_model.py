"""The applications: encoder, encoder–decoder, classifier, their training, decoding and pipeline."""

import json
import os

import keras
import numpy as np
import pytest

import lmdemo
from lmdemo.config import ClassifierConfig, EncoderDecoderConfig
from lmdemo.layers import EncoderBlock
from lmdemo.tasks.seq2seq_model import Seq2SeqModel
from lmdemo.tasks.sentiment_model import SentimentModel

PAIRS = [("one two three", "uno dos tres"), ("I see the cat.", "Veo el gato."), ("good night", "buenas noches"),
         ("thank you very much", "muchas gracias"), ("the red house", "la casa roja")] * 8


@pytest.fixture(scope="module")
def bpe():
    return lmdemo.BPETokenizer.train([x for p in PAIRS for x in p] + ["positive negative good bad film"], vocab_size=300)


@pytest.fixture(scope="module")
def seq2seq(bpe):
    keras.utils.set_random_seed(0)
    return Seq2SeqModel.create(bpe, EncoderDecoderConfig(max_source_length=16, max_target_length=12, encoder_layers=2,
                                                         decoder_layers=2, num_heads=2, d_model=32, dropout=0.0))


@pytest.fixture(scope="module")
def seq2seq_copy(bpe):
    keras.utils.set_random_seed(0)
    return Seq2SeqModel.create(bpe, EncoderDecoderConfig(max_source_length=16, max_target_length=12, encoder_layers=1,
                                                         decoder_layers=1, num_heads=2, d_model=32, dropout=0.0,
                                                         copy_attention=True))


@pytest.fixture(params=["seq2seq", "seq2seq_copy"])
def any_seq2seq(request):
    """Each test that takes it runs on the plain encoder–decoder and on the pointer-generator."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def classifier(bpe):
    keras.utils.set_random_seed(0)
    return SentimentModel.create(bpe, ClassifierConfig(max_length=8, num_layers=1, num_heads=2, d_model=16))


# -- layers and networks ---------------------------------------------------------------------------
def test_encoder_block_is_bidirectional_and_ignores_padding():
    keras.utils.set_random_seed(0)
    block = EncoderBlock(2, 16)
    block.build((None, None, 8))
    x = np.random.default_rng(0).normal(size=(1, 5, 8)).astype("float32")
    mask = np.array([[True, True, True, False, False]])
    out = np.asarray(block(x, padding_mask=mask).output)
    changed = x.copy()
    changed[0, 2] = -x[0, 2]  # a later real token changes the first token's output (no causal mask)
    assert not np.allclose(np.asarray(block(changed, padding_mask=mask).output)[0, 0], out[0, 0])
    padded = x.copy()
    padded[0, 3:] = 9.0  # padding changes nothing at the real tokens
    np.testing.assert_allclose(np.asarray(block(padded, padding_mask=mask).output)[0, :3], out[0, :3], atol=1e-6)


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


# -- sequence-to-sequence decoding -----------------------------------------------------------------------
def test_beam_size_one_equals_greedy_and_batch_equals_one_by_one(any_seq2seq):
    texts = ["one two three", "good night and thank you very much", "the red house"]
    greedy = any_seq2seq.generate(texts, num_beams=1)
    assert any_seq2seq.generate(texts, num_beams=1, length_penalty=0.0) == greedy
    beam1 = any_seq2seq.generate(texts, num_beams=1)
    assert beam1 == greedy
    from lmdemo.tasks import seq2seq_model

    params, batch = any_seq2seq._params(), _batch(any_seq2seq, texts)
    tokens_greedy = np.asarray(seq2seq_model._greedy(any_seq2seq, params, *batch, 11))
    tokens_beam = np.asarray(seq2seq_model._beam(any_seq2seq, params, *batch, 11, 1, 1.0))
    np.testing.assert_array_equal(tokens_greedy, tokens_beam)
    assert [any_seq2seq.generate([t])[0] for t in texts] == greedy
    assert [any_seq2seq.generate([t], num_beams=3)[0] for t in texts] == any_seq2seq.generate(texts, num_beams=3)


def test_repeated_ngram_mask_bans_the_tokens_that_would_repeat_an_ngram():
    from lmdemo.tasks.seq2seq_model import repeated_ngram_mask

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
    from lmdemo.tasks import seq2seq_model

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


def _batch(model, texts):
    from lmdemo.data.batching import pad_batch

    ids, _ = model.encode_sources(texts)
    return pad_batch(ids, model.config.max_source_length)


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
    result = seq2seq.generate(["这是中文。", "🙂🙂"])
    assert all(isinstance(r["text"], str) for r in result)


def test_seq2seq_checkpoint_round_trip_plain_and_encrypted(seq2seq, tmp_path):
    texts = ["one two three", "the red house"]
    expected = seq2seq.generate(texts, num_beams=2)
    seq2seq.save(str(tmp_path / "plain"))
    assert lmdemo.load_model(str(tmp_path / "plain")).generate(texts, num_beams=2) == expected
    clone = Seq2SeqModel.load(str(tmp_path / "plain"))
    clone.save(str(tmp_path / "enc"), passphrase="correct horse")
    assert Seq2SeqModel.load(str(tmp_path / "enc"), passphrase="correct horse").generate(texts, num_beams=2) == expected
    with pytest.raises(ValueError, match="wrong key or passphrase"):
        Seq2SeqModel.load(str(tmp_path / "enc"), passphrase="wrong")
    with pytest.raises(ValueError, match="holds a 'encoder-decoder' model, not a 'classifier' one"):
        SentimentModel.load(str(tmp_path / "plain"))


# -- the classifier ------------------------------------------------------------------------------------
def test_classify_batch_equals_one_by_one_and_probabilities_sum_to_one(classifier):
    texts = ["good film", "bad", "positive negative good bad film " * 5]
    batch = classifier.classify(texts)
    for text, r in zip(texts, batch):
        single = classifier.classify([text])[0]
        assert single["label"] == r["label"]
        assert single["score"] == pytest.approx(r["score"], abs=1e-6)
        assert sum(r["probabilities"].values()) == pytest.approx(1.0, abs=1e-6)
        assert r["score"] == max(r["probabilities"].values())
    assert [r["truncated"] for r in batch] == [False, False, True]


@pytest.mark.parametrize("pooling", ["mean", "max"])
def test_classifier_padding_does_not_change_probabilities(bpe, pooling):
    keras.utils.set_random_seed(0)
    classifier = SentimentModel.create(bpe, ClassifierConfig(max_length=8, num_layers=1, num_heads=2, d_model=16,
                                                             pooling=pooling))
    ids = classifier.tokenizer.encode("good film")
    alone = classifier.probabilities_of([ids])
    with_long = classifier.probabilities_of([ids, ids * 3, []])
    np.testing.assert_allclose(alone[0], with_long[0], atol=1e-6)
    np.testing.assert_allclose(with_long.sum(axis=1), 1.0, atol=1e-6)
    if pooling == "max":  # the text vector is the largest encoder output in each dimension
        net, mask = classifier.network, np.ones((1, len(ids)), bool)
        hidden = np.asarray(net.encoder(np.array([ids]), mask).output)
        np.testing.assert_allclose(np.asarray(net.pooled(np.array([ids]), mask)),
                                   np.tanh(hidden.max(axis=1) @ net.pooler.kernel.numpy() + net.pooler.bias.numpy()),
                                   atol=1e-5)


@pytest.mark.parametrize("texts, error, message", [
    ([""], ValueError, r"texts\[0\] is empty"),
    ([None], TypeError, r"texts\[0\] must be a str"),
    (["a" * 100_001], ValueError, "the limit is 100,000"),
])
def test_classifier_bad_input(classifier, texts, error, message):
    with pytest.raises(error, match=message):
        classifier.classify(texts)


def test_classifier_round_trip(classifier, tmp_path):
    classifier.save(str(tmp_path / "c"))
    loaded = lmdemo.load_model(str(tmp_path / "c"))
    assert loaded.labels == ("negative", "positive")
    assert loaded.classify(["good film"]) == classifier.classify(["good film"])


def test_classifier_config_checks_labels():
    with pytest.raises(ValueError, match=r"labels must be ≥ 2 distinct non-empty names, received labels=\('a', 'a'\)"):
        ClassifierConfig(labels=("a", "a"))


# -- training (toy sizes) --------------------------------------------------------------------------------
def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.slow
@pytest.mark.parametrize("tokenizer, pooling", [("bpe", "mean"), ("word", "max")])
def test_sentiment_training_learns_a_keyword_task(tmp_path, tokenizer, pooling):
    rng = np.random.default_rng(0)
    fillers = ["the", "movie", "was", "plot", "actors", "quite", "and", "a", "story", "it"]

    def rows(n):
        out = []
        for _ in range(n):
            label = int(rng.integers(2))
            words = list(rng.choice(fillers, size=5)) + ["wonderful" if label else "awful"]
            rng.shuffle(words)
            out.append(f"{' '.join(words)}\t{label}")
        return "sentence\tlabel\n" + "\n".join(out) + "\n"

    train, dev = _write(tmp_path / "train.tsv", rows(400)), _write(tmp_path / "dev.tsv", rows(60))
    from lmdemo.training.task_training import train_task
    from lmdemo.training.trainer import TrainConfig

    model = train_task("sentiment", train, str(tmp_path / "m"), val_data=dev, progress=False, bpe_vocab_size=300,
                       train_config=TrainConfig(steps=120, batch_size=16, warmup_steps=10, eval_interval=60,
                                                learning_rate=3e-3),
                       model_overrides=dict(num_layers=1, d_model=32, num_heads=2, max_length=16, pooling=pooling),
                       tokenizer=tokenizer, ngram_expert=tokenizer == "word", command="train it")
    assert model.tokenizer.type_name == tokenizer and model.config.pooling == pooling
    metrics = json.load(open(tmp_path / "m" / "metrics.json"))
    assert metrics["final"]["accuracy"] == 1.0 and metrics["final"]["baseline_accuracy"] == 1.0
    assert (model.ngram_expert is not None) == (tokenizer == "word") == ("ngrams_accuracy" in metrics["final"])
    assert model.classify(["the movie was wonderful"])[0]["label"] == "positive"
    if tokenizer == "word":  # lower-cased and split before the lookup
        assert model.classify(["The movie was WONDERFUL!"])[0]["label"] == "positive"
    card = open(tmp_path / "m" / "README.md").read()
    assert ("word tokenizer (" if tokenizer == "word" else "byte-level BPE tokenizer") in card
    assert "| this model | 1.0000 |" in card


@pytest.mark.slow
def test_translation_training_smoke_and_resume(tmp_path):
    text = "english\tspanish\n" + "\n".join(f"{a}\t{b}" for a, b in PAIRS) + "\n"
    data = _write(tmp_path / "pairs.tsv", text)
    from lmdemo.training.task_training import train_task
    from lmdemo.training.trainer import TrainConfig

    cfg = TrainConfig(steps=20, batch_size=8, warmup_steps=2, eval_interval=10)
    overrides = dict(encoder_layers=1, decoder_layers=1, d_model=32, num_heads=2, max_source_length=16,
                     max_target_length=16)
    from evals.scoring.task_scores import task_scores

    kwargs = dict(val_data=data, progress=False, bpe_vocab_size=300, model_overrides=overrides, final_beams=2,
                  scorer=task_scores)
    train_task("translation", data, str(tmp_path / "t"), train_config=cfg, pause_after=10, **kwargs)
    assert not os.path.exists(tmp_path / "t" / "metrics.json") or "final" not in json.load(open(tmp_path / "t" / "metrics.json"))
    model = train_task("translation", data, str(tmp_path / "t"), train_config=cfg, **kwargs)
    metrics = json.load(open(tmp_path / "t" / "metrics.json"))
    assert metrics["step"] == 20 and [r["step"] for r in metrics["history"]] == [10, 20]
    assert metrics["history"][-1]["val_loss"] < metrics["history"][0]["val_loss"] + 1.0
    assert set(metrics["final"]) == {"sources", "references", "greedy", "beam2"} and metrics["final"]["sources"] == 5
    assert isinstance(model.generate(["good night"])[0]["text"], str)


# -- data files ------------------------------------------------------------------------------------------
def test_load_examples_formats(tmp_path):
    from lmdemo.data.examples import load_examples

    tsv = _write(tmp_path / "a.tsv", 'sentence\tlabel\nit \'s "fine" \t1\nbad\t0\n')
    assert load_examples("sentiment", tsv) == [("it 's \"fine\"", 1), ("bad", 0)]
    csv = _write(tmp_path / "a.csv", 'text,label\n"good, really",1\n')
    assert load_examples("sentiment", csv) == [("good, really", 1)]  # the registry's names: text, else sentence
    assert load_examples("sentiment", csv, input_column="text") == [("good, really", 1)]
    js = _write(tmp_path / "a.json", json.dumps([{"dialogue": "A: hi", "summary": "A greets."}]))
    assert load_examples("summarization", js) == [("A: hi", "A greets.")]
    jl = _write(tmp_path / "a.jsonl", json.dumps({"dialogue": "A: hi", "summary": "A greets."}) + "\n")
    assert load_examples("summarization", jl) == [("A: hi", "A greets.")]
    pairs = _write(tmp_path / "p.tsv", "english\tspanish\nHello.\tHola.\n")
    assert load_examples("translation", pairs) == [("Hello.", "Hola.")]


@pytest.mark.parametrize("content, kwargs, message", [
    ("sentence\tlabel\ngood\t2\n", {}, r"row 1: label='2'; labels must be 0 or 1"),
    ("sentence\tlabel\ngood\tnan\n", {}, r"row 1: label='nan'; labels must be 0 or 1"),
    ("review\tlabel\ngood\t1\n", {}, r"has no column input_column='text'; columns: \['review', 'label'\]"),
    ("sentence\tlabel\n \t1\n", {}, r"row 1: sentence is empty"),
    ("sentence\tlabel\ngood\n", {}, r"line 2 has 1 columns; the header has 2"),
])
def test_load_examples_errors(tmp_path, content, kwargs, message):
    from lmdemo.data.examples import load_examples

    with pytest.raises(ValueError, match=message):
        load_examples("sentiment", _write(tmp_path / "bad.tsv", content), **kwargs)


def test_load_examples_skips_empty_training_rows(tmp_path):
    from lmdemo.data.examples import load_examples

    path = _write(tmp_path / "s.json", json.dumps([{"dialogue": "", "summary": "x"}, {"dialogue": "A: hi", "summary": "y"}]))
    report = {}
    assert load_examples("summarization", path, skip_empty=True, report=report) == [("A: hi", "y")]
    assert report == {"skipped_empty": 1}
    with pytest.raises(ValueError, match="row 1: dialogue is empty"):
        load_examples("summarization", path)


# -- extractive summaries and the baseline ---------------------------------------------------------------
def test_lead_k_and_split_units():
    from lmdemo.tasks.extractive import lead_k, split_units

    dialogue = "A: hi\r\nB: hello\n\nA: lunch?\nB: sure"
    assert split_units(dialogue) == ["A: hi", "B: hello", "A: lunch?", "B: sure"]
    assert lead_k(dialogue, 3) == "A: hi\nB: hello\nA: lunch?"
    assert split_units("One. Two! Three? Four") == ["One.", "Two!", "Three?", "Four"]
    with pytest.raises(ValueError, match="document is empty"):
        lead_k("  \n ", 3)
    with pytest.raises(ValueError, match="k must be an int ≥ 1, received k=0"):
        lead_k("a", 0)


def test_textrank_picks_the_central_sentence():
    from lmdemo.tasks.extractive import textrank, textrank_scores

    units = ["cats eat fish", "cats like fish a lot", "dogs like cats and fish", "the weather is cold"]
    scores = textrank_scores(units)
    assert scores.sum() == pytest.approx(1.0)
    assert int(np.argmax(scores)) in (1, 2) and int(np.argmin(scores)) == 3
    # nothing links to the unconnected sentence: it gets the teleport share (1 - d) / n and, being
    # dangling, 1/n of its own score back: s = (1 - d) / n + d · s / n
    assert scores[3] == pytest.approx((0.15 / 4) / (1 - 0.85 / 4))
    assert textrank("\n".join(units), 2).splitlines() == [units[i] for i in sorted(np.argsort(-scores)[:2])]


def test_bag_of_ngrams_baseline():
    from lmdemo.tasks.bag_of_ngrams import BagOfNgrams

    texts = ["not good", "very good", "not bad", "very bad"] * 5
    labels = [0, 1, 1, 0] * 5
    model = BagOfNgrams.train(texts, labels)
    assert model.predict(["not good", "very good", "not bad", "very bad"]).tolist() == [0, 1, 1, 0]
    assert "1–2-gram" in model.describe()


NGRAM_TEXTS = ["not good at all", "very good film", "not bad , really", "very bad plot", "good fun", "a bad mess !"]


@pytest.mark.parametrize("labels", [[0, 1, 1, 0, 1, 0], [0, 1, 2, 0, 2, 1]])
def test_bag_of_ngrams_probabilities_equal_scikit_learn_and_survive_saving(tmp_path, labels):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from lmdemo.tasks.bag_of_ngrams import TOKEN_PATTERN, BagOfNgrams

    texts, labels = NGRAM_TEXTS * 3, labels * 3
    model = BagOfNgrams.train(texts, labels, C=2.0)
    vectorizer = CountVectorizer(ngram_range=(1, 2), binary=True, token_pattern=TOKEN_PATTERN)
    reference = LogisticRegression(C=2.0, max_iter=2000).fit(vectorizer.fit_transform(texts), labels)
    new = ["Not good , very bad", "an unseen sentence", "GOOD FUN !"]
    expected = reference.predict_proba(vectorizer.transform(new))
    np.testing.assert_allclose(model.probabilities(new), expected, atol=1e-6)
    assert model.ngrams == list(vectorizer.get_feature_names_out()) and model.num_labels == len(set(labels))
    model.save(str(tmp_path / "e.npz"))
    loaded = BagOfNgrams.load(str(tmp_path / "e.npz"))
    np.testing.assert_array_equal(loaded.probabilities(new), model.probabilities(new))
    assert (loaded.C, loaded.ngram_range, loaded.describe()) == (2.0, (1, 2), model.describe())


def test_bag_of_ngrams_refuses_bad_labels_and_damaged_files(tmp_path):
    from lmdemo.tasks.bag_of_ngrams import BagOfNgrams

    with pytest.raises(ValueError, match=r"labels must be the integers 0 … K-1 \(K ≥ 2\), each at least once, "
                                         r"received the values \[0, 2\]"):
        BagOfNgrams.train(["a", "b"], [0, 2])
    with pytest.raises(ValueError, match="received the values \\[1\\]"):
        BagOfNgrams.train(["a", "b"], [1, 1])
    (tmp_path / "bad.npz").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(ValueError, match="corrupt n-gram model: cannot read .*bad.npz"):
        BagOfNgrams.load(str(tmp_path / "bad.npz"))
    with pytest.raises(ValueError, match=r"weights must be \(num_labels ≥ 2, len\(ngrams\)=2\)"):
        BagOfNgrams(["a", "b"], np.zeros((2, 3)), np.zeros(2))


@pytest.fixture
def expert_classifier(bpe):
    from lmdemo.tasks.bag_of_ngrams import BagOfNgrams

    keras.utils.set_random_seed(1)
    model = SentimentModel.create(bpe, ClassifierConfig(max_length=8, num_layers=1, num_heads=2, d_model=16))
    model.ngram_expert = BagOfNgrams.train(NGRAM_TEXTS, [0, 1, 1, 0, 1, 0])
    return model


def test_ngram_expert_multiplies_the_transformers_probabilities(expert_classifier):
    texts = ["very good film", "not bad", "positive negative good bad film " * 3]
    results = expert_classifier.classify(texts)
    alone = expert_classifier.probabilities_of([expert_classifier.tokenizer.encode(t)[:8] for t in texts])
    ngrams = expert_classifier.ngram_expert.probabilities(texts)
    product = alone * ngrams / (alone * ngrams).sum(axis=1, keepdims=True)
    for i, r in enumerate(results):
        np.testing.assert_allclose([r["probabilities"]["negative"], r["probabilities"]["positive"]], product[i],
                                   atol=1e-6)
        np.testing.assert_allclose(list(r["experts"]["transformer"].values()), alone[i], atol=1e-6)
        np.testing.assert_allclose(list(r["experts"]["ngrams"].values()), ngrams[i], atol=1e-12)
        assert r["label"] == ("negative", "positive")[int(np.argmax(product[i]))]
    assert results == [expert_classifier.classify([t])[0] for t in texts]
    piped = lmdemo.pipeline("sentiment", model=expert_classifier)(texts[0])
    assert piped == {k: results[0][k] for k in ("label", "score", "probabilities", "truncated", "experts")}
    assert "multiplied by those of a second expert, logistic regression" in expert_classifier.describe()
    from lmdemo.tasks.bag_of_ngrams import BagOfNgrams

    with pytest.raises(ValueError, match=r"the n-gram expert has 3 labels, the classifier 2 \(negative, positive\)"):
        expert_classifier.ngram_expert = BagOfNgrams.train(NGRAM_TEXTS, [0, 1, 2, 0, 1, 2])


def test_add_ngram_expert_rewrites_card_and_metrics_and_refuses_bad_input(expert_classifier, tmp_path):
    from lmdemo.training.task_training import add_ngram_expert

    rows = [f"{t}\t{y}" for t, y in zip(NGRAM_TEXTS, [0, 1, 1, 0, 1, 0])]
    data = _write(tmp_path / "train.tsv", "sentence\tlabel\n" + "\n".join(rows) + "\n")
    expert_classifier.ngram_expert = None
    expert_classifier.save(str(tmp_path / "c"), card="# toy\n")
    for _ in range(2):  # a second run replaces the card's section instead of adding one
        model = add_ngram_expert(str(tmp_path / "c"), data, val_data=data, command="add it")
    final = json.load(open(tmp_path / "c" / "metrics.json"))["final"]
    assert final["ngrams_accuracy"] == 1.0 and set(final) >= {"accuracy", "transformer_accuracy", "baseline"}
    card = open(tmp_path / "c" / "README.md", encoding="utf-8").read()
    assert card.count("## The n-gram expert") == 1 and "add it" in card and card.startswith("# toy")
    assert model.ngram_expert is not None and lmdemo.load_model(str(tmp_path / "c")).ngram_expert is not None
    add_ngram_expert(str(tmp_path / "c"), data)  # unmeasured: the old scores are not left as this model's
    metrics = json.load(open(tmp_path / "c" / "metrics.json"))
    assert "final" not in metrics and metrics["final_before_ngram_expert"] == final
    assert "Not measured with this expert" in open(tmp_path / "c" / "README.md", encoding="utf-8").read()
    nolabel = _write(tmp_path / "nolabel.tsv", "sentence\tscore\ngood\t1\n")
    with pytest.raises(ValueError, match="has no column output_column='label'"):
        add_ngram_expert(str(tmp_path / "c"), nolabel)
    with pytest.raises(ValueError, match="C must be a positive number, received C=0"):
        add_ngram_expert(str(tmp_path / "c"), data, C=0)


def test_ngram_expert_is_saved_encrypted_checked_and_removed(expert_classifier, tmp_path):
    from lmdemo.storage.encryption import new_key

    text = ["very good film", "a bad mess"]
    plain = str(tmp_path / "plain")
    expert_classifier.save(plain)
    assert json.load(open(os.path.join(plain, "config.json")))["config"]["ngram_expert"] is True
    assert lmdemo.load_model(plain).classify(text) == expert_classifier.classify(text)
    key = new_key()
    locked = str(tmp_path / "locked")
    expert_classifier.save(locked, key=key)
    assert sorted(n for n in os.listdir(locked) if "ngram" in n) == ["ngram_expert.npz.enc"]
    assert lmdemo.load_model(locked, key=key).classify(text) == expert_classifier.classify(text)
    with open(os.path.join(locked, "ngram_expert.npz.enc"), "r+b") as f:
        f.seek(40)
        byte = f.read(1)
        f.seek(40)
        f.write(bytes([byte[0] ^ 1]))
    with pytest.raises(ValueError, match="ngram_expert.npz"):
        lmdemo.load_model(locked, key=key)
    os.remove(os.path.join(plain, "ngram_expert.npz"))
    with pytest.raises(ValueError, match="not a checkpoint: ngram_expert.npz is missing in path="):
        lmdemo.load_model(plain)
    expert_classifier.encryption = None
    expert_classifier.ngram_expert = None
    expert_classifier.save(locked)  # over the encrypted folder: the old expert file must not stay behind
    assert not [n for n in os.listdir(locked) if "ngram" in n]
    loaded = lmdemo.load_model(locked)
    assert loaded.ngram_expert is None and "experts" not in loaded.classify(text)[0]


# -- the pipeline ------------------------------------------------------------------------------------------
def test_pipeline_single_and_batch(seq2seq, classifier):
    translate = lmdemo.pipeline("translation_en_to_es", model=seq2seq)
    texts = ["one two three", "good night"]
    batch = translate(texts, num_beams=2)
    assert batch == [translate(t, num_beams=2) for t in texts]
    assert batch[0] == {"translation_text": seq2seq.generate([texts[0]], num_beams=2)[0]["text"], "truncated": False}
    classify = lmdemo.pipeline("sentiment-analysis", model=classifier)
    out = classify("good film")
    assert set(out) == {"label", "score", "probabilities", "truncated"} and out["label"] in ("negative", "positive")
    summarize = lmdemo.pipeline("summarization", model="lead-3")
    assert summarize("A: hi\nB: hello\nA: bye\nB: bye") == {"summary_text": "A: hi\nB: hello\nA: bye", "truncated": False}
    abstractive = lmdemo.pipeline("summarization", model=seq2seq)  # beam 4 without repeated 3-grams by default
    expected = seq2seq.generate(["good night"], num_beams=4, no_repeat_ngram_size=3)[0]["text"]
    assert abstractive("good night") == {"summary_text": expected, "truncated": False}
    assert abstractive("good night", num_beams=1, no_repeat_ngram_size=0)["summary_text"] == \
        seq2seq.generate(["good night"])[0]["text"]


def test_text_generation_pipeline_returns_prompt_and_continuation(toy_lm):
    gen = lmdemo.pipeline("text-generation", model=toy_lm, max_new_tokens=5, sampler="greedy")
    assert gen("First") == {"generated_text": "First" + toy_lm.generate("First", max_new_tokens=5, sampler="greedy")}


@pytest.mark.parametrize("call, error, message", [
    (lambda p: p(""), ValueError, "the text is empty"),
    (lambda p: p(["ok", ""]), ValueError, r"inputs\[1\] is empty"),
    (lambda p: p([]), ValueError, "inputs is an empty list"),
    (lambda p: p(5), TypeError, "inputs must be a string or a list of strings"),
    (lambda p: p("ok", temperature=2.0), ValueError, r"translation takes \['length_penalty', 'max_new_tokens', 'no_repeat_ngram_size', 'num_beams'\]"),
])
def test_pipeline_bad_input(seq2seq, call, error, message):
    with pytest.raises(error, match=message):
        call(lmdemo.pipeline("translation", model=seq2seq))


def test_pipeline_refuses_unknown_tasks_and_wrong_models(classifier, toy_lm):
    with pytest.raises(ValueError, match=r"unknown task='poetry'; choose one of"):
        lmdemo.pipeline("poetry")
    with pytest.raises(ValueError, match="is a 'classifier' model; task='translation' needs a 'encoder-decoder' model"):
        lmdemo.pipeline("translation", model=classifier)
    with pytest.raises(ValueError, match="is a 'transformer' model; task='sentiment' needs a 'classifier' model"):
        lmdemo.pipeline("sentiment", model=toy_lm)
    with pytest.raises(ValueError, match="lead-3 summarization takes no options"):
        lmdemo.pipeline("summarization", model="lead-3")("A: hi", num_beams=2)


# -- masked-LM pre-training -----------------------------------------------------------------------------
def test_masking_follows_berts_recipe():
    from lmdemo.training.example_trainer import MaskedLMTrainer
    from lmdemo.networks.masked_lm import MaskedLM
    from lmdemo.training.trainer import TrainConfig

    net = MaskedLM(ClassifierConfig(vocab_size=50, max_length=64, num_layers=1, num_heads=2, d_model=8))
    net.build()
    trainer = MaskedLMTrainer(net, TrainConfig(steps=10, batch_size=4, warmup_steps=1), mask_id=0, max_length=64,
                              vocab_size=50, progress=False)
    rows = [list(range(1, 41)) for _ in range(200)] + [[7]]
    inputs, mask, positions, picked, weights = trainer._layout(rows, np.random.default_rng(0))
    assert positions.shape[1] % 4 == 0 and set(np.unique(weights)) == {0.0, 1.0}
    chosen = np.zeros_like(mask)
    for row, col in zip(*np.nonzero(weights)):
        chosen[row, positions[row, col]] = True
    assert (weights.sum(axis=1) == chosen.sum(axis=1)).all()  # each chosen position listed once
    targets = np.zeros_like(inputs)
    for i, r in enumerate(rows):
        targets[i, :len(r)] = r
    np.testing.assert_array_equal(picked, np.take_along_axis(targets, positions, axis=1))
    assert not chosen[~mask].any() and chosen[-1, 0]  # padding never chosen; a one-token text still is
    assert 0.13 < chosen[:200].mean() / mask[:200].mean() < 0.17
    masked = (inputs == 0) & chosen
    assert 0.75 < masked.sum() / chosen.sum() < 0.85
    assert 0.05 < ((inputs == targets) & chosen).sum() / chosen.sum() < 0.2  # kept as is (and random hits)
    np.testing.assert_array_equal(inputs[~chosen], targets[~chosen])
    again = trainer._layout(rows)  # evaluation: the same positions every time
    np.testing.assert_array_equal(again[2], trainer._layout(rows)[2])
    # the logits at the chosen positions are the full logits taken there
    full = np.asarray(net(inputs[:3], padding_mask=mask[:3]))
    some = np.asarray(net(inputs[:3], padding_mask=mask[:3], positions=positions[:3]))
    np.testing.assert_allclose(some, np.take_along_axis(full, positions[:3, :, None], axis=1), atol=1e-5)


@pytest.mark.slow
def test_pretrain_then_finetune_copies_the_encoder(tmp_path):
    from lmdemo.training.task_training import train_task
    from lmdemo.training.trainer import TrainConfig

    texts = _write(tmp_path / "texts.txt", "\n".join(["the movie was wonderful", "an awful plot", "good night"] * 30))
    cfg = TrainConfig(steps=6, batch_size=8, warmup_steps=1, eval_interval=6)
    pre = train_task("masked-lm", texts, str(tmp_path / "mlm"), val_data=texts, train_config=cfg, progress=False,
                     bpe_vocab_size=300, model_overrides=dict(num_layers=1, d_model=16, num_heads=2, max_length=16))
    assert lmdemo.load_model(str(tmp_path / "mlm")).kind == "masked-lm"
    # a second pre-training stage continues it; pausing and resuming that stage lists stage 1 once
    more = dict(val_data=texts, progress=False, init_from=str(tmp_path / "mlm"), command="stage two")
    train_task("masked-lm", texts, str(tmp_path / "mlm2"), train_config=cfg, pause_after=3, **more)
    second = train_task("masked-lm", texts, str(tmp_path / "mlm2"), train_config=cfg, **more)
    metrics = json.load(open(tmp_path / "mlm2" / "metrics.json"))
    assert metrics["step"] == 6 and len(metrics["earlier_stages"]) == 1 and metrics["command"] == "stage two"
    assert second.tokenizer.tokenizer_json == pre.tokenizer.tokenizer_json
    assert "Stage 1 (6 steps, " in open(tmp_path / "mlm2" / "README.md").read()
    rows = "sentence\tlabel\n" + "\n".join(["the movie was wonderful\t1", "an awful plot\t0"] * 10) + "\n"
    data = _write(tmp_path / "sst.tsv", rows)
    from lmdemo.training.task_training import _from_pretrained

    fresh, stages = _from_pretrained(str(tmp_path / "mlm"), "sentiment", {"dropout": 0.2}, seed=0)
    assert stages == []
    for a, b in zip(fresh.network.encoder.get_weights(), pre.network.encoder.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert fresh.config.dropout == 0.2 and fresh.tokenizer.tokenizer_json == pre.tokenizer.tokenizer_json
    with pytest.raises(ValueError, match="fixes d_model; leave them out"):
        _from_pretrained(str(tmp_path / "mlm"), "sentiment", {"d_model": 32}, seed=0)
    model = train_task("sentiment", data, str(tmp_path / "s"), val_data=data, train_config=cfg, progress=False,
                       init_from=str(tmp_path / "mlm"))
    assert "started from the pre-trained encoder of" in open(tmp_path / "s" / "README.md").read()
    assert model.classify(["good night"])[0]["label"] in ("negative", "positive")
    refused = r"tokenizer must be 'bpe' \(or 'word' for sentiment and masked-lm\), received tokenizer='word'"
    with pytest.raises(ValueError, match=refused):
        train_task("translation", data, str(tmp_path / "x"), tokenizer="word")
    with pytest.raises(ValueError, match="is a 'masked-lm' model; translation continues from an 'encoder-decoder'"):
        train_task("translation", data, str(tmp_path / "x"), init_from=str(tmp_path / "mlm"))


@pytest.mark.slow
def test_second_stage_continues_from_a_checkpoint_and_adds_copy_attention(tmp_path):
    text = "english\tspanish\n" + "\n".join(f"{a}\t{b}" for a, b in PAIRS) + "\n"
    data = _write(tmp_path / "pairs.tsv", text)
    from lmdemo.training.task_training import _from_pretrained, train_task
    from lmdemo.training.trainer import TrainConfig

    cfg = TrainConfig(steps=4, batch_size=8, warmup_steps=1, eval_interval=4)
    overrides = dict(encoder_layers=1, decoder_layers=1, d_model=32, num_heads=2, max_source_length=16,
                     max_target_length=16)
    first = train_task("translation", data, str(tmp_path / "a"), train_config=cfg, progress=False, bpe_vocab_size=300,
                       model_overrides=overrides, command="stage one")
    model, stages = _from_pretrained(str(tmp_path / "a"), "translation", {"copy_attention": True}, seed=0)
    assert stages == [{"command": "stage one", "step": 4, "train_seconds": stages[0]["train_seconds"]}]
    old = {v.path.split("/", 1)[1]: v.numpy() for v in first.network.trainable_variables}
    new = {v.path.split("/", 1)[1]: v.numpy() for v in model.network.trainable_variables}
    assert sorted(set(new) - set(old)) == ["copy_gate/bias", "copy_gate/kernel", "copy_key/kernel", "copy_query/kernel"]
    for name, value in old.items():
        np.testing.assert_array_equal(new[name], value)
    with pytest.raises(ValueError, match="fixes d_model; leave them out"):
        _from_pretrained(str(tmp_path / "a"), "translation", {"d_model": 64}, seed=0)
    second = train_task("translation", data, str(tmp_path / "b"), train_config=cfg, progress=False, val_data=data,
                        init_from=str(tmp_path / "a"), model_overrides={"copy_attention": True}, command="stage two",
                        final_beams=2)
    assert second.config.copy_attention and isinstance(second.generate(["good night"])[0]["text"], str)
    card = open(tmp_path / "b" / "README.md").read()
    assert "Stage 1 (4 steps, " in card and "stage one" in card and "Stage 2, this run:" in card
    assert "(this stage; all 2 stages: 8 steps in " in card and "pointer-generator" in card
    metrics = json.load(open(tmp_path / "b" / "metrics.json"))
    assert [s["command"] for s in metrics["earlier_stages"]] == ["stage one"] and metrics["command"] == "stage two"
    # without a scorer (lmdemo never imports evals) the card says the validation set was not scored
    from lmdemo.training.task_scores import UNSCORED

    assert metrics["final"] == {"unscored": UNSCORED} and UNSCORED in card
