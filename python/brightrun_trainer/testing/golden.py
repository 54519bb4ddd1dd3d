"""Produces the golden event files in protocol/golden/ from real tiny runs of this trainer.

    python -m brightrun_trainer.testing.golden protocol/golden

completed.jsonl (eval + checkpoints), failed.jsonl (a bad dataset line), cancelled.jsonl (SIGTERM mid-run),
preference.jsonl (DPO on preference pairs: metrics and evals with the preference fields), tracking.jsonl
(TensorBoard on: the `tracker` event saying where its files are). Names after the folder
regenerate only those scenarios: `python -m brightrun_trainer.testing.golden protocol/golden preference`.
Run folders are replaced by /runs/<name> so the files do not depend on where they were made. The files are then
frozen: the TypeScript reader and the Python writer are both tested against them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from typing import Dict, List

from ..evaluation.gates import default_evaluation

SCENARIOS = ("completed", "failed", "cancelled", "preference", "tracking")


def _chat(n: int) -> List[str]:
    rows = []
    for i in range(n):
        a, b = i % 9 + 1, (i * 7) % 9 + 1
        rows.append(
            json.dumps({"messages": [{"role": "user", "content": f"What is {a} plus {b}?"}, {"role": "assistant", "content": f"{a} plus {b} is {a + b}."}]})
        )
    return rows


def _pairs(n: int) -> List[str]:
    rows = []
    for i in range(n):
        a, b = i % 9 + 1, (i * 7) % 9 + 1
        rows.append(json.dumps({"prompt": f"What is {a} plus {b}?", "chosen": f"{a} plus {b} is {a + b}.", "rejected": f"{a} plus {b} is {a + b + 1}."}))
    return rows


def scenario_config(name: str, model: str, data_dir: str) -> Dict:
    rows = _pairs(24) if name == "preference" else _chat(24)
    if name == "failed":
        rows[4] = '{"messages": [{"role": "user", "content": "a line cut short'
    os.makedirs(os.path.join(data_dir, "data"), exist_ok=True)
    train = os.path.join(data_dir, "data", f"{name}.jsonl")
    with open(train, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    return {
        "v": 1,
        "run_id": f"golden-{name}",
        "base_model": model,
        "train_file": train,
        "validation_file": None,
        "validation_split": 0.2,
        "max_seq_len": 64,
        "overlength": "truncate",
        "packing": name == "completed",
        "method": "dpo" if name == "preference" else "sft",
        "lora": {"r": 4, "alpha": 8, "dropout": 0.0, "target_modules": None},
        "quantization": "none",
        "precision": "auto",
        "gradient_checkpointing": False,
        "epochs": 2,
        "max_steps": 40 if name == "cancelled" else 6,
        "batch_size": 4,
        "grad_accum": 1,
        "learning_rate": 0.003,
        "lr_scheduler": "cosine",
        "warmup_ratio": 0.0,
        "weight_decay": 0.0,
        "max_grad_norm": 1.0,
        "log_every": 1,
        "eval_every": 3 if name in ("completed", "preference") else 0,
        "save_every": 3 if name in ("completed", "preference") else 0,
        "keep_checkpoints": 2,
        "seed": 0,
        "num_gpus": 1,
        # The frozen files show the training protocol; the evaluation report adds only log events to it.
        "evaluation": {**default_evaluation(), "enabled": False},
        **({"tracking": {"run_name": "golden", "tensorboard": True, "mlflow": None, "wandb": None}} if name == "tracking" else {}),
    }


def normalize(events: List[Dict], run_dir: str, name: str, data_dir: str) -> List[Dict]:
    text = json.dumps(events).replace(os.path.join(data_dir, "data"), "/data").replace(run_dir, f"/runs/golden-{name}")
    return json.loads(text)


def run_scenario(name: str, model: str, work: str) -> List[Dict]:
    run_dir = os.path.join(work, name)
    os.makedirs(run_dir)
    with open(os.path.join(run_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(scenario_config(name, model, work), f)
    cmd = [sys.executable, "-m", "brightrun_trainer", "train", "--run-dir", run_dir]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    events_path = os.path.join(run_dir, "events.jsonl")
    if name == "cancelled":
        while proc.poll() is None:
            if os.path.exists(events_path) and '"step":3,' in open(events_path, encoding="utf-8").read():
                proc.send_signal(signal.SIGTERM)
                break
            time.sleep(0.05)
    proc.wait()
    with open(events_path, encoding="utf-8") as f:
        return normalize([json.loads(line) for line in f if line.strip()], run_dir, name, work)


def main(out_dir: str, names: List[str]) -> None:
    from .tiny_model import make_tiny_model

    with tempfile.TemporaryDirectory() as work:
        model = make_tiny_model(os.path.join(work, "model"))
        for name in names or SCENARIOS:
            events = run_scenario(name, model, work)
            with open(os.path.join(out_dir, f"{name}.jsonl"), "w", encoding="utf-8") as f:
                for e in events:
                    f.write(json.dumps(e, separators=(",", ":")) + "\n")
            print(f"{name}: {len(events)} events")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "protocol/golden", sys.argv[2:])
