"""Checkpoints: <runDir>/checkpoints/checkpoint-<step>/ with the adapter weights and everything needed to resume
exactly (optimizer, scheduler, grad scaler, RNG states, position in the data). Written to a temporary folder and
renamed, so a crash mid-save never leaves a checkpoint that looks complete; only the last K are kept.

Nothing in a checkpoint needs a full unpickle: training_state.pt holds only tensors and plain values (numbers,
strings, lists, tuples, dicts) and is read back with torch.load(weights_only=True), so a checkpoint copied from
elsewhere (or tampered with on a shared host) cannot run code when a run resumes from it.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import shutil
from typing import Optional

import torch

from .errors import TrainerError

STATE_FILE = "trainer_state.json"
TRAINING_STATE_FILE = "training_state.pt"
_NAME = re.compile(r"^checkpoint-(\d+)$")


class CheckpointError(TrainerError):
    """A checkpoint that cannot be resumed from safely (reported as an error of kind "exception", with a hint)."""


def rng_state() -> dict:
    """Every RNG the run draws from, as tensors and plain values (numpy's state array becomes a tensor)."""
    version, internal, gauss_next = random.getstate()
    state = {"python": {"version": version, "internal": list(internal), "gauss_next": gauss_next}, "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    try:
        import numpy as np

        kind, keys, pos, has_gauss, cached_gaussian = np.random.get_state()
        state["numpy"] = {
            "kind": str(kind),
            "keys": torch.from_numpy(keys.astype(np.int64)),
            "pos": int(pos),
            "has_gauss": int(has_gauss),
            "cached_gaussian": float(cached_gaussian),
        }
    except ImportError:
        pass
    return state


def set_rng_state(state: dict) -> None:
    py = state["python"]
    random.setstate((py["version"], tuple(py["internal"]), py["gauss_next"]))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
    if "numpy" in state:
        import numpy as np

        n = state["numpy"]
        np.random.set_state((n["kind"], n["keys"].numpy().astype(np.uint32), n["pos"], n["has_gauss"], n["cached_gaussian"]))


def load_training_state(path: str) -> dict:
    """training_state.pt of a checkpoint, read without running any code it might hold."""
    file = os.path.join(path, TRAINING_STATE_FILE)
    try:
        return torch.load(file, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, AttributeError, TypeError) as exc:
        raise CheckpointError(
            f"Refusing to resume from {path}: {TRAINING_STATE_FILE} holds Python objects, not just tensors and plain "
            f"values, and loading it could run code ({type(exc).__name__}: {str(exc).splitlines()[0][:300]}).",
            "The checkpoint was written by an older BrightRun or changed by someone else. Delete that checkpoint folder "
            "to resume from an earlier one, or start the run again.",
        ) from exc


def list_checkpoints(run_dir: str):
    """[(step, path)] of complete checkpoints, oldest first."""
    root = os.path.join(run_dir, "checkpoints")
    found = []
    for name in os.listdir(root) if os.path.isdir(root) else []:
        m = _NAME.match(name)
        if m and os.path.exists(os.path.join(root, name, STATE_FILE)):
            found.append((int(m.group(1)), os.path.join(root, name)))
    return sorted(found)


def latest_checkpoint(run_dir: str) -> Optional[str]:
    found = list_checkpoints(run_dir)
    return found[-1][1] if found else None


def save_checkpoint(run_dir: str, step: int, model, optimizer, scheduler, scaler, position: dict, keep: int) -> str:
    root = os.path.join(run_dir, "checkpoints")
    os.makedirs(root, exist_ok=True)
    final = os.path.join(root, f"checkpoint-{step}")
    tmp = os.path.join(root, f".tmp-checkpoint-{step}-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    torch.save(
        {
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "scaler": scaler.state_dict() if scaler is not None else None,
            "rng": rng_state(),
        },
        os.path.join(tmp, TRAINING_STATE_FILE),
    )
    # Written last: its presence marks the checkpoint complete.
    with open(os.path.join(tmp, STATE_FILE), "w", encoding="utf-8") as f:
        json.dump({"step": step, **position}, f, indent=2)
    if os.path.exists(final):
        shutil.rmtree(final)
    os.replace(tmp, final)
    for _, old in list_checkpoints(run_dir)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def load_checkpoint(path: str, model, optimizer, scheduler, scaler) -> dict:
    """Restores weights and states in place; returns the saved position (step, epoch, batch, tokens_seen...)."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    weights = load_file(os.path.join(path, "adapter_model.safetensors"), device=str(next(model.parameters()).device))
    result = set_peft_model_state_dict(model, weights)
    unexpected = getattr(result, "unexpected_keys", None)
    if unexpected:
        raise RuntimeError(f"checkpoint {path} does not match this model (unexpected keys: {unexpected[:3]})")
    state = load_training_state(path)
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    if scaler is not None and state.get("scaler"):
        scaler.load_state_dict(state["scaler"])
    set_rng_state(state["rng"])
    with open(os.path.join(path, STATE_FILE), encoding="utf-8") as f:
        return json.load(f)
