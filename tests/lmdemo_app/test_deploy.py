"""``python -m lmdemo_app deploy``: the dry run lists what a Space gets, and nothing is uploaded."""

import os

import pytest

from lmdemo_app import __main__ as cli
from lmdemo_app import deploy


def make_repo(root, readme="---\nsdk: gradio\nsdk_version: 6.31.0\napp_file: app.py\n---\n# x\n"):
    files = {"README.md": readme, "app.py": "print('app')\n", "requirements.txt": "gradio\n",
             "lmdemo/__init__.py": "", "lmdemo/__pycache__/x.cpython-311.pyc": "junk",
             "lmdemo_app/tab.py": "", "evals/harness.py": "", "models/m/config.json": "{}",
             "tests/test_x.py": "", "docs/x.md": ""}
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    with open(os.path.join(root, "models", "m", "model.weights.h5"), "wb") as f:
        f.write(b"\0" * 1000)
    with open(os.path.join(root, "models", "m", "big.json"), "wb") as f:
        f.write(b" " * (deploy.LFS_BYTES + 1))


def test_space_files_are_the_app_its_packages_and_models(tmp_path):
    make_repo(tmp_path)
    files = deploy.space_files(str(tmp_path))
    assert [dest for dest, _, _ in files] == [
        "README.md", "app.py", "evals/harness.py", "lmdemo/__init__.py", "lmdemo_app/tab.py", "models/m/big.json",
        "models/m/config.json", "models/m/model.weights.h5", "requirements.txt"]
    sizes = {dest: size for dest, _, size in files}
    assert sizes["models/m/model.weights.h5"] == 1000 and sizes["models/m/big.json"] == deploy.LFS_BYTES + 1
    assert deploy.stored_as("models/m/model.weights.h5", 1000) == "lfs"  # binary: LFS whatever its size
    assert deploy.stored_as("models/m/big.json", deploy.LFS_BYTES + 1) == "lfs"  # over 10 MB
    assert deploy.stored_as("models/m/config.json", 2) == "git"


def test_dry_run_lists_every_file_and_uploads_nothing(tmp_path, monkeypatch, capsys):
    make_repo(tmp_path)
    monkeypatch.setattr(deploy, "ROOT", str(tmp_path))
    monkeypatch.setattr(deploy, "deploy", lambda *a, **k: pytest.fail("a dry run must not upload"))
    assert cli.main(["deploy", "someone/lmdemo", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Space someone/lmdemo: would upload"
    assert f"{1000:>12,}  lfs     models/m/model.weights.h5" in out
    assert f"{deploy.LFS_BYTES + 1:>12,}  lfs     models/m/big.json" in out
    assert f"{7:>12,}  git     requirements.txt" in out  # "gradio\n"
    total = sum(size for _, _, size in deploy.space_files(str(tmp_path)))
    assert out[-2] == f"9 files, {total:,} bytes; 2 stored with Git LFS"
    assert out[-1] == "Space settings (README front matter): sdk gradio 6.31.0, app_file app.py, python default"


def test_the_shipped_tree_has_what_a_space_needs():
    names = {dest for dest, _, _ in deploy.space_files()}
    assert {"README.md", "app.py", "requirements.txt", "lmdemo/__init__.py", "lmdemo_app/i18n.py",
            "evals/harness.py"} <= names
    assert not any(name.startswith(("tests/", "docs/", "bench/")) or "__pycache__" in name for name in names)
    assert deploy.front_matter()["sdk"] == "gradio"


def test_bad_space_ids_and_readmes_are_refused(tmp_path, capsys):
    assert cli.main(["deploy", "no-owner", "--dry-run"]) == 1
    assert "space_id must be OWNER/NAME" in capsys.readouterr().err
    with pytest.raises(ValueError, match="space_id must be OWNER/NAME"):
        deploy.deploy("a/b/c")
    make_repo(tmp_path, readme="# no front matter\n")
    with pytest.raises(ValueError, match="README.md has no front matter"):
        deploy.front_matter(str(tmp_path))
    assert cli.main([]) == 2
