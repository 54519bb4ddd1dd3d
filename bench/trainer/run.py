"""Training throughput: brightrun_trainer against a plain transformers.Trainer + peft script, same config, one run.

    .venv/bin/python bench/trainer/run.py                       # CPU: ~10M-param model, seq len 256
    .venv/bin/python bench/trainer/run.py --arch qwen2.5-0.5b --seq-len 2048 --batch-size 8 --steps 40   # on a GPU
    npm run bench:gpu                                           # the GPU run above, plus QLoRA (scripts/bench-gpu.sh)

Variants, each in its own process (clean peak memory): (a) hf: transformers.Trainer + peft, padding to the longest
example of each batch; (b) brightrun: the same data, padding; (b+p) brightrun with packing. Prints tokens/s (real,
non-padding tokens), the ratios against (a), MFU and peak memory. With --qlora, also (b+p+q): brightrun with packing
on a 4-bit base model (QLoRA; needs a CUDA GPU and bitsandbytes). Models are built from a config with random
weights (nothing downloaded); the data is short chat examples of varied length, where packing matters.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "bench", ".data", "trainer")

# Real architectures' shapes (random weights): (hidden, layers, heads, kv_heads, intermediate, vocab).
ARCHS = {
    "qwen2.5-0.5b": (896, 24, 14, 2, 4864, 151936),
    "qwen2.5-1.5b": (1536, 28, 12, 2, 8960, 151936),
}
WORDS = (
    "the blender kettle lamp iron warranty filter water cold warm clean reset button light red green blue manual "
    "replace order return week month power cable plug socket descale vinegar cloth dry hours minutes safe"
).split()


def make_model(arch: str, out: str) -> str:
    from brightrun_trainer.testing.tiny_model import SIZES, make_tiny_model

    if arch in SIZES:
        return make_tiny_model(out, size=arch, seed=0)
    import torch
    from brightrun_trainer.testing.tiny_model import build_tokenizer
    from transformers import Qwen2Config, Qwen2ForCausalLM

    h, layers, heads, kv, inter, vocab = ARCHS[arch]
    tok = build_tokenizer(8192)
    torch.manual_seed(0)
    cfg = Qwen2Config(
        vocab_size=vocab,
        hidden_size=h,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=kv,
        intermediate_size=inter,
        max_position_embeddings=32768,
        tie_word_embeddings=True,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    with torch.device("cuda" if torch.cuda.is_available() else "cpu"):
        model = Qwen2ForCausalLM(cfg).to(torch.bfloat16)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


def make_data(path: str, n: int, max_words: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(n):
            q = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 20)))
            a = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, max_words)))
            f.write(json.dumps({"messages": [{"role": "user", "content": q + "?"}, {"role": "assistant", "content": a + "."}]}) + "\n")
    return path


def config(args, model: str, data: str, packing: bool, quantization: str = "none") -> dict:
    return {
        "v": 1,
        "run_id": "bench",
        "base_model": model,
        "train_file": data,
        "validation_file": None,
        "validation_split": 0.0,
        "max_seq_len": args.seq_len,
        "overlength": "truncate",
        "packing": packing,
        "lora": {"r": 16, "alpha": 32, "dropout": 0.0, "target_modules": None},
        "quantization": quantization,
        "precision": "auto",
        "gradient_checkpointing": args.gradient_checkpointing,
        "epochs": 1000,
        "max_steps": args.steps,
        "batch_size": args.batch_size,
        "grad_accum": 1,
        "learning_rate": 2e-4,
        "lr_scheduler": "cosine",
        "warmup_ratio": 0.0,
        "weight_decay": 0.0,
        "max_grad_norm": 1.0,
        "log_every": 10,
        "eval_every": 0,
        "save_every": 0,
        "keep_checkpoints": 1,
        "seed": 0,
        "num_gpus": 1,
    }


def peak_memory_gb() -> float:
    import torch
    from brightrun_trainer.perf import peak_memory_gb as peak

    return peak(torch.device("cuda" if torch.cuda.is_available() else "cpu"))


def run_hf(cfg: dict) -> dict:
    """(a) The plain script a user would write: transformers.Trainer + peft, dynamic padding."""
    import torch
    from brightrun_trainer.data.formats import read_dataset
    from brightrun_trainer.data.tokenize import tokenize_examples
    from brightrun_trainer.model import linear_module_names, load_tokenizer
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, DataCollatorForSeq2Seq, Trainer, TrainerCallback, TrainingArguments

    tok = load_tokenizer(cfg["base_model"])
    _, examples = read_dataset(cfg["train_file"])
    items, _ = tokenize_examples(tok, examples, cfg["max_seq_len"], "truncate", cfg["train_file"])
    dataset = [{"input_ids": i.input_ids, "labels": i.labels} for i in items]
    cuda = torch.cuda.is_available()
    bf16 = cuda and torch.cuda.is_bf16_supported()
    model = AutoModelForCausalLM.from_pretrained(cfg["base_model"], torch_dtype=torch.bfloat16 if bf16 else torch.float32, attn_implementation="sdpa")
    model.config.use_cache = False
    if cfg["gradient_checkpointing"]:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    lora = cfg["lora"]
    model = get_peft_model(
        model, LoraConfig(r=lora["r"], lora_alpha=lora["alpha"], lora_dropout=lora["dropout"], target_modules=linear_module_names(model), task_type="CAUSAL_LM")
    )
    counted = {"tokens": 0}
    base_collator = DataCollatorForSeq2Seq(tok, padding=True, label_pad_token_id=-100)

    def collator(features):
        counted["tokens"] += sum(len(f["input_ids"]) for f in features)
        return base_collator(features)

    timing = {}

    class Clock(TrainerCallback):
        def on_train_begin(self, *a, **k):
            timing["start"] = time.perf_counter()

        def on_train_end(self, *a, **k):
            if cuda:
                torch.cuda.synchronize()
            timing["end"] = time.perf_counter()

    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(
            output_dir=out,
            per_device_train_batch_size=cfg["batch_size"],
            gradient_accumulation_steps=1,
            max_steps=cfg["max_steps"],
            learning_rate=cfg["learning_rate"],
            lr_scheduler_type="cosine",
            warmup_ratio=0.0,
            weight_decay=0.0,
            max_grad_norm=1.0,
            logging_steps=10,
            save_strategy="no",
            report_to=[],
            bf16=bf16,
            seed=0,
            dataloader_num_workers=0,
            remove_unused_columns=False,
            disable_tqdm=True,
        )
        trainer = Trainer(model=model, args=args, train_dataset=dataset, data_collator=collator, callbacks=[Clock()])
        result = trainer.train()
    seconds = timing["end"] - timing["start"]
    mean_len = sum(len(d["input_ids"]) for d in dataset) / len(dataset)
    return {
        "tokens": counted["tokens"],
        "seconds": seconds,
        "tokens_per_s": counted["tokens"] / seconds,
        "final_loss": result.training_loss,
        "params": sum(p.numel() for p in model.parameters()),
        "mean_len": mean_len,
        "peak_mem_gb": peak_memory_gb(),
    }


def run_brightrun(cfg: dict) -> dict:
    """(b) brightrun_trainer, in-process, timed from the training stage to the last metrics event."""
    import datetime as dt

    from brightrun_trainer.run import train

    with tempfile.TemporaryDirectory() as run_dir:
        with open(os.path.join(run_dir, "config.json"), "w") as f:
            json.dump(cfg, f)
        code = train(run_dir)
        with open(os.path.join(run_dir, "events.jsonl")) as f:
            events = [json.loads(line) for line in f]
    if code != 0:
        raise SystemExit(f"brightrun run failed: {[e for e in events if e['type'] == 'error']}")

    def ts(e):
        return dt.datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp()

    start = ts(next(e for e in events if e["type"] == "stage" and e["name"] == "training"))
    last = [e for e in events if e["type"] == "metrics"][-1]
    plan = next(e for e in events if e["type"] == "plan")
    setup = next((e["message"] for e in events if e["type"] == "log" and e["message"].startswith("LoRA r=")), "")
    done = events[-1]
    seconds = ts(last) - start
    return {
        "tokens": last["tokens_seen"],
        "seconds": seconds,
        "tokens_per_s": last["tokens_seen"] / seconds,
        "final_loss": done["summary"]["final_loss"],
        "params": plan["total_params"],
        "mean_len": plan["train_tokens"] / plan["train_examples"],
        "token_efficiency": plan["token_efficiency"],
        "peak_mem_gb": done["summary"]["peak_mem_gb"],
        "setup": setup,
        "precision": plan["precision"],
    }


def measured_peak_tflops() -> float:
    """This machine's dense matmul peak, measured (CPU: fp32; GPU: bf16), to give MFU a reference here too."""
    import torch
    from brightrun_trainer.perf import peak_tflops

    if torch.cuda.is_available():
        return peak_tflops(torch.device("cuda")) or 0.0
    n = 1024
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        a @ b
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(10):
            a @ b
        best = min(best, (time.perf_counter() - t) / 10)
    return 2 * n**3 / best / 1e12


def child(args) -> None:
    with open(args.child_config) as f:
        cfg = json.load(f)
    result = run_hf(cfg) if args.variant == "hf" else run_brightrun(cfg)
    print("RESULT " + json.dumps(result), flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", default="small", help="tiny | small | medium (built-in) | qwen2.5-0.5b | qwen2.5-1.5b (shapes, random weights)")
    p.add_argument("--base-model", help="an existing local model folder instead of --arch")
    p.add_argument("--seq-len", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--examples", type=int, default=2000)
    p.add_argument("--max-answer-words", type=int, default=60, help="answers of 4..N words: short, varied examples")
    p.add_argument("--gradient-checkpointing", action="store_true")
    p.add_argument("--qlora", action="store_true", help="add brightrun with packing on a 4-bit base model (CUDA + bitsandbytes)")
    p.add_argument("--repeats", type=int, default=1, help="run each variant N times, keep the best (noisy machines)")
    p.add_argument("--variant", help=argparse.SUPPRESS)
    p.add_argument("--child-config", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.variant:
        return child(args)
    if args.qlora and not _cuda():
        raise SystemExit("--qlora needs a CUDA GPU (4-bit weights through bitsandbytes), and torch sees none here.")

    os.makedirs(DATA, exist_ok=True)
    model = args.base_model or os.path.join(DATA, f"model-{args.arch}")
    if not args.base_model and not os.path.exists(os.path.join(model, "config.json")):
        make_model(args.arch, model)
    data = make_data(os.path.join(DATA, f"chat-{args.examples}-{args.max_answer_words}.jsonl"), args.examples, args.max_answer_words)
    variants = [("a  hf Trainer+peft", "hf", False, "none"), ("b  brightrun", "brightrun", False, "none"), ("b+p brightrun packing", "brightrun", True, "none")]
    if args.qlora:
        variants.append(("b+p+q brightrun QLoRA", "brightrun", True, "4bit"))
    results = {}
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # On a shared CPU, OpenMP threads spin-waiting on busy cores made every variant ~5x slower and the ratios
    # noise; one thread per process keeps the comparison stable. Set OMP_NUM_THREADS to override.
    env.setdefault("OMP_NUM_THREADS", "1")
    for _ in range(args.repeats):
        for label, variant, packing, quantization in variants:  # interleaved, so drifting machine load hits every variant alike
            cfg_path = os.path.join(DATA, f"config-{variant}-{int(packing)}-{quantization}.json")
            with open(cfg_path, "w") as f:
                json.dump(config(args, model, data, packing, quantization), f)
            out = subprocess.run([sys.executable, __file__, "--variant", variant, "--child-config", cfg_path], capture_output=True, text=True, env=env)
            line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT ")), None)
            if line is None:
                raise SystemExit(f"{label} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
            r = json.loads(line[7:])
            if label not in results or r["tokens_per_s"] > results[label]["tokens_per_s"]:
                results[label] = r
    from brightrun_trainer.perf import flops_per_token

    peak = measured_peak_tflops()
    from transformers import AutoConfig

    mc = AutoConfig.from_pretrained(model)
    base = results[variants[0][0]]["tokens_per_s"]
    print(
        f"model {args.base_model or args.arch}: {results[variants[0][0]]['params'] / 1e6:.1f}M params, seq len {args.seq_len}, "
        f"batch {args.batch_size}, {args.steps} steps, {args.examples} examples (mean {results[variants[1][0]]['mean_len']:.0f} tokens); "
        f"peak {peak:.2f} TFLOPS ({'GPU table' if os.environ.get('CUDA_VISIBLE_DEVICES') != '' and _cuda() else 'measured fp32 matmul'})"
    )
    print(f"{'variant':24} {'tokens/s':>10} {'vs a':>6} {'MFU':>7} {'peak mem GB':>12} {'final loss':>10}")
    for label, r in results.items():
        mfu = r["tokens_per_s"] * flops_per_token(r["params"], mc.num_hidden_layers, mc.hidden_size, r["mean_len"]) / (peak * 1e12) if peak else None
        print(
            f"{label:24} {r['tokens_per_s']:10.0f} {r['tokens_per_s'] / base:6.2f} {'' if mfu is None else f'{mfu:7.1%}'} "
            f"{r['peak_mem_gb']:12.2f} {r['final_loss']:10.3f}"
        )
    for label, r in results.items():
        if r.get("setup"):
            print(f"{label}: {r['precision']}; {r['setup']}")


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


if __name__ == "__main__":
    main()
