"""`train --run-dir DIR`: one training run from config.json to adapter/, reporting every stage as events.

Order: preparing (config) -> tokenizing (data errors surface before the slow model load) -> loading_model ->
plan -> training (+ eval, checkpoints) -> final eval -> saving (adapter, model card, checkpoint) -> done.
Any failure becomes an `error` event of a protocol kind and `done` with state failed; the traceback goes to
stderr, which the launcher sends to trainer.log.
"""

from __future__ import annotations

import math
import os
import random
import shutil
import sys
import time
import traceback

import torch

from . import perf
from .checkpoint import latest_checkpoint, load_checkpoint
from .config import config_to_dict, load_config
from .data.batching import epoch_batches, make_rows, token_efficiency
from .data.preference import check_method_format, pair_rows, pair_token_efficiency, tokenize_pairs
from .data.split import split_examples
from .data.tokenize import ensure_chat_template, tokenize_examples
from .errors import ConfigError, classify
from .evaluation.evaluate import build_report
from .evaluation.gates import evaluation_settings
from .evaluation.prompts import prompts_from_examples
from .evaluation.report import write_report
from .events import EventWriter, StatusWriter
from .loop import Loop, Position
from .loss import CausalLMLoss
from .model import apply_lora, check_packing_support, choose_runtime, count_params, load_base_model, load_tokenizer, model_dims
from .modelcard import model_card
from .preference_loss import PREFERENCE_METHODS, PreferenceLoss, preference_objective, preference_settings
from .recovery import apply_recovery, load_recovery, pending_attempt, resumed_batch
from .runtime import REQUEUE_EXIT, Cancellation, close_dist, init_dist
from .trackers import Trackers


class Cancelled(Exception):
    pass


def _seed_all(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)
    try:
        import numpy as np

        np.random.seed(seed % 2**32)
    except ImportError:
        pass


def method_of(cfg) -> str:
    """sft, dpo or orpo (configs written before preference tuning have no method: sft)."""
    return getattr(cfg, "method", None) or "sft"


def _load_data(cfg, tokenizer, events):
    train_ex, eval_ex, eval_file = split_examples(cfg)
    method = method_of(cfg)
    check_method_format(method, train_ex[0].chosen is not None, cfg.train_file)
    if eval_ex:
        check_method_format(method, eval_ex[0].chosen is not None, eval_file)
    if ensure_chat_template(tokenizer):
        events.emit(
            "log",
            level="warning",
            message="The tokenizer has no chat template; using BrightRun's plain-text fallback (### User / ### Assistant). It is saved with the adapter.",
        )
    tokenize = tokenize_pairs if method in PREFERENCE_METHODS else tokenize_examples
    train, report = tokenize(tokenizer, train_ex, cfg.max_seq_len, cfg.overlength, cfg.train_file)
    evals, eval_report = tokenize(tokenizer, eval_ex, cfg.max_seq_len, cfg.overlength, eval_file)
    if not train:
        raise ConfigError(
            f"every training example is longer than max_seq_len ({cfg.max_seq_len}) and was dropped.", "Raise max_seq_len or set overlength to truncate."
        )
    if report.dropped or report.truncated:
        events.emit(
            "log",
            level="warning",
            message=f"{report.truncated} example(s) truncated and {report.dropped} dropped for being longer than max_seq_len {cfg.max_seq_len}.",
        )
    return train, evals, report, eval_ex


def train(run_dir: str, resume: bool = False) -> int:
    start = time.time()
    dist = init_dist()
    supervisor = os.environ.get("BRIGHTRUN_SUPERVISOR_PID")
    events = EventWriter(os.path.join(run_dir, "events.jsonl"), enabled=dist.is_main, echo=sys.stdout)
    status = StatusWriter(os.path.join(run_dir, "status.json"), enabled=dist.is_main, pid=int(supervisor) if supervisor else None)
    cancel = Cancellation(run_dir)
    cancel.install()
    trackers = Trackers(events)
    step = 0
    summary = {"steps": 0, "total_tokens": 0, "wall_s": 0.0, "tokens_per_s": 0.0, "mfu": None, "peak_mem_gb": None, "final_loss": None, "final_eval_loss": None}

    def finish(state: str, adapter, exit_reason=None) -> None:
        summary["wall_s"] = round(time.time() - start, 3)
        trackers.finish(state, adapter, summary)
        events.emit("stage", name="done")
        events.emit("done", state=state, adapter=adapter, summary=summary)
        status.write(state=state, step=max(status.step, summary["steps"]), exit_reason=exit_reason)

    try:
        status.write(state="running", step=0)
        recovery = load_recovery(run_dir)
        restart = pending_attempt(recovery, events.path) if dist.is_main else None
        if restart is not None:
            events.emit("attempt", **restart)
        events.emit("stage", name="preparing")
        cfg = load_config(run_dir)
        if dist.is_main:
            trackers.start(cfg, config_to_dict(cfg), run_dir, resume_step=_checkpoint_step(latest_checkpoint(run_dir)) if resume else None)
        config_batch_size = cfg.batch_size
        apply_recovery(cfg, recovery)
        if resume and latest_checkpoint(run_dir) is None:
            events.emit("log", level="warning", message="--resume given but no checkpoint exists yet; starting from step 0.")
        _seed_all(cfg.seed)
        rt = choose_runtime(cfg.precision, dist.device, cfg.quantization)
        method = method_of(cfg)
        preference = method in PREFERENCE_METHODS
        if preference and cfg.packing:
            raise ConfigError(
                f"method {method} needs packing off: each chosen and rejected response is scored as a whole sequence.",
                'Set "packing": false in the run config.',
            )
        if cfg.packing:
            check_packing_support(rt)
        if cfg.num_gpus > 1 and dist.world == 1:
            events.emit("log", level="warning", message=f"num_gpus is {cfg.num_gpus} but this process runs alone; training on one device.")

        events.emit("stage", name="tokenizing")
        tokenizer = load_tokenizer(cfg.base_model)
        train_set, eval_set, report, eval_examples = _load_data(cfg, tokenizer, events)
        if cancel.poll():
            raise Cancelled()

        events.emit("stage", name="loading_model")
        base = load_base_model(cfg.base_model, rt, cfg.quantization)
        max_pos = model_dims(base)["max_positions"]
        if max_pos and cfg.max_seq_len > max_pos:
            raise ConfigError(
                f"max_seq_len {cfg.max_seq_len} is longer than this model's context ({max_pos} positions).", f"Set max_seq_len to {max_pos} or less."
            )
        model, targets = apply_lora(base, cfg.lora, cfg.quantization, cfg.gradient_checkpointing)
        trainable, total = count_params(model)
        loss_mod = PreferenceLoss(model, method, preference_settings(getattr(cfg, "preference", None))) if preference else CausalLMLoss(model)
        if dist.world > 1:
            loss_mod = torch.nn.parallel.DistributedDataParallel(
                loss_mod, device_ids=[dist.local_rank] if rt.device.type == "cuda" else None, broadcast_buffers=False
            )  # the only buffers are constant (rotary frequencies)
        optimizer = torch.optim.AdamW(
            [p for p in model.parameters() if p.requires_grad],
            lr=cfg.learning_rate,
            weight_decay=cfg.weight_decay,
            **({"fused": True} if rt.device.type == "cuda" else {}),
        )
        if preference:
            rows, eval_rows = pair_rows(train_set), pair_rows(eval_set)
        else:
            rows = make_rows(train_set, cfg.max_seq_len, cfg.packing, cfg.seed)
            eval_rows = make_rows(eval_set, cfg.max_seq_len, cfg.packing, cfg.seed)
        eval_batches = epoch_batches(eval_rows, cfg.batch_size, cfg.seed, 0, shuffle=False) if eval_rows else []
        first_epoch = epoch_batches(rows, cfg.batch_size, cfg.seed, 0, dist.world)
        steps_per_epoch = math.ceil(len(first_epoch) / (cfg.grad_accum * dist.world))
        total_steps = cfg.max_steps or max(1, math.ceil(cfg.epochs * steps_per_epoch))
        from transformers import get_scheduler

        scheduler = get_scheduler(
            "constant_with_warmup" if cfg.lr_scheduler == "constant" else cfg.lr_scheduler,
            optimizer,
            num_warmup_steps=math.ceil(cfg.warmup_ratio * total_steps),
            num_training_steps=total_steps,
        )
        scaler = torch.amp.GradScaler("cuda") if rt.precision == "fp16" else None

        pos = Position()
        resumed_from = None
        ckpt = latest_checkpoint(run_dir) if resume else None
        if ckpt:
            saved = load_checkpoint(ckpt, model, optimizer, scheduler, scaler)
            step, resumed_from = saved["step"], saved["step"]
            pos = Position(saved["epoch"], resumed_batch(saved, cfg.batch_size, config_batch_size), saved["tokens_seen"], saved["samples_seen"])
            events.emit("log", level="info", message=f"resumed from {ckpt} at step {step}")

        dims = model_dims(model)
        mean_len = (sum(p.tokens / 2 for p in train_set) if preference else sum(len(e.input_ids) for e in train_set)) / len(train_set)
        flops_tok = perf.flops_per_token(total, dims["layers"], dims["hidden"], mean_len)
        peak = perf.peak_tflops(rt.device)
        plan = dict(
            total_steps=total_steps,
            epochs=round(total_steps / steps_per_epoch, 4),
            train_examples=len(train_set),
            eval_examples=len(eval_set),
            train_tokens=report.tokens,
            dropped_examples=report.dropped,
            truncated_examples=report.truncated,
            trainable_params=trainable,
            total_params=total,
            token_efficiency=round((pair_token_efficiency if preference else token_efficiency)(first_epoch, 8 if rt.device.type == "cuda" else 1), 4),
            device=(torch.cuda.get_device_name(rt.device) if rt.device.type == "cuda" else "cpu") + (f" x{dist.world}" if dist.world > 1 else ""),
            precision=rt.precision + ("+4bit" if cfg.quantization == "4bit" else ""),
        )
        if resumed_from is not None:
            plan["resumed_from_step"] = resumed_from
        events.emit("plan", **plan)
        events.emit(
            "log",
            level="info",
            message=f"LoRA r={cfg.lora.r} on {', '.join(targets)}; attention {rt.attn}; "
            f"{'packing' if cfg.packing else 'padding'} to max_seq_len {cfg.max_seq_len}"
            + (f"; {method} on preference pairs ({_settings_line(method, loss_mod)})" if preference else ""),
        )
        status.write(step=step, total_steps=total_steps)
        if rt.device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(rt.device)

        events.emit("stage", name="training")
        loop = Loop(
            cfg=cfg,
            dist=dist,
            rt=rt,
            model=model,
            loss_mod=loss_mod,
            optimizer=optimizer,
            scheduler=scheduler,
            scaler=scaler,
            rows=rows,
            eval_batches=eval_batches,
            steps_per_epoch=steps_per_epoch,
            total_steps=total_steps,
            pad_id=tokenizer.pad_token_id,
            events=events,
            status=status,
            cancel=cancel,
            run_dir=run_dir,
            flops_tok=flops_tok,
            peak=peak,
            objective=preference_objective(method) if preference else None,
        )
        result = loop.run(step, pos)
        step = result.step
        tps = result.session_tokens / result.train_time if result.train_time > 0 else 0.0
        summary.update(
            steps=step,
            total_tokens=pos.tokens_seen,
            tokens_per_s=round(tps, 2),
            mfu=perf.mfu(tps, flops_tok, peak, dist.world),
            peak_mem_gb=round(perf.peak_memory_gb(rt.device), 3),
            final_loss=result.final_loss,
        )
        if result.cancelled and cancel.preempted:
            # The scheduler requeues the job, which resumes from this checkpoint: the run has not ended.
            events.emit(
                "log",
                level="warning",
                message=f"stopped at step {step} for the scheduler (time limit, preemption or scancel); "
                f"checkpoint-{step} saved; a requeued job resumes from it",
            )
            status.write(state="starting", step=step)
            return REQUEUE_EXIT
        if result.cancelled:
            finish("cancelled", None, f"Cancelled at step {step}; resume from checkpoint-{step}.")
            return 0
        if eval_batches:
            summary["final_eval_loss"] = loop.evaluate(step, back_to_training=False)
        adapter_dir = os.path.join(run_dir, "adapter")
        evaluation = None
        if dist.is_main and eval_examples:
            evaluation = _evaluate_adapter(cfg, model, tokenizer, rt, eval_examples, adapter_dir, events, cancel, announce=not eval_batches)
        events.emit("stage", name="saving")
        if dist.is_main:
            _save_adapter(
                adapter_dir,
                model,
                tokenizer,
                model_card(cfg, cfg.base_model, targets, len(train_set), len(eval_set), report.tokens, summary, summary["final_eval_loss"]),
                evaluation,
            )
        if result.last_checkpoint_step != step:
            loop.checkpoint(step, pos)
        finish("completed", adapter_dir)
        return 0
    except Cancelled:
        if cancel.preempted:
            events.emit("log", level="warning", message="stopped before training for the scheduler; the job is requeued and starts again")
            status.write(state="starting")
            return REQUEUE_EXIT
        finish("cancelled", None, "Cancelled before training started.")
        return 0
    except BaseException as exc:  # every failure must reach the event log, whatever it is
        kind, message, hint = classify(exc)
        traceback.print_exc(file=sys.stderr)
        extra = {}
        if getattr(exc, "file", None):
            extra["file"] = exc.file
        if getattr(exc, "line", None):
            extra["line"] = exc.line
        events.emit("error", kind=kind, message=message, hint=hint, **extra)
        summary["steps"] = step
        finish("failed", None, f"{kind}: {message}" + (f" {hint}" if hint else ""))
        return 1
    finally:
        events.close()
        cancel.uninstall()
        close_dist()


def _evaluate_adapter(cfg, model, tokenizer, rt, eval_examples, adapter_dir, events, cancel, announce: bool):
    """The evaluation report (evaluation/), unless the config turns it off. A failure here costs the report, not
    the adapter: it is logged with the command that retries it."""
    settings = evaluation_settings(getattr(cfg, "evaluation", None))
    if not settings["enabled"]:
        return None
    if announce:  # else the final eval loss has just put the run in this stage
        events.emit("stage", name="evaluating")
    try:
        report = build_report(
            model,
            tokenizer,
            rt,
            run_id=cfg.run_id,
            base_model=cfg.base_model,
            adapter_path=adapter_dir,
            validation=eval_examples,
            validation_file=cfg.validation_file,
            prompt_source="validation",
            prompts=prompts_from_examples(eval_examples, settings["max_prompts"]),
            settings=settings,
            max_len=cfg.max_seq_len,
            seed=cfg.seed,
            events=events,
            batch_size=cfg.batch_size,
            should_stop=cancel.poll,
        )
    except Exception as exc:  # noqa: BLE001 - the adapter is still worth saving
        traceback.print_exc(file=sys.stderr)
        kind, message, _ = classify(exc)
        events.emit(
            "log",
            level="warning",
            message=f"The evaluation report could not be made ({kind}: {message}); the adapter is saved "
            f"without it. Run `brightrun eval {cfg.run_id}` to retry.",
        )
        return None
    failed = [g["name"] for g in report["gates"] if not g["passed"]]
    events.emit(
        "log",
        level="warning" if failed else "info",
        message=(f"Evaluation: quality gates failed: {', '.join(failed)}" if failed else f"Evaluation: all {len(report['gates'])} quality gates passed")
        + f" (validation perplexity {_fmt(report['base']['perplexity'])} -> {_fmt(report['adapter']['perplexity'])}, "
        f"general text {_fmt(report['retention']['base'])} -> {_fmt(report['retention']['adapter'])}).",
    )
    return report


def _checkpoint_step(path) -> int | None:
    """The step of a checkpoint folder (checkpoint-<step>), None for no checkpoint."""
    return None if path is None else int(os.path.basename(path).rsplit("-", 1)[1])


def _settings_line(method: str, loss_mod) -> str:
    s = getattr(loss_mod, "module", loss_mod).settings
    if method == "orpo":
        return f"lambda {s['lambda']}"
    return f"beta {s['beta']}, {s['lossType']} loss" + (f", label smoothing {s['labelSmoothing']}" if s["labelSmoothing"] else "")


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _save_adapter(adapter_dir: str, model, tokenizer, card: str, evaluation=None) -> None:
    tmp = adapter_dir + f".tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    with open(os.path.join(tmp, "README.md"), "w", encoding="utf-8") as f:
        f.write(card)
    if evaluation is not None:
        write_report(tmp, evaluation)  # eval.json, EVAL.md and the card's evaluation section, renamed in with the rest
    if os.path.exists(adapter_dir):
        shutil.rmtree(adapter_dir)
    os.replace(tmp, adapter_dir)
