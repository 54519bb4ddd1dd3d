"""Finding model folders on this machine, and the clear errors of the GGUF importer (no real model needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from brightrun_trainer.errors import ConfigError
from brightrun_trainer.gguf_import import cached_import, import_gguf
from brightrun_trainer.local_models import list_local_models


def _model_folder(path, model_type="llama", tokenizer=True):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "config.json"), "w", encoding="utf-8") as f:
        json.dump({"model_type": model_type}, f)
    if tokenizer:
        with open(os.path.join(path, "tokenizer.json"), "w", encoding="utf-8") as f:
            f.write("{}")


def test_lists_project_brightrun_and_hub_cache_models(tmp_path, monkeypatch):
    project, home, hub = tmp_path / "project", tmp_path / "home", tmp_path / "hub"
    _model_folder(project / ".cache" / "models" / "smollm2-135m-instruct")
    _model_folder(project / ".cache" / "models" / "weights-only", tokenizer=False)
    _model_folder(project / ".cache" / "models" / "half-written.tmp-123")
    _model_folder(home / "models" / "phi-mini-0123456789abcdef", model_type="phi3")
    _model_folder(hub / "models--Qwen--Qwen2.5-0.5B" / "snapshots" / "abc123", model_type="qwen2")
    os.makedirs(hub / "models--org--not-downloaded" / "snapshots" / "def456")
    monkeypatch.setenv("BRIGHTRUN_HOME", str(home))
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))

    found = list_local_models(str(project))

    assert [(m["source"], m["name"], m["modelType"]) for m in found] == [
        ("project", "smollm2-135m-instruct", "llama"),
        ("brightrun", "phi-mini-0123456789abcdef", "phi3"),
        ("hf-cache", "Qwen/Qwen2.5-0.5B", "qwen2"),
    ]
    assert found[0]["baseModel"] == str(project / ".cache" / "models" / "smollm2-135m-instruct")
    assert found[2]["baseModel"] == "Qwen/Qwen2.5-0.5B"


def test_list_models_command_prints_json(tmp_path, monkeypatch):
    _model_folder(tmp_path / ".cache" / "models" / "mine")
    env = dict(os.environ, BRIGHTRUN_HOME=str(tmp_path / "home"), HF_HUB_CACHE=str(tmp_path / "hub"))
    out = subprocess.run(
        [sys.executable, "-m", "brightrun_trainer", "list-models", "--project-dir", str(tmp_path)], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert [m["name"] for m in json.loads(out)] == ["mine"]


def test_a_file_that_is_not_gguf_is_refused_clearly(tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"this is not a GGUF file at all" * 10)
    with pytest.raises(ConfigError, match="not a readable GGUF file"):
        import_gguf(str(bad), str(tmp_path / "out"))
    with pytest.raises(ConfigError, match="not a readable GGUF file"):
        cached_import(str(bad), str(tmp_path / "cache"))
    assert not (tmp_path / "out").exists()
    result = subprocess.run([sys.executable, "-m", "brightrun_trainer", "import-gguf", str(bad), str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1
    assert "not a readable GGUF file" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_gguf_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        import_gguf(str(tmp_path / "nowhere.gguf"), str(tmp_path / "out"))
