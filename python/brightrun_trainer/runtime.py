"""Process-level plumbing: the distributed context (one process per GPU under torchrun) and cancellation."""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass
from typing import List

import torch

CANCEL_FILE = "cancel.request"
# Dropped by a Slurm batch script when Slurm warns that the job's time is up or that it will be preempted: the
# run checkpoints and stops without `done`, the job is requeued, and the next job resumes the same run.
PREEMPT_FILE = "preempt.request"
# The trainer's exit code after stopping for a requeue (not a failure, not the end of the run).
REQUEUE_EXIT = 3


@dataclass
class Dist:
    rank: int
    world: int
    local_rank: int
    device: torch.device

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def all_sum(self, values: List[float]) -> List[float]:
        """Sums a few numbers over all processes (one small collective)."""
        if self.world == 1:
            return list(values)
        t = torch.tensor(values, dtype=torch.float64, device=self.device if self.device.type == "cuda" else "cpu")
        torch.distributed.all_reduce(t)
        return t.tolist()

    def barrier(self) -> None:
        if self.world > 1:
            torch.distributed.barrier()


def init_dist() -> Dist:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    device = torch.device("cuda", local_rank) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    if world > 1 and not torch.distributed.is_initialized():
        torch.distributed.init_process_group(backend="nccl" if cuda else "gloo")
    return Dist(rank, world, local_rank, device)


def close_dist() -> None:
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


class Cancellation:
    """SIGTERM (or a first Ctrl-C) asks the run to stop after the current step, with a checkpoint.

    A second Ctrl-C stops at once. SIGTERM is idempotent because a process group may receive it more than once
    (from the launcher and from torchrun). Under torchrun the supervisor drops CANCEL_FILE into the run folder
    instead, so that the agent never gets the signal and cannot kill the workers before they have checkpointed.
    """

    def __init__(self, run_dir: str):
        self.requested = False
        self.file = os.path.join(run_dir, CANCEL_FILE)
        self.preempt_file = os.path.join(run_dir, PREEMPT_FILE)
        self.signalled = False
        self._interrupts = 0

    def install(self) -> None:
        self._previous = (signal.signal(signal.SIGTERM, self._on_term), signal.signal(signal.SIGINT, self._on_int))

    def uninstall(self) -> None:
        """Restores the previous handlers (matters when a run is started in-process, as the tests do)."""
        if getattr(self, "_previous", None):
            signal.signal(signal.SIGTERM, self._previous[0])
            signal.signal(signal.SIGINT, self._previous[1])
            self._previous = None

    def _on_term(self, signum, frame) -> None:
        self.signalled = True
        if not self.requested:
            print("cancel requested: finishing the current step, then saving a checkpoint", file=sys.stderr, flush=True)
        self.requested = True

    def _on_int(self, signum, frame) -> None:
        self._interrupts += 1
        if self._interrupts > 1:
            raise KeyboardInterrupt
        self._on_term(signum, frame)

    def poll(self) -> bool:
        if not self.requested and (os.path.exists(self.file) or os.path.exists(self.preempt_file)):
            self.requested = True
        return self.requested

    @property
    def preempted(self) -> bool:
        """The stop was asked by the scheduler, not by the user: the run goes on in a requeued job, or the host
        reports why the scheduler ended it. In a Slurm job (its batch script sets BRIGHTRUN_NNODES), a user's cancel arrives as CANCEL_FILE and Slurm's own
        stops as PREEMPT_FILE (its warning signal) or as SIGTERM to every process (time limit, scancel, preemption)."""
        if not self.requested or os.path.exists(self.file):
            return False
        return os.path.exists(self.preempt_file) or (self.signalled and "BRIGHTRUN_NNODES" in os.environ)
