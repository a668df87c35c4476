"""Shared argument parsing and output for the benchmarks: a table, then one JSON line with --json."""

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def model_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--model", default="transformer", choices=["transformer", "lstm", "rnn"],
                   help="for lstm/rnn, --d-model is the state width and --context the training window")
    p.add_argument("--tie-embeddings", action="store_true", help="Transformer: output layer tied to the embeddings")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--context", type=int, default=256)
    p.add_argument("--vocab", type=int, default=65)
    p.add_argument("--activation", default="gelu", choices=["gelu", "relu"])
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    return p


def random_char_lm(args):
    """A model of kind --model with random weights and a character tokenizer of exactly --vocab ids."""
    import lmdemo  # first: it selects Keras' JAX backend

    import keras

    chars = [chr(0x21 + i) for i in range(args.vocab - 1)]  # + <unk> = vocab
    tok = lmdemo.CharTokenizer(chars)
    keras.utils.set_random_seed(0)
    if getattr(args, "model", "transformer") != "transformer":
        cls = lmdemo.LSTMLM if args.model == "lstm" else lmdemo.RNNLM
        return cls.create(tok, num_layers=args.layers, hidden_dim=args.d_model, train_length=args.context)
    cfg = lmdemo.TransformerConfig(max_length=args.context, num_layers=args.layers, num_heads=args.heads,
                                   d_model=args.d_model, activation=args.activation,
                                   tie_embeddings=getattr(args, "tie_embeddings", False))
    return lmdemo.TransformerLM.create(tok, cfg)


def report(title, rows, result, as_json):
    import jax

    result = {**result, "machine": f"{platform.machine()}, {os.cpu_count()} cores", "jax": jax.__version__}
    print(title)
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")
    if as_json:
        print(json.dumps(result))


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, process, timeout):
    """Seconds until ``url`` answers 200 (raises if the process dies or ``timeout`` passes)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"app.py exited with code {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - t0
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"app.py was not ready after {timeout} s")


def start_app():
    """``python app.py`` in a new process on a free local port: (its URL, the process)."""
    port = free_port()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1",
           "GRADIO_ANALYTICS_ENABLED": "False"}
    process = subprocess.Popen([sys.executable, os.path.join(REPO, "app.py")], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return f"http://127.0.0.1:{port}/", process
