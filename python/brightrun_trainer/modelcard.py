"""README.md model card written next to the adapter: what it was trained from, on what, how, and how well."""
from __future__ import annotations

import json
from typing import Optional


def model_card(cfg, base_model: str, targets, train_examples: int, eval_examples: int, train_tokens: int,
               summary: dict, final_eval_loss: Optional[float]) -> str:
    hyper = {
        "lora_r": cfg.lora.r, "lora_alpha": cfg.lora.alpha, "lora_dropout": cfg.lora.dropout, "target_modules": list(targets),
        "learning_rate": cfg.learning_rate, "lr_scheduler": cfg.lr_scheduler, "warmup_ratio": cfg.warmup_ratio,
        "epochs": cfg.epochs, "max_steps": cfg.max_steps, "batch_size": cfg.batch_size, "grad_accum": cfg.grad_accum,
        "max_seq_len": cfg.max_seq_len, "packing": cfg.packing, "precision": cfg.precision, "quantization": cfg.quantization,
        "weight_decay": cfg.weight_decay, "seed": cfg.seed, "num_gpus": cfg.num_gpus,
    }
    eval_line = f"{final_eval_loss:.4f}" if final_eval_loss is not None else "n/a"
    return f"""---
base_model: {base_model}
library_name: peft
tags:
- lora
- brightrun
---

# LoRA adapter `{cfg.run_id}`

A LoRA adapter for `{base_model}`, trained with BrightRun.

## Data

- Training file: `{cfg.train_file}` ({train_examples} examples, {train_tokens} tokens after templating)
- Evaluation: {f"`{cfg.validation_file}`" if cfg.validation_file else f"{cfg.validation_split:.0%} of the training file"} ({eval_examples} examples)

## Results

- Steps: {summary.get('steps')}
- Final training loss: {summary.get('final_loss') if summary.get('final_loss') is not None else 'n/a'}
- Final evaluation loss: {eval_line}
- Tokens trained: {summary.get('total_tokens')}, {summary.get('tokens_per_s', 0):.0f} tokens/s

## Hyper-parameters

```json
{json.dumps(hyper, indent=2)}
```

## Use

```python
from transformers import AutoModelForCausalLM, AutoTokenizer
from peft import PeftModel

base = AutoModelForCausalLM.from_pretrained("{base_model}")
model = PeftModel.from_pretrained(base, "path/to/this/folder")
tokenizer = AutoTokenizer.from_pretrained("path/to/this/folder")
```
"""
