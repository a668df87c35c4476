"""Deploy the app to a Hugging Face Space: ``python -m lmdemo_app deploy OWNER/NAME [--dry-run]``.

A Space is a git repository the Hub builds and serves. It refuses files over 10 MB that are not stored
with Git LFS, and five shipped checkpoints here are 13-17 MB: uploading through ``huggingface_hub``
(``HfApi.create_commit``) sends every file the Hub asks for as LFS (its pre-upload check names them:
binary files and large ones) that way, so no local git or git-lfs is needed. The Space gets the code the
app runs (``app.py``, ``lmdemo/``, ``lmdemo_app/``, ``evals/``), the shipped models,
``requirements.txt``, and the README, whose front matter tells the Hub how to run it (Gradio SDK and
version, app file, Python version).

``--dry-run`` lists every file with its size and how it would be stored, and uploads nothing.
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# what the Space needs, relative to the repository root
FILES = ("README.md", "app.py", "requirements.txt")  # the README's front matter tells the Hub how to run it
FOLDERS = ("lmdemo", "lmdemo_app", "evals", "models")
SKIPPED_PARTS = ("__pycache__", ".pytest_cache", ".ipynb_checkpoints")
SKIPPED_SUFFIXES = (".pyc", ".pyo")
LFS_BYTES = 10 * 1024 * 1024  # the Hub refuses larger plain-git files
BINARY_SUFFIXES = (".h5", ".npz", ".safetensors", ".enc", ".bin", ".png", ".jpg", ".gz")


def space_files(root=None):
    """``[(path in the Space, local path, size in bytes)]``, sorted: the files a Space of the app needs
    (``root``: the repository, default this one)."""
    root = root or ROOT
    found = []
    for name in FILES:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            found.append((name, path))
    for folder in FOLDERS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_PARTS and not d.startswith("."))
            for filename in sorted(filenames):
                if filename.endswith(SKIPPED_SUFFIXES) or filename.startswith("."):
                    continue
                path = os.path.join(dirpath, filename)
                found.append((os.path.relpath(path, root).replace(os.sep, "/"), path))
    return sorted((dest, path, os.path.getsize(path)) for dest, path in found)


def stored_as(dest, size):
    """``"lfs"`` for a file the Hub stores with Git LFS (binary, or over 10 MB), else ``"git"``."""
    return "lfs" if size > LFS_BYTES or dest.lower().endswith(BINARY_SUFFIXES) else "git"


def front_matter(root=None):
    """The README's front matter as a dict (the Space's settings); ValueError when it has none."""
    import yaml

    with open(os.path.join(root or ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("---\n") or "\n---" not in text[4:]:
        raise ValueError("README.md has no front matter (--- sdk: gradio ... ---): a Space cannot run without it")
    settings = yaml.safe_load(text[4:text.index("\n---", 4)])
    if not isinstance(settings, dict) or settings.get("sdk") != "gradio" or not settings.get("app_file"):
        raise ValueError(f"README.md's front matter must say sdk: gradio and app_file, received {settings!r}")
    return settings


def plan(root=None):
    """The upload as a printable table: every file, its size and storage, then the totals."""
    files = space_files(root)
    lines = [f"{'size':>12}  {'stored':6}  path"]
    for dest, _, size in files:
        lines.append(f"{size:>12,}  {stored_as(dest, size):6}  {dest}")
    total = sum(size for _, _, size in files)
    large = sum(1 for dest, _, size in files if stored_as(dest, size) == "lfs")
    lines.append(f"{len(files)} files, {total:,} bytes; {large} stored with Git LFS")
    settings = front_matter(root)
    lines.append(f"Space settings (README front matter): sdk {settings['sdk']} {settings.get('sdk_version', '?')}, "
                 f"app_file {settings['app_file']}, python {settings.get('python_version', 'default')}")
    return "\n".join(lines)


def check_space_id(space_id):
    """``space_id`` if it has the form OWNER/NAME; ValueError naming it otherwise."""
    parts = str(space_id).split("/")
    if len(parts) != 2 or not all(p and p.replace("-", "").replace("_", "").replace(".", "").isalnum() for p in parts):
        raise ValueError(f"space_id must be OWNER/NAME (letters, digits, -, _, .), received space_id={space_id!r}")
    return space_id


def deploy(space_id, root=None, token=None, private=False):
    """Create the Space ``space_id`` (``OWNER/NAME``) if it does not exist and upload the app to it in one
    commit. Returns the Space's URL.

    Raises:
        ValueError: a malformed ``space_id``, or the Hub refused (the message says why: no token, no
            network, no right to write there).
    """
    from huggingface_hub import CommitOperationAdd, HfApi
    from huggingface_hub.utils import HfHubHTTPError

    check_space_id(space_id)
    api = HfApi(token=token)
    front_matter(root)
    operations = [CommitOperationAdd(path_in_repo=dest, path_or_fileobj=path) for dest, path, _ in space_files(root)]
    try:
        api.create_repo(space_id, repo_type="space", space_sdk="gradio", private=private, exist_ok=True)
        api.create_commit(space_id, repo_type="space", operations=operations,
                          commit_message="Deploy lmdemo (python -m lmdemo_app deploy)")
    except (HfHubHTTPError, OSError) as e:
        raise ValueError(f"the Hub refused space_id={space_id!r}: {e}") from None
    return f"https://huggingface.co/spaces/{space_id}"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lmdemo_app deploy",
                                     description="Create or update a Hugging Face Space running this app.")
    parser.add_argument("space_id", help="OWNER/NAME of the Space")
    parser.add_argument("--dry-run", action="store_true", help="list every file, its size and storage; upload nothing")
    parser.add_argument("--private", action="store_true", help="create the Space private")
    args = parser.parse_args(argv)
    try:
        check_space_id(args.space_id)
        if args.dry_run:
            print(f"Space {args.space_id}: would upload")
            print(plan())
            return 0
        url = deploy(args.space_id, private=args.private)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"deployed: {url}")
    return 0
