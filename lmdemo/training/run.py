"""What every training command shares: resuming, encryption, the time carried over, the checkpoint and its card.

A run writes its checkpoint folder at every evaluation (``Trainer``'s ``save_fn``) and keeps the
optimizer state in ``train_state/`` beside it, so a run that is stopped (``pause_after``,
``should_stop``, a killed process) continues where it was when started again with ``resume``;
the training time of the earlier part is carried over into the card, and so are the commands that
trained it (``metrics.json``'s ``resumed_after``: each earlier invocation of this run, with the step it
stopped at), since a resumed run's own command may differ from theirs ("--steps 3000", then "--steps 7000").
"""

import os
import time

from lmdemo.storage.checkpoint import read_metrics
from lmdemo.storage.encryption import for_saving
from lmdemo.training import distributed
from lmdemo.training.cards import training_card
from lmdemo.training.trainer import STATE_DIR


class TrainingRun:
    """One training command writing one checkpoint folder.

    Args:
        out_dir: the checkpoint folder.
        resume: continue from ``out_dir/train_state`` if an earlier run left one.
        encrypt: store the checkpoint encrypted, with the key or passphrase from the environment.
    """

    def __init__(self, out_dir, resume=True, encrypt=False):
        self.out_dir = out_dir
        self.state_dir = os.path.join(out_dir, STATE_DIR)
        self.resuming = bool(resume) and os.path.isfile(os.path.join(self.state_dir, "state.json"))
        self.encrypt = encrypt
        self.started = time.time()
        self.previous_seconds = 0.0  # training time of the run this one resumes
        self.resumed_after = []  # the earlier invocations of this run: [{"command", "step"}, ...]
        if self.resuming:
            try:
                earlier = read_metrics(out_dir)
            except (OSError, ValueError):  # an unreadable record: the run resumes, the earlier commands are not kept
                earlier = None
            if earlier is not None:
                self.resumed_after = list(earlier.get("resumed_after") or []) + [
                    {"command": earlier.get("command"), "step": earlier.get("step")}]

    def prepare(self, model):
        """Set up encryption (a model loaded from an encrypted checkpoint stays encrypted); returns the model."""
        if self.encrypt and model.encryption is None:
            model.encryption = for_saving()
        return model

    def fingerprint(self, model, texts):
        """Write the training texts' n-gram fingerprint into the checkpoint folder (``lmdemo.data.fingerprint``),
        encrypted when the model is, for contamination checks later; by process 0 only."""
        from lmdemo.data.fingerprint import NgramFingerprint

        if distributed.is_main_process() and texts:
            NgramFingerprint.from_texts(texts).save(self.out_dir, model.encryption)

    def seconds(self):
        """Training time so far, the resumed run's included."""
        return time.time() - self.started + self.previous_seconds

    def fit(self, trainer, train, val, pause_after=None):
        """Restore the trainer's state when resuming, then train."""
        if self.resuming:
            trainer.load_state()
            self.previous_seconds = trainer.history[-1]["elapsed_s"] if trainer.history else 0.0
        trainer.fit(train, val, pause_after=pause_after)

    def write(self, model, metrics):
        """Save the checkpoint with its card, written from ``metrics`` (by process 0 of a multi-process run)."""
        if not distributed.is_main_process():
            return
        if self.resumed_after:
            metrics = {**metrics, "resumed_after": self.resumed_after}
        model.save(self.out_dir, card=training_card(model, metrics), metrics=metrics)
