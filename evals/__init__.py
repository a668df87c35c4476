"""evals: measuring lmdemo models: metrics, privacy sanitizer, harness, reports."""


def __getattr__(name):
    # load_metric imports `evaluate` (slow); load it only when asked for
    if name == "load_metric":
        from evals.load import load_metric

        return load_metric
    raise AttributeError(f"module 'evals' has no attribute {name!r}")


__all__ = ["load_metric"]
