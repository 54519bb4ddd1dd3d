"""Automatic recovery, the trainer's part: <runDir>/recovery.json (shape: src/contracts/recovery.ts, schema:
schemas/recovery.schema.json) is written by BrightRun's engine before it restarts a run by itself.

The newest entry's batch_size and grad_accum replace the config's, in this attempt and every later one (a manual
resume after an out-of-memory restart keeps the smaller micro-batch). The newest entry becomes the `attempt` event
that opens the restarted attempt, once: however the trainer is started (directly, by the host queue's waiter or by
the multi-GPU supervisor), the first start after the engine wrote it emits it.

Also the test hook that makes out-of-memory failures reproducible on a CPU; it exists only for tests.
"""

from __future__ import annotations

import json
import os
from typing import Optional

import torch

from .errors import ConfigError
from .schema_check import load_schema, validate

RECOVERY_FILE = "recovery.json"

# Test hook, for tests only: with BRIGHTRUN_TEST_OOM_BATCH_SIZE=N, a training step whose micro-batch size is N or more
# raises torch.OutOfMemoryError once BRIGHTRUN_TEST_OOM_AFTER_STEP (default 0) optimizer steps are done, so the real
# recovery path (error event, engine restart with half the micro-batch) runs on a machine without a GPU.
OOM_BATCH_SIZE_ENV = "BRIGHTRUN_TEST_OOM_BATCH_SIZE"
OOM_AFTER_STEP_ENV = "BRIGHTRUN_TEST_OOM_AFTER_STEP"


def load_recovery(run_dir: str) -> Optional[dict]:
    """recovery.json, checked against its schema; None when the run was never restarted automatically."""
    path = os.path.join(run_dir, RECOVERY_FILE)
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except (OSError, ValueError) as e:
        raise ConfigError(f"{path} cannot be read: {e}", "Delete recovery.json to resume with the run config's batch settings.") from None
    errors = validate(raw, load_schema("recovery.schema.json"))
    if errors:
        raise ConfigError(f"{path} is invalid: {'; '.join(errors[:5])}", "Delete recovery.json to resume with the run config's batch settings.")
    return raw


def apply_recovery(cfg, recovery: Optional[dict]) -> None:
    """The newest automatic restart's micro-batch and gradient accumulation replace the config's."""
    if recovery and recovery["attempts"]:
        newest = recovery["attempts"][-1]
        cfg.batch_size = int(newest["batch_size"])
        cfg.grad_accum = int(newest["grad_accum"])


def pending_attempt(recovery: Optional[dict], events_path: Optional[str]) -> Optional[dict]:
    """The fields of the `attempt` event for the newest restart, unless events.jsonl already has it."""
    if not recovery or not recovery["attempts"]:
        return None
    newest = recovery["attempts"][-1]
    if events_path and os.path.exists(events_path):
        with open(events_path, "rb") as f:
            for raw in f:
                if b'"attempt"' not in raw:
                    continue  # most lines: no parse needed
                try:
                    event = json.loads(raw)
                except ValueError:
                    continue
                if event.get("type") == "attempt" and event.get("number") == newest["number"]:
                    return None
    return {k: newest[k] for k in ("number", "reason", "message", "from_step", "changes")}


def resumed_batch(saved: dict, batch_size: int, default_batch_size: int) -> int:
    """The checkpoint's position in micro-batches of this attempt's size: the samples seen stay the same when an
    out-of-memory restart halved the micro-batch (checkpoints record the size they counted in)."""
    saved_size = int(saved.get("batch_size", default_batch_size))
    return int(saved["batch"]) * saved_size // batch_size


def oom_test_hook(batch_size: int, step: int) -> None:
    limit = os.environ.get(OOM_BATCH_SIZE_ENV)
    if not limit:
        return
    if batch_size >= int(limit) and step >= int(os.environ.get(OOM_AFTER_STEP_ENV, "0")):
        raise torch.OutOfMemoryError(f"CUDA out of memory (simulated by {OOM_BATCH_SIZE_ENV}={limit} at micro-batch size {batch_size}, step {step + 1})")
