"""Training: the jitted ``Trainer`` and its example-based variants, the runs behind ``python -m lmdemo train``
and ``train-task`` (resume, time caps, encryption), and the model cards they write."""
