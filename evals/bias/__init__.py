"""The data-bias probe (数据偏差): counterfactual templates scored by a sentiment model or a language model."""

from evals.bias.probe import DEFAULT_FILE, fill, holm, load_counterfactuals, parse_counterfactuals, run_probe

__all__ = ["DEFAULT_FILE", "fill", "holm", "load_counterfactuals", "parse_counterfactuals", "run_probe"]
