"""Shared fixtures: a tiny model built at test time (no download) and helpers to create and read runs."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.path.join(REPO, "samples")


def in_ci(env=os.environ) -> bool:
    return env.get("CI", "").strip().lower() not in ("", "false", "0")


def require_part(present: bool, what: str, install: str = "bash scripts/setup.sh", env=os.environ) -> None:
    """Skips the calling test when a real part it needs is missing on a developer's machine, saying what; fails
    it in CI (CI=true), where a skip would report a green run that tested nothing. (TypeScript: test/realParts.ts.)"""
    if present:
        return
    message = f"{what} is missing (install with `{install}`)"
    if in_ci(env):
        pytest.fail(f"CI=true, so this test may not skip, but {message}", pytrace=False)
    pytest.skip(message)


# Keep the 2-core CI machine responsive and the runs reproducible.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    from brightrun_trainer.testing.tiny_model import make_tiny_model

    out = tmp_path_factory.mktemp("tiny-model")
    return make_tiny_model(str(out), size="tiny", seed=0)


def addition_chat(n: int, seed: int = 0):
    """A small, repetitive chat dataset a tiny model learns quickly."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        a, b = rng.randint(1, 9), rng.randint(1, 9)
        rows.append(
            {
                "messages": [
                    {"role": "system", "content": "You add numbers."},
                    {"role": "user", "content": f"What is {a} plus {b}?"},
                    {"role": "assistant", "content": f"{a} plus {b} is {a + b}."},
                ]
            }
        )
    return rows


def write_jsonl(path, rows) -> str:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    return str(path)


def base_config(model: str, train_file: str, **overrides) -> dict:
    cfg = {
        "v": 1,
        "run_id": "test-run",
        "base_model": model,
        "train_file": train_file,
        "validation_file": None,
        "validation_split": 0.1,
        "max_seq_len": 64,
        "overlength": "truncate",
        "packing": False,
        "lora": {"r": 8, "alpha": 16, "dropout": 0.0, "target_modules": None},
        "quantization": "none",
        "precision": "auto",
        "gradient_checkpointing": False,
        "epochs": 1,
        "max_steps": None,
        "batch_size": 4,
        "grad_accum": 1,
        "learning_rate": 0.003,
        "lr_scheduler": "cosine",
        "warmup_ratio": 0.0,
        "weight_decay": 0.0,
        "max_grad_norm": 1.0,
        "log_every": 1,
        "eval_every": 0,
        "save_every": 0,
        "keep_checkpoints": 2,
        "seed": 0,
        "num_gpus": 1,
    }
    for key, value in overrides.items():
        if key == "lora":
            cfg["lora"] = {**cfg["lora"], **value}
        else:
            cfg[key] = value
    return cfg


def make_run(tmp_path, name: str, config: dict) -> str:
    run_dir = tmp_path / name
    run_dir.mkdir()
    (run_dir / "config.json").write_text(json.dumps(config, indent=2))
    return str(run_dir)


def train_cmd(run_dir: str, *extra: str):
    return [sys.executable, "-m", "brightrun_trainer", "train", "--run-dir", run_dir, *extra]


def run_train(run_dir: str, *extra: str, timeout: int = 240) -> subprocess.CompletedProcess:
    return subprocess.run(train_cmd(run_dir, *extra), capture_output=True, text=True, timeout=timeout)


def read_events(run_dir: str):
    with open(os.path.join(run_dir, "events.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def of_type(events, type_):
    return [e for e in events if e["type"] == type_]
