"""The served app under load: cold start, first streamed token, and N concurrent gradio_client users.

Starts ``python app.py`` in a fresh process, measures the time until it answers HTTP 200, warms the
model with one request, measures the first streamed chunk of single requests, then has ``--users``
clients generate at once and reports failures and p50/p95 latencies.

    python bench/app_load.py --users 20 --new-tokens 50 --json
"""

import argparse
import statistics
import sys
import threading
import time

from common import report, start_app, wait_ready


def percentile(values, q):
    """The q-th percentile (nearest rank) of ``values``; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def one_request(client, args, seed):
    """(seconds to the first streamed chunk, seconds to the end) of one generate call."""
    t0 = time.perf_counter()
    first = None
    job = client.submit("ROMEO:", args.model, "top_k", args.new_tokens, 0.8, 20, 0.9, 4, seed, api_name="/generate")
    for _ in job:
        if first is None:
            first = time.perf_counter() - t0
    job.result()
    return first, time.perf_counter() - t0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--new-tokens", type=int, default=50)
    p.add_argument("--model", default="shakespeare-char")
    p.add_argument("--single", type=int, default=5, help="sequential warm requests for the first-token latency")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = p.parse_args()

    from gradio_client import Client

    url, process = start_app()
    try:
        cold_start = wait_ready(url, process, timeout=120)
        client = Client(url, verbose=False)
        t1 = time.perf_counter()
        one_request(client, args, 0)  # loads the model and compiles generation
        first_request = time.perf_counter() - t1
        singles = [one_request(client, args, seed) for seed in range(1, args.single + 1)]
        warm_first = statistics.median(s[0] for s in singles)

        clients = [Client(url, verbose=False) for _ in range(args.users)]
        results, failures = [None] * args.users, []
        start = threading.Barrier(args.users)

        def user(i):
            start.wait()
            try:
                results[i] = one_request(clients[i], args, 100 + i)
            except Exception as e:  # counted and reported, never hidden
                failures.append(f"{type(e).__name__}: {e}")

        threads = [threading.Thread(target=user, args=(i,)) for i in range(args.users)]
        t2 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t2
    finally:
        process.terminate()
        process.wait(timeout=30)

    done = [r for r in results if r is not None]
    firsts, totals = [r[0] for r in done], [r[1] for r in done]
    result = {"users": args.users, "new_tokens": args.new_tokens, "failures": len(failures),
              "cold_start_s": round(cold_start, 2), "first_request_s": round(first_request, 2),
              "warm_first_chunk_s": round(warm_first, 3),
              "load_first_chunk_p50_s": round(percentile(firsts, 50), 3) if firsts else None,
              "load_first_chunk_p95_s": round(percentile(firsts, 95), 3) if firsts else None,
              "load_latency_p50_s": round(percentile(totals, 50), 3) if totals else None,
              "load_latency_p95_s": round(percentile(totals, 95), 3) if totals else None,
              "load_wall_s": round(wall, 2), "errors": failures[:5]}
    report(f"app under load: {args.users} concurrent users × {args.new_tokens} new tokens ({args.model})", [
        ("cold start to HTTP 200", f"{result['cold_start_s']} s"),
        ("first request (model load + compile)", f"{result['first_request_s']} s"),
        ("first streamed chunk, warm, median", f"{result['warm_first_chunk_s']} s"),
        ("failures under load", f"{len(failures)} of {args.users}"),
        ("first chunk under load p50 / p95",
         f"{result['load_first_chunk_p50_s']} / {result['load_first_chunk_p95_s']} s"),
        ("latency under load p50 / p95", f"{result['load_latency_p50_s']} / {result['load_latency_p95_s']} s"),
        ("all users done in", f"{result['load_wall_s']} s"),
    ], result, args.json)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
