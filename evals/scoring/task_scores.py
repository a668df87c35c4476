"""The scores a trained translation or summarization model's card reports, by the harness's own scorers.

``lmdemo`` never imports ``evals``: ``python -m lmdemo train-task`` hands this function to
``lmdemo.training.task_training.train_task`` as its ``scorer``, so the card's BLEU and ROUGE are the
numbers the harness would give.
"""

from evals.scoring.bleu import corpus_bleu
from evals.scoring.rouge import rouge


def task_scores(task: str, predictions: list, references: list) -> dict:
    """BLEU for translation (``references``: a list of references per prediction) or ROUGE-1/2/L F1 ×100
    (Porter-stemmed) for summarization.

    Example:
        >>> round(task_scores("translation", ["the cat sat on the mat"], [["the cat sat on the mat"]])["bleu"], 6)
        100.0
    """
    if task == "translation":
        return {"bleu": corpus_bleu(predictions, references)["score"]}
    if task == "summarization":
        scores = rouge(predictions, references, rouge_types=["rouge1", "rouge2", "rougeL"], use_stemmer=True)
        return {k: 100 * float(scores[k]) for k in ("rouge1", "rouge2", "rougeL")}
    raise ValueError(f"task must be 'translation' or 'summarization', received task={task!r}")
