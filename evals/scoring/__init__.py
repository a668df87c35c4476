"""Plain scoring functions behind the metric modules: inputs in, summable statistics, a score out.

- ``bleu``: corpus BLEU through sacrebleu.
- ``rouge``: ROUGE-1/2/L/Lsum through rouge_score, with a CJK-aware tokenizer.
- ``perplexity``: per token, per character, per byte and per word for lmdemo language models.
- ``classification``: accuracy, macro-F1, per-class scores and the confusion matrix.
- ``bootstrap``: seeded percentile intervals for any of the corpus scores above.
"""
