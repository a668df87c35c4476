"""Temporary folders for the app's per-request files (training texts, checkpoints, evaluation reports).

Each request gets its own folder under one root made at import. A folder is deleted by its owner
as soon as it is done with it; report folders must outlive the request (the visitor downloads them),
so `new_folder` also deletes folders older than `KEEP_SECONDS`, and the whole root goes at exit.
"""

import atexit
import os
import shutil
import tempfile
import time

KEEP_SECONDS = 3600

ROOT = tempfile.mkdtemp(prefix="lmdemo-app-")
atexit.register(shutil.rmtree, ROOT, ignore_errors=True)


def new_folder(prefix):
    """A new empty folder under `ROOT` (after removing folders older than `KEEP_SECONDS`)."""
    now = time.time()
    for name in os.listdir(ROOT):
        path = os.path.join(ROOT, name)
        try:
            if now - os.path.getmtime(path) > KEEP_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except FileNotFoundError:  # another request removed it first
            pass
    return tempfile.mkdtemp(prefix=prefix, dir=ROOT)


def remove(path):
    """Delete a folder made by `new_folder` (quietly if it is already gone)."""
    shutil.rmtree(path, ignore_errors=True)
