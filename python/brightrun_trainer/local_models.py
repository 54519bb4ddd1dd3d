"""Model folders already on this machine, for choosing a base model without a download.

Looked for in: the project's .cache/models (the demo's model), $BRIGHTRUN_HOME/models (converted .gguf files)
and the Hugging Face hub cache (reported by Hub id, which transformers resolves from the cache offline).
A folder counts when it has a config.json and a tokenizer; only the folders directly under each root are read,
so listing stays cheap however large the models are.
"""

from __future__ import annotations

import json
import os
from typing import Dict, List, Optional

from .gguf_import import brightrun_home

TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model", "tokenizer_config.json")


def _is_model_folder(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "config.json")) and any(os.path.isfile(os.path.join(path, f)) for f in TOKENIZER_FILES)


def _model_type(path: str) -> Optional[str]:
    try:
        with open(os.path.join(path, "config.json"), encoding="utf-8") as f:
            return json.load(f).get("model_type")
    except (OSError, ValueError, AttributeError):
        return None


def hf_hub_cache() -> str:
    if os.environ.get("HF_HUB_CACHE"):
        return os.environ["HF_HUB_CACHE"]
    hf_home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "huggingface")
    return os.path.join(hf_home, "hub")


def _folders(root: str, source: str) -> List[Dict[str, object]]:
    found = []
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return found
    for name in names:
        path = os.path.join(root, name)
        if not name.startswith(".") and ".tmp-" not in name and _is_model_folder(path):
            found.append({"name": name, "baseModel": os.path.abspath(path), "source": source, "modelType": _model_type(path)})
    return found


def _hub_models(cache: str) -> List[Dict[str, object]]:
    found = []
    try:
        names = sorted(n for n in os.listdir(cache) if n.startswith("models--"))
    except OSError:
        return found
    for name in names:
        repo_id = name[len("models--") :].replace("--", "/")
        snapshots = os.path.join(cache, name, "snapshots")
        try:
            revisions = sorted(os.listdir(snapshots), key=lambda r: os.path.getmtime(os.path.join(snapshots, r)), reverse=True)
        except OSError:
            continue
        for rev in revisions:
            path = os.path.join(snapshots, rev)
            if _is_model_folder(path):
                found.append({"name": repo_id, "baseModel": repo_id, "source": "hf-cache", "modelType": _model_type(path)})
                break
    return found


def list_local_models(project_dir: Optional[str] = None) -> List[Dict[str, object]]:
    """[{name, baseModel (what to write in the run config), source, modelType}], project models first."""
    project = os.path.join(project_dir or os.getcwd(), ".cache", "models")
    return _folders(project, "project") + _folders(os.path.join(brightrun_home(), "models"), "brightrun") + _hub_models(hf_hub_cache())
