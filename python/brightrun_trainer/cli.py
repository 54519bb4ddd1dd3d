"""Command line: python -m brightrun_trainer {train,queue,preflight,merge,eval,evaluate,generate,export-gguf,make-tiny-model}."""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m brightrun_trainer", description="BrightRun's LoRA trainer.")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train a LoRA adapter as described by RUN_DIR/config.json")
    t.add_argument("--run-dir", required=True)
    t.add_argument("--resume", action="store_true", help="continue from the latest checkpoint in RUN_DIR/checkpoints")

    q = sub.add_parser("queue", help="this host's run queue: wait for a turn and train, list, move a run up")
    qs = q.add_subparsers(dest="queue_command", required=True)
    qw = qs.add_parser("wait", help="enter the queue of RUN_DIR's host, wait for a turn and free GPUs, then train")
    qw.add_argument("--run-dir", required=True)
    qw.add_argument("--resume", action="store_true", help="train with --resume once started")
    qw.add_argument("--max-runs", type=int, help="at most this many runs at once on this host (default: by free GPUs; 1 without GPUs)")
    queue_dir = dict(help="the folder that holds this machine's queue.json (default: the work directory above RUN_DIR/../..)")
    qw.add_argument("--queue-dir", **queue_dir)
    qr = qs.add_parser("revive", help="start the waiter again for a queued run that lost it (its machine restarted)")
    qr.add_argument("--run-dir", required=True)
    qr.add_argument("--max-runs", type=int)
    qr.add_argument("--queue-dir", **queue_dir)
    qc = qs.add_parser("cancel", help="take a queued run whose waiter is gone out of the queue, ending it cancelled")
    qc.add_argument("--run-dir", required=True)
    qc.add_argument("--queue-dir", **queue_dir)
    ql = qs.add_parser("list", help="print the queue of the host whose work directory is WORKDIR as JSON")
    ql.add_argument("--workdir", required=True)
    qm = qs.add_parser("move-up", help="move a waiting run one place up")
    qm.add_argument("--workdir", required=True)
    qm.add_argument("run_id")

    pf = sub.add_parser("preflight", help="print one JSON object describing this host and whether the run fits")
    pf.add_argument("--workdir", default=".", help="folder whose free disk space is reported")
    pf.add_argument("--config", help="a run config.json: adds a memory fit estimate for its base model")
    pf.add_argument("--base-model", help="a model folder or id in the local cache (instead of --config)")
    pf.add_argument(
        "--interpreter-only",
        action="store_true",
        help="check only what a bare Python can (version, GPUs through nvidia-smi, disk): before the trainer's environment exists",
    )

    common = dict(help="where protocol v1 events go (default: stdout)")
    m = sub.add_parser("merge", help="merge an adapter into its base model and save the full model")
    m.add_argument("--adapter", required=True)
    m.add_argument("--base-model", help="defaults to the adapter's base_model_name_or_path")
    m.add_argument("--out", required=True)
    m.add_argument("--events", **common)

    e = sub.add_parser("eval", help="loss and perplexity of an adapter (or the base model) on a JSONL file")
    e.add_argument("--adapter")
    e.add_argument("--base-model")
    e.add_argument("--file", required=True)
    e.add_argument("--max-seq-len", type=int, default=1024)
    e.add_argument("--batch-size", type=int, default=4)
    e.add_argument("--events", **common)

    ev = sub.add_parser(
        "evaluate",
        help="base model against base + adapter: validation and general-text perplexity, "
        "answers to prompts with task metrics, quality gates; writes eval.json and EVAL.md",
    )
    ev.add_argument("--run-dir", required=True)
    ev.add_argument("--adapter", help="defaults to RUN_DIR/adapter")
    ev.add_argument("--base-model", help="defaults to the run's base model")
    ev.add_argument("--prompts", help='a JSONL prompt set ({"prompt", "reference"?, "system"?} per line); default: prompts taken from the validation examples')
    ev.add_argument("--max-prompts", type=int, help="prompts taken from the validation examples (default from the run config)")
    ev.add_argument("--max-new-tokens", type=int, help="longest answer in tokens (default from the run config)")
    ev.add_argument("--batch-size", type=int, default=4)
    ev.add_argument("--no-write", action="store_true", help="print the report without writing it beside the adapter")
    ev.add_argument("--events", **common)

    g = sub.add_parser("generate", help="a prompt through the base model and base+adapter, for comparison")
    g.add_argument("--adapter", required=True)
    g.add_argument("--base-model")
    g.add_argument("--prompt", required=True)
    g.add_argument("--system")
    g.add_argument("--max-new-tokens", type=int, default=128)
    g.add_argument("--temperature", type=float, default=0.0)
    g.add_argument("--no-base", action="store_true", help="skip the base model's answer")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--events", **common)

    eg = sub.add_parser("export-gguf", help="convert a LoRA adapter folder into a GGUF LoRA adapter (llama.cpp, Ollama)")
    eg.add_argument("--adapter", required=True)
    eg.add_argument("--out", required=True, help="the .gguf file to write")
    eg.add_argument("--base", help="the base model's .gguf file or folder (default: the adapter's base model)")
    eg.add_argument("--outtype", choices=("f32", "f16"), default="f32")
    eg.add_argument("--events", **common)

    lc = sub.add_parser("llama-cpp", help="run one of llama.cpp's Python converter scripts with this Python (its packages)")
    lc.add_argument("script")
    lc.add_argument("script_args", nargs=argparse.REMAINDER)

    ig = sub.add_parser("import-gguf", help="convert a .gguf file into a model folder (safetensors, config, tokenizer)")
    ig.add_argument("gguf_file")
    ig.add_argument("out_dir")

    lm = sub.add_parser("list-models", help="print the model folders on this machine as JSON (for base_model)")
    lm.add_argument("--project-dir", help="folder whose .cache/models is listed too (default: the current folder)")

    tm = sub.add_parser("make-tiny-model", help="write a tiny random-weight model + locally trained tokenizer")
    tm.add_argument("out_dir")
    tm.add_argument("--size", default="tiny", help="tiny (tests), small (~10M, CPU bench) or medium")
    tm.add_argument("--seed", type=int, default=0)
    tm.add_argument("--corpus", nargs="*", help="JSONL/text files to train the tokenizer on (default: samples/*.jsonl)")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "train":
        from .launch import train_command

        return train_command(args.run_dir, resume=args.resume)
    if args.command == "queue":
        from .queue_waiter import queue_command

        return queue_command(args)
    if args.command == "preflight":
        from .preflight import preflight_command

        return preflight_command(args)
    if args.command in ("merge", "eval", "evaluate", "generate"):
        from . import tools

        return getattr(tools, f"{args.command}_command")(args)
    if args.command == "export-gguf":
        from .export_gguf import export_gguf_command

        return export_gguf_command(args)
    if args.command == "llama-cpp":
        import runpy

        # As `python SCRIPT ARGS` would: its folder first on sys.path (it imports its sibling scripts).
        sys.argv = [args.script, *args.script_args]
        sys.path.insert(0, os.path.dirname(os.path.abspath(args.script)))
        runpy.run_path(args.script, run_name="__main__")
        return 0
    if args.command == "import-gguf":
        from .errors import ConfigError
        from .gguf_import import import_gguf

        try:
            print(import_gguf(args.gguf_file, args.out_dir))
        except ConfigError as e:
            print(f"error: {e.message}" + (f" {e.hint}" if e.hint else ""), file=sys.stderr)
            return 1
        return 0
    if args.command == "list-models":
        import json

        from .local_models import list_local_models

        print(json.dumps(list_local_models(args.project_dir), indent=2))
        return 0
    if args.command == "make-tiny-model":
        from .testing.tiny_model import make_tiny_model

        out = make_tiny_model(args.out_dir, size=args.size, seed=args.seed, corpus_files=args.corpus)
        print(out)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
