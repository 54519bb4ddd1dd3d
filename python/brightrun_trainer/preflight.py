"""`preflight`: one JSON object on stdout describing this host, and whether a run is likely to fit.

Shape (read leniently by the extension): ok, summary, python, torch, cuda, driver, gpus[{name, memory_gb,
free_gb}], disk_free_gb, checks[{name, status: ok|warning|error, detail}], fit{...} when a model is given.

It runs first on a fresh host's bare interpreter, before the trainer's environment exists: with
`interpreter_only` it checks only what any Python can (its version, GPUs through nvidia-smi, disk), and in
every mode a package that cannot be imported is a finding in the report, never a traceback.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from typing import Optional

from .gguf_import import is_gguf
from .trackers import LABELS, PACKAGES, installed_trackers, pip_command

BYTES = {"fp32": 4, "bf16": 2, "fp16": 2, "4bit": 0.5625}  # 4-bit NF4 + double-quant scales per parameter
MIN_PYTHON = (3, 10)


def _import(name: str):
    """(module, None), or (None, why) for anything an import can raise: a missing package, a broken build
    (an OSError for a missing CUDA library), a version clash (RuntimeError)."""
    try:
        return __import__(name), None
    except Exception as e:  # noqa: BLE001 - every failure is a finding
        first = (str(e).strip().splitlines() or [""])[0][:200]
        return None, f"{type(e).__name__}: {first}" if first else type(e).__name__


def _nvidia_smi_gpus() -> list:
    """GPUs as the driver sees them, without torch (the bare interpreter of a fresh host has none)."""
    exe = shutil.which("nvidia-smi")
    if not exe:
        return []
    try:
        out = subprocess.run(
            [exe, "--query-gpu=index,name,memory.total,memory.free", "--format=csv,noheader,nounits"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    gpus = []
    for line in out.stdout.splitlines() if out.returncode == 0 else []:
        parts = [p.strip() for p in line.split(",")]
        try:
            gpus.append(
                {
                    "index": int(parts[0]),
                    "name": parts[1],
                    "memory_gb": round(float(parts[2]) * 1.048576e-3, 2),
                    "free_gb": round(float(parts[3]) * 1.048576e-3, 2),
                }
            )
        except (IndexError, ValueError):
            continue
    return gpus


def _driver() -> Optional[str]:
    exe = shutil.which("nvidia-smi")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "--query-gpu=driver_version", "--format=csv,noheader"], capture_output=True, text=True, timeout=10)
        return out.stdout.strip().splitlines()[0] if out.returncode == 0 and out.stdout.strip() else None
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return None


def _model_shape(base_model: str):
    """(shape, None, None), or (None, why, "error" | "warning") when the model's config cannot be read (the run
    could not start) or does not say its size (the run may still work; only the memory estimate is missing)."""
    transformers, why = _import("transformers")
    if transformers is None:
        return None, f"cannot read the config of {base_model!r}: transformers cannot be imported ({why})", "error"
    try:
        if is_gguf(base_model):  # read from the file's metadata
            folder, name = os.path.split(os.path.abspath(base_model))
            cfg = transformers.AutoConfig.from_pretrained(folder, gguf_file=name)
        else:
            cfg = transformers.AutoConfig.from_pretrained(base_model)
    except Exception:  # noqa: BLE001 - OSError, ValueError, or a config this transformers does not know
        return None, f"cannot read the config of {base_model!r} (not a folder, not in the local cache)", "error"
    try:
        return _shape_of(cfg), None, None
    except (AttributeError, TypeError, ZeroDivisionError) as e:
        return None, f"cannot estimate the memory {base_model!r} needs: its config does not say its size ({e})", "warning"


def _shape_of(cfg) -> dict:
    cfg = getattr(cfg, "text_config", None) or cfg
    h, layers = cfg.hidden_size, cfg.num_hidden_layers
    inter = getattr(cfg, "intermediate_size", 4 * h) or 4 * h
    heads = cfg.num_attention_heads
    kv = getattr(cfg, "num_key_value_heads", heads) or heads
    head_dim = getattr(cfg, "head_dim", None) or h // heads
    vocab = cfg.vocab_size
    attn = h * heads * head_dim * 2 + h * kv * head_dim * 2
    per_layer = attn + 3 * h * inter
    embed = vocab * h * (1 if getattr(cfg, "tie_word_embeddings", False) else 2)
    return {
        "params": layers * per_layer + embed,
        "layers": layers,
        "hidden": h,
        "vocab": vocab,
        "lora_dims_per_layer": (h + heads * head_dim) * 2 + (h + kv * head_dim) * 2 + (h + inter) * 3,
    }


def estimate_fit(
    shape: dict, precision: str, quantization: str, seq_len: int, batch: int, r: int, gradient_checkpointing: bool, free_gb: Optional[float]
) -> dict:
    """Memory in GB: frozen weights + LoRA weights/grads/Adam (fp32, 16 B per parameter) + activations + logits."""
    w_bytes = BYTES["4bit"] if quantization == "4bit" else BYTES.get(precision, 2)
    weights = shape["params"] * w_bytes
    lora = r * shape["lora_dims_per_layer"] * shape["layers"]
    lora_state = lora * 16
    act_bytes = 2 if precision != "fp32" else 4
    tokens = seq_len * batch
    # Per token per layer: ~34 h bytes-equivalents of saved activations at 16 bits (attention + MLP), or just the
    # layer input with gradient checkpointing (plus one layer recomputed at a time).
    per_layer = (2 * shape["hidden"]) if gradient_checkpointing else (34 * shape["hidden"])
    activations = tokens * shape["layers"] * per_layer * act_bytes / 2
    if gradient_checkpointing:
        activations += tokens * 34 * shape["hidden"] * act_bytes / 2
    logits = tokens * shape["vocab"] * 4 * 2  # fp32 logits and their gradient (upper bound: every position trained)
    total = (weights + lora_state + activations + logits) * 1.15 + 0.8e9  # allocator slack + CUDA context
    gb = total / 1e9
    fits = None if free_gb is None else gb <= free_gb
    reason = None
    if fits is False:
        reason = (
            f"needs about {gb:.1f} GB but {free_gb:.1f} GB is free: lower batch_size (raise grad_accum), enable "
            f"gradient_checkpointing, shorten max_seq_len, or use quantization 4bit"
        )
    return {
        "estimated_gb": round(gb, 2),
        "free_gb": None if free_gb is None else round(free_gb, 2),
        "fits": fits,
        "reason": reason,
        "params": shape["params"],
        "lora_params": lora,
        "breakdown_gb": {
            "weights": round(weights / 1e9, 3),
            "lora_and_optimizer": round(lora_state / 1e9, 3),
            "activations": round(activations / 1e9, 3),
            "logits": round(logits / 1e9, 3),
        },
    }


def collect(workdir: str, config: Optional[dict] = None, base_model: Optional[str] = None, interpreter_only: bool = False) -> dict:
    checks = []
    report: dict = {"python": platform.python_version(), "platform": platform.platform(), "executable": sys.executable}
    if sys.version_info[:2] < MIN_PYTHON:
        checks.append(
            {
                "name": "python",
                "status": "error",
                "detail": f"Python {platform.python_version()} is too old: the trainer needs {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer",
            }
        )
    report["driver"] = _driver()
    if interpreter_only:
        # torch and the rest are not there yet (the environment is built next): the driver answers for the GPUs.
        report["gpus"] = _nvidia_smi_gpus()
    else:
        _check_packages(report, checks)
        _check_trackers(report, checks, config)
    disk = shutil.disk_usage(workdir if os.path.isdir(workdir) else ".")
    report["disk_free_gb"] = round(disk.free / 1e9, 2)
    checks.append({"name": "disk", "status": "ok" if disk.free > 5e9 else "warning", "detail": f"{disk.free / 1e9:.1f} GB free in {os.path.abspath(workdir)}"})
    model = (config or {}).get("base_model") or base_model
    if model and not interpreter_only:
        shape, why, status = _model_shape(model)
        if shape is None:
            checks.append({"name": "model", "status": status, "detail": why})
        else:
            c = config or {}
            free = max((g["free_gb"] for g in report["gpus"]), default=None)
            fit = estimate_fit(
                shape,
                "fp32" if not report["gpus"] else ("bf16" if c.get("precision", "auto") == "auto" else c["precision"]),
                c.get("quantization", "none"),
                c.get("max_seq_len", 2048),
                c.get("batch_size", 1),
                (c.get("lora") or {}).get("r", 16),
                c.get("gradient_checkpointing", True),
                free,
            )
            report["fit"] = fit
            checks.append(
                {
                    "name": "memory",
                    "status": {True: "ok", False: "error", None: "warning"}[fit["fits"]],
                    "detail": fit["reason"] or f"needs about {fit['estimated_gb']} GB",
                }
            )
    report["checks"] = checks
    report["ok"] = not any(c["status"] == "error" for c in checks)
    report["summary"] = "; ".join(c["detail"] for c in checks if c["status"] == "error") or None
    return report


def _check_packages(report: dict, checks: list) -> None:
    """torch (and the GPUs it can use) and the trainer's other packages, each import failure a finding."""
    torch, why = _import("torch")
    gpus = []
    if torch is None:
        report.update(torch=None, cuda=None, cuda_available=False)
        checks.append({"name": "torch", "status": "error", "detail": f"torch cannot be imported in this Python ({why})"})
    else:
        try:
            report["torch"] = torch.__version__
            report["cuda"] = torch.version.cuda
            report["cuda_available"] = torch.cuda.is_available()
            for i in range(torch.cuda.device_count() if report["cuda_available"] else 0):
                free, total = torch.cuda.mem_get_info(i)
                gpus.append(
                    {
                        "index": i,
                        "name": torch.cuda.get_device_name(i),
                        "memory_gb": round(total / 1e9, 2),
                        "free_gb": round(free / 1e9, 2),
                        "bf16": torch.cuda.is_bf16_supported(),
                    }
                )
            checks.append({"name": "torch", "status": "ok", "detail": f"torch {torch.__version__}"})
            checks.append(
                {
                    "name": "gpu",
                    "status": "ok" if gpus else "warning",
                    "detail": f"{len(gpus)} GPU(s)" if gpus else "no CUDA GPU: training runs on the CPU (slow)",
                }
            )
        except Exception as e:  # noqa: BLE001 - a CUDA runtime that fails on first use
            checks.append({"name": "cuda", "status": "error", "detail": f"torch {report.get('torch')} cannot query the GPUs: {type(e).__name__}: {e}"})
    report["gpus"] = gpus
    packages = report.setdefault("packages", {})
    for name in ("transformers", "peft", "accelerate", "safetensors", "bitsandbytes", "flash_attn"):
        module, why = _import(name)
        packages[name] = None if module is None else getattr(module, "__version__", "installed")
        if module is None and name in ("transformers", "peft", "safetensors"):
            checks.append({"name": name, "status": "error", "detail": f"{name} cannot be imported ({why})"})


def _check_trackers(report: dict, checks: list, config: Optional[dict]) -> None:
    """The experiment tracker packages this Python has; one the run enables but the host lacks is a warning (the
    run goes on without that tracker)."""
    report["trackers"] = installed_trackers()
    tracking = (config or {}).get("tracking") or {}
    for name in ("tensorboard", "mlflow", "wandb"):
        if tracking.get(name) and report["trackers"][name] is None:
            checks.append(
                {
                    "name": "tracking",
                    "status": "warning",
                    "detail": f"this run reports to {LABELS[name]}, but {PACKAGES[name]} is not installed for this Python, so the run "
                    f"goes on without it. Install it with: {pip_command(name)}",
                }
            )


def preflight_command(args) -> int:
    config = None
    if args.config:
        with open(args.config, encoding="utf-8") as f:
            config = json.load(f)
    report = collect(args.workdir, config, args.base_model, interpreter_only=getattr(args, "interpreter_only", False))
    if report["summary"] is None:
        del report["summary"]
    print(json.dumps(report))
    return 0
