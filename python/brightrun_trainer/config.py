"""Loads and checks <runDir>/config.json (shape: src/contracts/trainerConfig.ts, schema: schemas/config.schema.json)."""

from __future__ import annotations

import json
import os
from types import SimpleNamespace
from typing import Any

from .errors import ConfigError
from .schema_check import load_schema, validate


def _namespace(value: Any) -> Any:
    if isinstance(value, dict):
        return SimpleNamespace(**{k: _namespace(v) for k, v in value.items()})
    return value


def load_config(run_dir: str) -> SimpleNamespace:
    path = os.path.join(run_dir, "config.json")
    if not os.path.exists(path):
        raise ConfigError(f"{path} does not exist.", "Create the run with `brightrun train CONFIG`, which writes config.json.")
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except json.JSONDecodeError as e:
        raise ConfigError(f"{path} is not valid JSON: {e}", "Fix the JSON syntax at the position given.") from None
    return parse_config(raw, run_dir)


def parse_config(raw: Any, run_dir: str = ".") -> SimpleNamespace:
    errors = validate(raw, load_schema("config.schema.json"))
    if errors:
        shown = "; ".join(errors[:8]) + (f" (and {len(errors) - 8} more)" if len(errors) > 8 else "")
        raise ConfigError(f"config.json is invalid: {shown}", "Correct the fields named above (see the run config schema).")
    cfg = _namespace(raw)
    # Relative dataset paths are relative to the run directory, which is where the launcher puts config.json.
    cfg.train_file = _resolve(cfg.train_file, run_dir)
    if cfg.validation_file is not None:
        cfg.validation_file = _resolve(cfg.validation_file, run_dir)
    if os.path.exists(_resolve(cfg.base_model, run_dir)):
        cfg.base_model = _resolve(cfg.base_model, run_dir)
    for key in ("train_file", "validation_file"):
        file = getattr(cfg, key)
        if file is not None and not os.path.isfile(file):
            raise ConfigError(f"{key} {file!r} does not exist on this host.", "Check the path, or upload the dataset again.")
    if cfg.quantization == "4bit" and cfg.precision == "fp32":
        raise ConfigError("quantization 4bit needs a 16-bit compute precision, but precision is fp32.", "Use precision auto, bf16 or fp16.")
    return cfg


def _resolve(path: str, run_dir: str) -> str:
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(run_dir, path))


def config_to_dict(cfg: SimpleNamespace) -> dict:
    return {k: (config_to_dict(v) if isinstance(v, SimpleNamespace) else v) for k, v in vars(cfg).items()}
