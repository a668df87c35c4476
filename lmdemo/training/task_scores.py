"""The validation scores a task model's card reports, measured when training ends.

Sentiment accuracy is counted here, beside a bag-of-n-grams baseline fitted on the same training
data. Translations and summaries are decoded here and scored by the reference scorers themselves,
``sacrebleu.corpus_bleu`` (13a tokenization; ``zh`` for Chinese targets) and ``rouge_score`` (Porter-stemmed F-measure, mean over
pairs): the evaluation harness's ``bleu`` and ``rouge`` metrics wrap the same two functions (a test in
``tests/evals`` checks that they agree), and the model library never imports the evaluation package.
"""

import re
import time

import numpy as np

from lmdemo.data.chinese_script import HAN

_HAN = re.compile(f"[{HAN}]")


def bleu_tokenize(references):
    """sacrebleu's tokenizer for a target language: ``"zh"`` (each CJK character a word) when at least a
    third of the references' characters are CJK ideographs, as sacrebleu asks for Chinese; else ``"13a"``."""
    texts = [r for refs in references for r in (refs if isinstance(refs, (list, tuple)) else [refs]) if r]
    chars = sum(len(t) - sum(c.isspace() for c in t) for t in texts)
    han = sum(len(_HAN.findall(t)) for t in texts)
    return "zh" if chars and han * 3 >= chars else "13a"


def reference_scores(task, predictions, references):
    """BLEU for translation (``references``: every reference of each prediction; sacrebleu's ``zh``
    tokenizer for Chinese targets, ``bleu_tokenize``) or ROUGE-1/2/L F1 ×100 (Porter-stemmed) for
    summarization.

    Example:
        >>> round(reference_scores("translation", ["the cat sat on the mat"], [["the cat sat on the mat"]])["bleu"])
        100
    """
    if task == "translation":
        import sacrebleu

        width = max(len(refs) for refs in references)
        streams = [[refs[k] if k < len(refs) else None for refs in references] for k in range(width)]
        tokenize = bleu_tokenize(references)
        return {"bleu": float(sacrebleu.corpus_bleu(predictions, streams, tokenize=tokenize).score),
                "bleu_tokenize": tokenize}
    if task == "summarization":
        from rouge_score import rouge_scorer

        types = ("rouge1", "rouge2", "rougeL")
        scorer = rouge_scorer.RougeScorer(list(types), use_stemmer=True)
        pairs = [scorer.score(ref, pred) for pred, ref in zip(predictions, references)]
        return {t: 100 * float(np.mean([p[t].fmeasure for p in pairs])) for t in types}
    raise ValueError(f"task must be 'translation' or 'summarization', received task={task!r}")


def final_task_scores(task, model, val, train, beams):
    """``{"final": {...}}``: the scores of ``model`` on the ``val`` examples (see the module docstring).

    Args:
        task: ``"sentiment"``, ``"translation"`` or ``"summarization"``.
        model: the trained model.
        val, train: lists of (input, output) examples.
        beams: the beam width decoded beside greedy decoding.
    """
    from lmdemo.tasks.bag_of_ngrams import BagOfNgrams
    from lmdemo.tasks.extractive import lead_k, textrank

    started = time.time()
    if task == "sentiment":
        texts, labels = [x for x, _ in val], np.asarray([y for _, y in val])
        results = model.classify(texts)
        scores = {"accuracy": float(np.mean([r["label_id"] for r in results] == labels))}
        for name in results[0].get("experts", ()):  # each expert alone, when the model has two
            scores[f"{name}_accuracy"] = _accuracy([r["experts"][name] for r in results], labels)
        baseline = BagOfNgrams.train([x for x, _ in train], [y for _, y in train])
        base_pred = baseline.predict(texts)
        return {"final": {**scores, "baseline_accuracy": float(np.mean(base_pred == labels)),
                          "baseline": baseline.describe(), "seconds": round(time.time() - started, 1)}}
    if task == "translation":
        grouped = {}
        for src, ref in val:
            grouped.setdefault(src, []).append(ref)
        sources = list(grouped)
        refs = [grouped[s] for s in sources]
        out = {"sources": len(sources), "references": len(val)}
        for name, n in (("greedy", 1), (f"beam{beams}", beams)):
            t = time.time()
            hyps = [r["text"] for r in model.generate(sources, num_beams=n)]
            out[name] = {**reference_scores(task, hyps, refs), "seconds": round(time.time() - t, 1)}
        return {"final": out}
    docs, refs = [x for x, _ in val], [y for _, y in val]
    out = {"documents": len(docs), "lead-3": reference_scores(task, [lead_k(d, 3) for d in docs], refs),
           "textrank-3": reference_scores(task, [textrank(d, 3) for d in docs], refs)}
    # repeated phrases are the abstractive summarizer's commonest fault: also decode without them
    for name, n, no_repeat in (("greedy", 1, 0), (f"beam{beams}", beams, 0), ("greedy, no repeated 3-gram", 1, 3),
                               (f"beam{beams}, no repeated 3-gram", beams, 3)):
        t = time.time()
        results = model.generate(docs, num_beams=n, no_repeat_ngram_size=no_repeat)
        out[name] = {**reference_scores(task, [r["text"] for r in results], refs), "seconds": round(time.time() - t, 1),
                     "truncated_inputs": sum(r["truncated"] for r in results)}
    return {"final": out}


def _accuracy(probabilities, labels):
    """Accuracy of the most probable label of each ``{label name: probability}`` dict (in label order)."""
    return float(np.mean(np.argmax([list(p.values()) for p in probabilities], axis=1) == labels))
