"""The one direction data flows in: each package imports only the packages below it.

Read from the source with ``ast`` (every ``import`` and ``from ... import``, at any depth, lazy ones
included), so a new file or a function-level import that breaks the direction fails here.
"""

import ast
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INFERENCE = ("kernels", "layers", "tokenizers", "networks", "lm", "generation", "tasks", "data", "storage")


def _imports(path):
    """Every module a file imports, as dotted names."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def _files(*parts):
    root = os.path.join(REPO, *parts)
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(".py"):
                yield os.path.relpath(os.path.join(folder, name), REPO)


def _offending(files, forbidden, allowed=()):
    return sorted(f"{path}: {name}" for path in files for name in _imports(os.path.join(REPO, path))
                  if name.split(".")[0] in forbidden or any(name.startswith(p) for p in forbidden if "." in p)
                  if f"{path}: {name}" not in allowed)


def test_lmdemo_never_imports_evals_or_the_app():
    assert _offending(_files("lmdemo"), ("evals", "lmdemo_app", "app")) == []


@pytest.mark.parametrize("package", INFERENCE)
def test_inference_never_imports_training(package):
    assert _offending(_files("lmdemo", package), ("lmdemo.training",)) == []


def test_evals_never_imports_the_app():
    assert _offending(_files("evals"), ("lmdemo_app", "app", "gradio")) == []


def test_the_top_of_lmdemo_is_a_handful_of_modules():
    top = sorted(n for n in os.listdir(os.path.join(REPO, "lmdemo")) if n.endswith(".py"))
    assert top == ["__init__.py", "__main__.py", "backend.py", "cli.py", "config.py", "registry.py"]
