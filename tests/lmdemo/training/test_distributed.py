"""Training over several processes (lmdemo/training/distributed.py): two local processes train as one process
with the same global batch, resume, and only process 0 writes."""

import json
import os
import socket
import subprocess
import sys

import pytest

from lmdemo.training.distributed import initialize
from tests.conftest import REPO


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def train(data, out, steps, processes=1):
    """``python -m lmdemo train`` of a tiny model, in ``processes`` processes joined by jax.distributed."""
    args = [sys.executable, "-m", "lmdemo", "train", "--data", data, "--out", out, "--preset", "tiny", "--context",
            "16", "--d-model", "16", "--layers", "1", "--steps", str(steps), "--warmup", "2", "--eval-interval", "10",
            "--batch-size", "8", "--lr", "3e-3", "--seed", "0"]
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}  # one CPU device per process
    env["PYTHONPATH"] = REPO
    if processes == 1:
        runs = [subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    else:
        address = f"127.0.0.1:{free_port()}"
        runs = [subprocess.Popen(args + ["--coordinator-address", address, "--num-processes", str(processes),
                                         "--process-id", str(i)],
                                 env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for i in range(processes)]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err[-3000:]
    with open(os.path.join(out, "metrics.json"), encoding="utf-8") as f:
        return json.load(f)


@pytest.mark.slow
def test_two_processes_train_and_resume_as_one_process_with_the_same_global_batch(tmp_path, toy_file):
    one = train(toy_file, str(tmp_path / "one"), 10)
    two = train(toy_file, str(tmp_path / "two"), 10, processes=2)
    assert two["history"][-1]["val_loss"] == pytest.approx(one["history"][-1]["val_loss"], abs=2e-3)
    one = train(toy_file, str(tmp_path / "one"), 20)  # both resume from step 10
    two = train(toy_file, str(tmp_path / "two"), 20, processes=2)
    assert [r["step"] for r in two["history"]] == [10, 20]
    for a, b in zip(one["history"], two["history"]):
        assert b["val_loss"] == pytest.approx(a["val_loss"], abs=2e-3)
        assert b["train_loss"] == pytest.approx(a["train_loss"], abs=2e-3)


@pytest.mark.parametrize("args, message", [
    (("localhost", 2, 0), "coordinator_address must be HOST:PORT, received coordinator_address='localhost'"),
    (("localhost:1234", 0, 0), "num_processes must be a positive int, received num_processes=0"),
    (("localhost:1234", 2, 2), r"process_id must be an int in \[0, 2\), received process_id=2"),
    (("localhost:1234", 2, None), r"process_id must be an int in \[0, 2\), received process_id=None"),
])
def test_initialize_checks_its_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        initialize(*args)
