"""Models on the Hugging Face Hub, named ``hf:owner/name`` (or ``hf:owner/name@revision``).

``hub_folder`` downloads the files lmdemo reads (config, safetensors weights, tokenizer files; never
pickled PyTorch weights) with ``huggingface_hub`` into its usual cache (``$HF_HOME``), and returns the
snapshot folder. A model already in the cache is used from there when the Hub cannot be reached, and
``HF_HUB_OFFLINE=1`` keeps every call off the network.
"""

import re

HF_PREFIX = "hf:"
FILES = ("config.json", "model.safetensors", "model-*.safetensors", "model.safetensors.index.json",
         "tokenizer.json", "vocab.json", "merges.txt", "vocab.txt", "tokenizer_config.json",
         "special_tokens_map.json", "README.md")
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[A-Za-z0-9][\w.\-]*)?$")


def is_hub_id(name):
    """True for ``hf:...`` names."""
    return isinstance(name, str) and name.startswith(HF_PREFIX)


def parse_hub_id(name):
    """``"hf:owner/name@rev"`` → ``("owner/name", "rev")`` (revision None when absent); ValueError when malformed."""
    body = name[len(HF_PREFIX):]
    repo_id, _, revision = body.partition("@")
    if not _REPO_ID.match(repo_id) or len(repo_id) > 96 or "--" in repo_id or ".." in repo_id:
        raise ValueError(f"{name!r} is not a Hugging Face model id: write hf:NAME or hf:OWNER/NAME, e.g. "
                         f"hf:openai-community/gpt2")
    return repo_id, revision or None


def hub_folder(name, cache_dir=None):
    """The local folder holding the files of Hub model ``name`` (``hf:...``), downloading them if needed.

    Raises:
        ValueError: a malformed id, a model the Hub does not have (or keeps private or gated), or no way to
            reach the Hub for a model that is not in the cache (each message names the id).
    """
    from huggingface_hub import snapshot_download

    repo_id, revision = parse_hub_id(name)
    return _fetch(name, lambda: snapshot_download(repo_id, revision=revision, cache_dir=cache_dir,
                                                  allow_patterns=list(FILES)))


def hub_config(name, cache_dir=None):
    """The parsed ``config.json`` of Hub model ``name``, downloading that file only (to check a model's type
    and size before its weights are fetched). Raises ValueError as ``hub_folder`` does."""
    import json

    from huggingface_hub import hf_hub_download

    repo_id, revision = parse_hub_id(name)
    path = _fetch(name, lambda: hf_hub_download(repo_id, "config.json", revision=revision, cache_dir=cache_dir))
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"{name!r}: its config.json cannot be read") from None


def _fetch(name, download):
    """``download()``, with huggingface_hub's errors turned into ValueErrors that name the id."""
    from huggingface_hub.errors import (EntryNotFoundError, GatedRepoError, HfHubHTTPError, LocalEntryNotFoundError,
                                        RepositoryNotFoundError, RevisionNotFoundError)

    try:
        return download()
    except GatedRepoError:
        raise ValueError(f"{name!r} is gated on the Hugging Face Hub: accept its terms there and log in "
                         f"(`hf auth login`)") from None
    except RepositoryNotFoundError:
        raise ValueError(f"{name!r}: the Hugging Face Hub has no model {parse_hub_id(name)[0]!r} (or it is "
                         f"private)") from None
    except RevisionNotFoundError:
        raise ValueError(f"{name!r}: the model has no revision {parse_hub_id(name)[1]!r}") from None
    except LocalEntryNotFoundError:
        raise ValueError(f"{name!r} cannot be downloaded: this machine cannot reach the Hugging Face Hub and the "
                         f"model is not in the local cache") from None
    except EntryNotFoundError:
        raise ValueError(f"{name!r} has no config.json: not a model lmdemo can read") from None
    except HfHubHTTPError as e:
        raise ValueError(f"{name!r} cannot be downloaded from the Hugging Face Hub: {str(e).splitlines()[0][:200]}") \
            from None
    except OSError:
        raise ValueError(f"{name!r} cannot be downloaded: the Hugging Face Hub cannot be reached, or the cache "
                         f"cannot be written") from None
