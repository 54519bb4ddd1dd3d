"""README.md model card written next to the adapter: what it was trained from, on what, how, and how well.

The card travels with the adapter (downloads, the Hugging Face Hub), so it never holds a path of the machine that
trained it: datasets are named by their file name, and a base model loaded from a local folder by the folder's name
(and, not being a Hub id, is left out of the card's `base_model` metadata, which the Hub checks).
"""

from __future__ import annotations

import json
import os
import re
from typing import Optional


def _is_local_path(model: str) -> bool:
    return os.path.isabs(model) or model.startswith(("~", ".")) or "\\" in model or os.path.isdir(model)


def _file_name(path: str) -> str:
    """The last part of a POSIX or Windows path."""
    return re.split(r"[\\/]", path.rstrip("/\\"))[-1] or path


def model_card(
    cfg, base_model: str, targets, train_examples: int, eval_examples: int, train_tokens: int, summary: dict, final_eval_loss: Optional[float]
) -> str:
    hyper = {
        "lora_r": cfg.lora.r,
        "lora_alpha": cfg.lora.alpha,
        "lora_dropout": cfg.lora.dropout,
        "target_modules": list(targets),
        "learning_rate": cfg.learning_rate,
        "lr_scheduler": cfg.lr_scheduler,
        "warmup_ratio": cfg.warmup_ratio,
        "epochs": cfg.epochs,
        "max_steps": cfg.max_steps,
        "batch_size": cfg.batch_size,
        "grad_accum": cfg.grad_accum,
        "max_seq_len": cfg.max_seq_len,
        "packing": cfg.packing,
        "precision": cfg.precision,
        "quantization": cfg.quantization,
        "weight_decay": cfg.weight_decay,
        "seed": cfg.seed,
        "num_gpus": cfg.num_gpus,
    }
    method = getattr(cfg, "method", None) or "sft"
    if method != "sft":  # the preference method and its settings, so the card says how the adapter was trained
        from .preference_loss import preference_settings

        used = ("lambda",) if method == "orpo" else ("beta", "lossType", "labelSmoothing")
        settings = preference_settings(getattr(cfg, "preference", None))
        hyper = {"method": method, **{f"preference.{k}": settings[k] for k in used}, **hyper}
    eval_line = f"{final_eval_loss:.4f}" if final_eval_loss is not None else "n/a"
    local_base = _is_local_path(base_model)
    base_name = _file_name(base_model) if local_base else base_model
    base_meta = "" if local_base else f"base_model: {base_model}\n"
    load_base = f"path/to/{base_name}" if local_base else base_model
    train_name = _file_name(cfg.train_file)
    evaluation = f"`{_file_name(cfg.validation_file)}`" if cfg.validation_file else f"{cfg.validation_split:.0%} of the training file"
    return f"""---
{base_meta}library_name: peft
tags:
- lora
- brightrun
---

# LoRA adapter `{cfg.run_id}`

A LoRA adapter for `{base_name}`{" (a local model folder)" if local_base else ""}, trained with BrightRun.

## Data

- Training file: `{train_name}` ({train_examples} examples, {train_tokens} tokens after templating)
- Evaluation: {evaluation} ({eval_examples} examples)

## Results

- Steps: {summary.get("steps")}
- Final training loss: {summary.get("final_loss") if summary.get("final_loss") is not None else "n/a"}
- Final evaluation loss: {eval_line}
- Tokens trained: {summary.get("total_tokens")}, {summary.get("tokens_per_s", 0):.0f} tokens/s

## Hyper-parameters

```json
{json.dumps(hyper, indent=2)}
```

## Use

```python
from transformers import AutoModelForCausalLM, AutoTokenizer
from peft import PeftModel

base = AutoModelForCausalLM.from_pretrained("{load_base}")
model = PeftModel.from_pretrained(base, "path/to/this/folder")
tokenizer = AutoTokenizer.from_pretrained("path/to/this/folder")
```
"""
