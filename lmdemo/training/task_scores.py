"""The validation scores a task model's card reports, measured when training ends.

Sentiment accuracy is counted here, beside a bag-of-n-grams baseline fitted on the same training
data. Translations and summaries are decoded here and scored by the ``scorer`` the caller hands in
(``python -m lmdemo train-task`` passes the evaluation harness's BLEU and ROUGE): the model library
does not import the evaluation package.
"""

import time

import numpy as np

UNSCORED = ("Not scored on the validation set: no scorer was given (`python -m lmdemo train-task` scores with the "
            "evaluation harness's BLEU and ROUGE).")


def final_task_scores(task, model, val, train, beams, scorer=None):
    """``{"final": {...}}``: the scores of ``model`` on the ``val`` examples (see the module docstring).

    Args:
        task: ``"sentiment"``, ``"translation"`` or ``"summarization"``.
        model: the trained model.
        val, train: lists of (input, output) examples.
        beams: the beam width decoded beside greedy decoding.
        scorer: ``f(task, predictions, references) -> {name: score}``; translation references are
            lists (every reference of a source). None: translations and summaries are not decoded.
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
    if scorer is None:
        return {"final": {"unscored": UNSCORED}}
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
            out[name] = {**scorer(task, hyps, refs), "seconds": round(time.time() - t, 1)}
        return {"final": out}
    docs, refs = [x for x, _ in val], [y for _, y in val]
    out = {"documents": len(docs), "lead-3": scorer(task, [lead_k(d, 3) for d in docs], refs),
           "textrank-3": scorer(task, [textrank(d, 3) for d in docs], refs)}
    # repeated phrases are the abstractive summarizer's commonest fault: also decode without them
    for name, n, no_repeat in (("greedy", 1, 0), (f"beam{beams}", beams, 0), ("greedy, no repeated 3-gram", 1, 3),
                               (f"beam{beams}, no repeated 3-gram", beams, 3)):
        t = time.time()
        results = model.generate(docs, num_beams=n, no_repeat_ngram_size=no_repeat)
        out[name] = {**scorer(task, [r["text"] for r in results], refs), "seconds": round(time.time() - t, 1),
                     "truncated_inputs": sum(r["truncated"] for r in results)}
    return {"final": out}


def _accuracy(probabilities, labels):
    """Accuracy of the most probable label of each ``{label name: probability}`` dict (in label order)."""
    return float(np.mean(np.argmax([list(p.values()) for p in probabilities], axis=1) == labels))
