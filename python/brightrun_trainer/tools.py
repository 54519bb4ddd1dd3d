"""`merge`, `eval`, `evaluate` and `generate`: what you do with an adapter after training.

Each reports through protocol v1 events (stage, log, eval, error, done) on stdout, or into --events FILE, and
prints its result as one extra JSON object line on stdout (e.g. {"base_output": ..., "adapter_output": ...}).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback

import torch

from .errors import ConfigError, classify
from .events import EventWriter
from .local_models import TOKENIZER_FILES


def _writer(args) -> EventWriter:
    if args.events:
        return EventWriter(args.events)
    return EventWriter(None, stream=sys.stdout)


def _base_of(args) -> str:
    if args.base_model:
        return args.base_model
    try:
        with open(os.path.join(args.adapter, "adapter_config.json"), encoding="utf-8") as f:
            return json.load(f)["base_model_name_or_path"]
    except (OSError, KeyError, ValueError, TypeError):
        raise ConfigError(f"cannot tell the base model of {args.adapter!r}.", "Pass --base-model.") from None


def _load(args, with_adapter: bool = True):
    from .model import choose_runtime, load_base_model, load_tokenizer
    from .runtime import init_dist

    if with_adapter and not os.path.isfile(os.path.join(args.adapter, "adapter_config.json")):
        raise ConfigError(f"{args.adapter!r} is not an adapter folder (no adapter_config.json).", "Point --adapter at a run's adapter/ folder.")
    base_id = _base_of(args)
    rt = choose_runtime("auto", init_dist().device)
    tok_source = args.adapter if with_adapter and any(os.path.exists(os.path.join(args.adapter, f)) for f in TOKENIZER_FILES) else base_id
    tokenizer = load_tokenizer(tok_source)
    model = load_base_model(base_id, rt, "none")
    if with_adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, args.adapter)
    model.eval()
    return model, tokenizer, rt


def _run(args, body) -> int:
    events = _writer(args)
    start = time.time()
    summary = {"steps": 0, "total_tokens": 0, "wall_s": 0.0, "tokens_per_s": 0.0}
    try:
        events.emit("stage", name="loading_model")
        adapter = body(events, summary)
        summary["wall_s"] = round(time.time() - start, 3)
        events.emit("stage", name="done")
        events.emit("done", state="completed", adapter=adapter, summary=summary)
        return 0
    except BaseException as exc:
        kind, message, hint = classify(exc)
        traceback.print_exc(file=sys.stderr)
        extra = {k: getattr(exc, k) for k in ("file", "line") if getattr(exc, k, None)}
        events.emit("error", kind=kind, message=message, hint=hint, **extra)
        summary["wall_s"] = round(time.time() - start, 3)
        events.emit("done", state="failed", adapter=None, summary=summary)
        return 1
    finally:
        events.close()


def _result(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def merge_command(args) -> int:
    def body(events, summary):
        model, tokenizer, _ = _load(args)
        events.emit("stage", name="saving")
        merged = model.merge_and_unload()
        tmp = args.out.rstrip("/") + f".tmp-{os.getpid()}"
        merged.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        if os.path.exists(args.out):
            import shutil

            shutil.rmtree(args.out)
        os.replace(tmp, args.out)
        events.emit("log", level="info", message=f"merged model written to {args.out}")
        _result({"merged": os.path.abspath(args.out)})
        return args.adapter

    return _run(args, body)


def eval_command(args) -> int:
    from .data.formats import read_dataset
    from .data.tokenize import ensure_chat_template, tokenize_examples
    from .evaluation.measure import mean_loss, perplexity_of

    def body(events, summary):
        model, tokenizer, rt = _load(args, with_adapter=bool(args.adapter))
        ensure_chat_template(tokenizer)
        _, examples = read_dataset(args.file)
        if examples[0].chosen is not None:  # preference pairs: the loss of the chosen responses
            from .data.preference import tokenize_pairs

            pairs, report = tokenize_pairs(tokenizer, examples, args.max_seq_len, "truncate", args.file)
            data = [p.chosen for p in pairs]
        else:
            data, report = tokenize_examples(tokenizer, examples, args.max_seq_len, "truncate", args.file)
        events.emit("stage", name="evaluating")
        pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        t0 = time.perf_counter()
        loss, _ = mean_loss(model, data, pad_id, rt, args.max_seq_len, args.batch_size)
        elapsed = time.perf_counter() - t0
        if loss is None:
            raise ConfigError(f"{args.file} has no tokens to evaluate.", "Use a file with assistant answers (or text).")
        tokens = sum(len(ex.input_ids) for ex in data)
        events.emit("eval", step=0, eval_loss=loss, perplexity=perplexity_of(loss))
        summary.update(total_tokens=tokens, tokens_per_s=round(tokens / max(elapsed, 1e-9), 2), final_eval_loss=loss)
        _result({"eval_loss": loss, "perplexity": perplexity_of(loss), "examples": len(data), "tokens": tokens, "truncated": report.truncated})
        return args.adapter

    return _run(args, body)


def generate_command(args) -> int:
    from .data.tokenize import ensure_chat_template

    def body(events, summary):
        model, tokenizer, rt = _load(args)
        ensure_chat_template(tokenizer)
        messages = ([{"role": "system", "content": args.system}] if args.system else []) + [{"role": "user", "content": args.prompt}]
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        inputs = tokenizer(text, return_tensors="pt", add_special_tokens=False, return_token_type_ids=False).to(rt.device)
        options = {"max_new_tokens": args.max_new_tokens, "pad_token_id": tokenizer.pad_token_id, "eos_token_id": tokenizer.eos_token_id}
        options.update({"do_sample": True, "temperature": args.temperature} if args.temperature > 0 else {"do_sample": False})

        def answer() -> str:
            torch.manual_seed(args.seed)
            with torch.no_grad():
                out = model.generate(**inputs, **options)
            new = out[0, inputs["input_ids"].shape[1] :]
            summary["total_tokens"] += int(new.numel())
            return tokenizer.decode(new, skip_special_tokens=True).strip()

        events.emit("stage", name="evaluating")
        base_output = None
        if not args.no_base:
            with model.disable_adapter():
                base_output = answer()
        adapter_output = answer()
        _result({"prompt": args.prompt, "base_output": base_output, "adapter_output": adapter_output})
        return args.adapter

    return _run(args, body)


def evaluate_command(args) -> int:
    """The full evaluation report of a run's adapter (see evaluation/), written beside it and printed."""
    from .config import load_config
    from .data.split import split_examples
    from .data.tokenize import ensure_chat_template
    from .evaluation.evaluate import build_report
    from .evaluation.gates import evaluation_settings
    from .evaluation.prompts import prompts_from_examples, read_prompt_set
    from .evaluation.report import write_report

    def body(events, summary):
        cfg = load_config(args.run_dir)
        args.adapter = args.adapter or os.path.join(args.run_dir, "adapter")
        args.base_model = args.base_model or cfg.base_model
        settings = evaluation_settings(getattr(cfg, "evaluation", None))
        if args.max_prompts is not None:
            settings["max_prompts"] = args.max_prompts
        if args.max_new_tokens is not None:
            settings["max_new_tokens"] = args.max_new_tokens
        _, eval_ex, _ = split_examples(cfg)  # the validation file, or the held-out share of the training file
        prompts = read_prompt_set(args.prompts) if args.prompts else prompts_from_examples(eval_ex, settings["max_prompts"])
        model, tokenizer, rt = _load(args)
        ensure_chat_template(tokenizer)
        events.emit("stage", name="evaluating")
        report = build_report(
            model,
            tokenizer,
            rt,
            run_id=cfg.run_id,
            base_model=cfg.base_model,
            adapter_path=os.path.abspath(args.adapter),
            validation=eval_ex or None,
            validation_file=cfg.validation_file,
            prompts=prompts,
            prompt_source=args.prompts or "validation",
            settings=settings,
            max_len=cfg.max_seq_len,
            seed=cfg.seed,
            events=events,
            batch_size=args.batch_size,
        )
        if not args.no_write:
            events.emit("stage", name="saving")
            write_report(args.adapter, report)
        failed = [g["name"] for g in report["gates"] if not g["passed"]]
        events.emit(
            "log",
            level="warning" if failed else "info",
            message=f"quality gates failed: {', '.join(failed)}" if failed else f"all {len(report['gates'])} quality gates passed",
        )
        summary["wall_s"] = report["wall_s"]
        _result(report)
        return args.adapter

    return _run(args, body)
