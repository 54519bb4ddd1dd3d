"""The optimisation loop: gradient accumulation, clipping, metrics, periodic eval and checkpoints, cancel."""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

import torch

from . import perf
from .checkpoint import save_checkpoint
from .data.batching import collate, epoch_batches
from .recovery import oom_test_hook


@dataclass
class Position:
    """Where the run is in its data; saved in checkpoints, so a resumed run sees the same batches in the same order."""

    epoch: int = 0
    batch: int = 0
    tokens_seen: int = 0
    samples_seen: int = 0

    def as_dict(self) -> dict:
        return {"epoch": self.epoch, "batch": self.batch, "tokens_seen": self.tokens_seen, "samples_seen": self.samples_seen}


@dataclass
class Objective:
    """What a run optimises: how a micro-batch becomes tensors, and what its loss is averaged over (trained tokens
    for sft, pairs for dpo and orpo). `stat_metrics` turns the extra sums a preference loss returns into metrics."""

    collate: Callable[[list, int, int], dict]
    units: Callable[[dict], int]
    stat_metrics: Optional[Callable[[List[float], float], dict]] = None
    stat_count: int = 0


def sft_objective(packing: bool) -> Objective:
    return Objective(
        collate=lambda batch, pad_id, multiple_of: collate(batch, pad_id, packing, multiple_of), units=lambda c: int((c["labels"][:, 1:] != -100).sum())
    )


def _split(out) -> Tuple[torch.Tensor, torch.Tensor, Optional[torch.Tensor]]:
    """(loss sum, units, extra sums or None) of a loss module's output."""
    return out[0], out[1], (out[2] if len(out) > 2 else None)


@dataclass
class LoopResult:
    step: int
    cancelled: bool
    final_loss: Optional[float]
    final_eval_loss: Optional[float]
    train_time: float
    session_tokens: int
    last_checkpoint_step: Optional[int] = None
    eval_losses: List[float] = field(default_factory=list)


class Loop:
    def __init__(
        self,
        *,
        cfg,
        dist,
        rt,
        model,
        loss_mod,
        optimizer,
        scheduler,
        scaler,
        rows,
        eval_batches,
        steps_per_epoch,
        total_steps,
        pad_id,
        events,
        status,
        cancel,
        run_dir,
        flops_tok,
        peak,
        objective=None,
    ):
        self.__dict__.update(locals())
        del self.__dict__["self"]
        self.multiple_of = 8 if rt.device.type == "cuda" else 1
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.objective = objective or sft_objective(cfg.packing)

    def _autocast(self):
        if self.rt.autocast is None:
            return contextlib.nullcontext()
        return torch.autocast(self.rt.device.type, dtype=self.rt.autocast)

    def _to_device(self, b):
        dev = self.rt.device
        return {k: (b[k].to(dev, non_blocking=True) if b[k] is not None else None) for k in ("input_ids", "labels", "attention_mask", "position_ids")}

    def _step(self, micro: list):
        """One optimizer step over this rank's micro-batches.
        Returns (loss_sum, units, tokens, samples, grad_norm, extra sums or None)."""
        self.loss_mod.train()
        collated = [self.objective.collate(b, self.pad_id, self.multiple_of) for b in micro]
        # Normalise by the units (trained tokens, or pairs) of the whole accumulation window: every unit weighs the same.
        denom = max(1, sum(self.objective.units(c) for c in collated))
        loss_total = torch.zeros((), device=self.rt.device)
        extra = None
        n_labels = 0
        for i, c in enumerate(collated):
            last = i == len(collated) - 1
            sync = contextlib.nullcontext() if (self.dist.world == 1 or last) else self.loss_mod.no_sync()
            with sync:
                with self._autocast():
                    loss_sum, n, stats = _split(self.loss_mod(**self._to_device(c)))
                scaled = loss_sum / denom
                (self.scaler.scale(scaled) if self.scaler else scaled).backward()
            loss_total += loss_sum.detach()
            n_labels += int(n)
            if stats is not None:
                extra = stats.detach() if extra is None else extra + stats.detach()
        if self.scaler:
            self.scaler.unscale_(self.optimizer)
        grad_norm = torch.nn.utils.clip_grad_norm_(self.params, self.cfg.max_grad_norm)
        if self.scaler:
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            self.optimizer.step()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        return loss_total, n_labels, sum(c["tokens"] for c in collated), sum(c["samples"] for c in collated), grad_norm, extra

    @torch.no_grad()
    def evaluate(self, step: int, back_to_training: bool = True) -> Optional[float]:
        self.events.emit("stage", name="evaluating")
        # The bare module, not the DDP wrapper: ranks may hold different numbers of eval batches, and a DDP
        # forward is a collective that would wait forever for the rank that has none left.
        eval_mod = getattr(self.loss_mod, "module", self.loss_mod)
        eval_mod.eval()
        loss_sum = torch.zeros((), dtype=torch.float64, device=self.rt.device)
        count = 0
        extra = None
        for b in self.eval_batches[self.dist.rank :: self.dist.world]:
            if self.cancel.poll():
                break
            with self._autocast():
                s, n, stats = _split(eval_mod(**self._to_device(self.objective.collate(b, self.pad_id, self.multiple_of))))
            loss_sum += s.double()
            count += int(n)
            if stats is not None:
                extra = stats.double() if extra is None else extra + stats.double()
        total, n = self.dist.all_sum([float(loss_sum), float(count)])
        eval_loss = total / n if n else None
        if eval_loss is not None:
            fields = {}
            if self.objective.stat_metrics is not None:
                sums = self.dist.all_sum([float(x) for x in extra] if extra is not None else [0.0] * self.objective.stat_count)
                measured = self.objective.stat_metrics(sums, n)
                fields = {k: measured[k] for k in ("reward_margin", "preference_accuracy") if k in measured}
            self.events.emit("eval", step=step, eval_loss=eval_loss, perplexity=math.exp(min(eval_loss, 700.0)), **fields)
        if back_to_training:
            self.events.emit("stage", name="training")
        return eval_loss

    def checkpoint(self, step: int, pos: Position) -> None:
        if self.dist.is_main:
            # The micro-batch size the position counts in: an out-of-memory restart may train with a smaller one.
            position = {**pos.as_dict(), "batch_size": self.cfg.batch_size}
            path = save_checkpoint(self.run_dir, step, self.model, self.optimizer, self.scheduler, self.scaler, position, self.cfg.keep_checkpoints)
            self.events.emit("checkpoint", step=step, path=path)
        self.dist.barrier()

    def run(self, step: int, pos: Position) -> LoopResult:
        cfg, dist = self.cfg, self.dist
        per_step = cfg.grad_accum * dist.world
        result = LoopResult(step, False, None, None, 0.0, 0)
        win_loss, win_labels, win_tokens, win_samples, win_time = torch.zeros((), device=self.rt.device), 0, 0, 0, 0.0
        win_extra = None
        last_status = 0.0
        batches = epoch_batches(self.rows, cfg.batch_size, cfg.seed, pos.epoch, dist.world)
        while step < self.total_steps:
            if pos.batch >= len(batches):
                pos.epoch, pos.batch = pos.epoch + 1, 0
                batches = epoch_batches(self.rows, cfg.batch_size, cfg.seed, pos.epoch, dist.world)
            chunk = batches[pos.batch : pos.batch + per_step]
            lr = self.scheduler.get_last_lr()[0]
            t0 = time.perf_counter()
            oom_test_hook(cfg.batch_size, step)
            loss_sum, n_labels, tokens, samples, grad_norm, extra = self._step(chunk[dist.rank :: dist.world])
            pos.batch += len(chunk)
            step += 1
            # One collective per step: global token counts and whether any process was asked to stop.
            tokens, samples, stop = (int(x) for x in dist.all_sum([tokens, samples, float(self.cancel.poll())]))
            if stop:
                self.cancel.requested = True
            if self.rt.device.type == "cuda" and (step % cfg.log_every == 0 or step == self.total_steps):
                torch.cuda.synchronize()
            dt = time.perf_counter() - t0
            win_loss += loss_sum
            if extra is not None:
                win_extra = extra if win_extra is None else win_extra + extra
            win_labels += n_labels
            win_tokens += tokens
            win_samples += samples
            win_time += dt
            result.train_time += dt
            result.session_tokens += tokens
            pos.tokens_seen += tokens
            pos.samples_seen += samples
            if step % cfg.log_every == 0 or step == self.total_steps or self.cancel.requested:
                total_loss, total_labels = dist.all_sum([float(win_loss), float(win_labels)])
                loss = total_loss / max(total_labels, 1)
                util, mem = perf.gpu_stats(self.rt.device)
                gn = float(grad_norm)
                preference = {}
                if self.objective.stat_metrics is not None:
                    sums = dist.all_sum([float(x) for x in win_extra] if win_extra is not None else [0.0] * self.objective.stat_count)
                    preference = self.objective.stat_metrics(sums, total_labels)
                self.events.emit(
                    "metrics",
                    step=step,
                    total_steps=self.total_steps,
                    epoch=round(pos.epoch + pos.batch / max(1, len(batches)), 4),
                    loss=loss,
                    learning_rate=lr,
                    grad_norm=gn if math.isfinite(gn) else None,
                    tokens_per_s=win_tokens / max(win_time, 1e-9),
                    samples_per_s=win_samples / max(win_time, 1e-9),
                    tokens_seen=pos.tokens_seen,
                    gpu_util=util,
                    gpu_mem_gb=mem,
                    **preference,
                )
                result.final_loss = loss
                win_loss, win_labels, win_tokens, win_samples, win_time = torch.zeros((), device=self.rt.device), 0, 0, 0, 0.0
                win_extra = None
            now = time.monotonic()
            if now - last_status >= 1.0 or step == self.total_steps:
                self.status.write(step=step)
                last_status = now
            result.step = step
            if self.cancel.requested:
                self.checkpoint(step, pos)
                result.last_checkpoint_step = step
                result.cancelled = True
                return result
            if cfg.eval_every and step % cfg.eval_every == 0 and step < self.total_steps and self.eval_batches:
                loss_eval = self.evaluate(step)
                if loss_eval is not None:
                    result.eval_losses.append(loss_eval)
            if cfg.save_every and step % cfg.save_every == 0 and step < self.total_steps:
                self.checkpoint(step, pos)
                result.last_checkpoint_step = step
        return result
