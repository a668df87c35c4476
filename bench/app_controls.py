"""How fast each teaching control of the app answers, warm: the sampler chart and steps, Inside, the logit
lens, switching heads off, ranking heads, the HTML export, cross- and copy attention.

Starts ``python app.py`` in a fresh process, calls every control once through gradio_client (the
model loads and compiles), then ``--repeat`` more times and prints the median and the slowest.

    python bench/app_controls.py --repeat 5 --json
"""

import argparse
import statistics
import sys
import time

from common import report, start_app, wait_ready

TEXT = "To be, or not to be, that is the"
SAMPLE = "ROMEO:\nBut, soft! what light through yonder window breaks?\nIt is the east, and Juliet is the sun.\n"
DIALOGUE = "Ann: lunch at noon?\nBob: sure, where?\nAnn: the new place on Main street\nBob: see you there"


def controls(model):
    """(name, api_name, arguments) of each control, as the page sends them."""
    return [
        ("sampler chart (top-k)", "/next_token", ("ROMEO:\n", model, "top_k", 0.8, 20, 0.9)),
        ("step through, 20 tokens (top-p)", "/sampling_steps", ("ROMEO:\n", model, "top_p", 20, 0.8, 20, 0.9, 4, 0)),
        ("step through, 20 tokens (beam 4)", "/sampling_steps", ("ROMEO:\n", model, "beam", 20, 0.8, 20, 0.9, 4, 0)),
        ("inside: layer/head/position", "/inspect", (TEXT, model, 2, 3, 10)),
        ("logit lens", "/logit_lens", (TEXT, model)),
        ("switch off 2 heads", "/ablate", (TEXT, model, ["L1 H3", "L2 H1"], SAMPLE)),
        ("find the heads that matter", "/head_effects", (model, SAMPLE)),
        ("download the view (HTML)", "/export_inside", (TEXT, model, 2, 3, 10)),
        ("translate: cross-attention", "/cross_attention",
         ("Where is the train station?", "¿Dónde está la estación de tren?", "en-es-translation", 1, 2, "mean")),
        ("summarize: cross + copy attention", "/summary_attention",
         (DIALOGUE, "Ann and Bob will have lunch at noon.", "samsum-summarization", 2, "mean")),
    ]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", default="shakespeare-char")
    p.add_argument("--repeat", type=int, default=5, help="warm calls per control")
    p.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = p.parse_args()

    from gradio_client import Client

    url, process = start_app()
    rows, result = [], {"model": args.model, "repeat": args.repeat, "controls": {}}
    try:
        wait_ready(url, process, timeout=120)
        client = Client(url, verbose=False)
        for name, api_name, arguments in controls(args.model):
            t0 = time.perf_counter()
            client.predict(*arguments, api_name=api_name)  # loads the model, compiles
            first = time.perf_counter() - t0
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                client.predict(*arguments, api_name=api_name)
                times.append(time.perf_counter() - t0)
            median, slowest = statistics.median(times), max(times)
            result["controls"][name] = {"api_name": api_name, "first_s": round(first, 3),
                                        "median_s": round(median, 3), "max_s": round(slowest, 3)}
            rows.append((name, f"{median:.3f} s median, {slowest:.3f} s slowest (first call {first:.2f} s)"))
    finally:
        process.terminate()
        process.wait(timeout=30)
    report(f"app controls, warm, {args.repeat} calls each through gradio_client ({args.model})", rows, result,
           args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
