"""Entry of `train`: runs in this process, or, when num_gpus > 1, supervises one process per GPU under torchrun.

The supervisor keeps the pid the launcher knows. torchrun runs in its own session so a SIGTERM sent to the run's
process group reaches only the supervisor, which turns it into a cancel request file that every worker sees
(torchrun would otherwise SIGKILL workers 30 s after forwarding the signal, possibly mid-checkpoint). If the
workers die without writing `done` (e.g. killed by the OOM killer), the supervisor writes the error and `done`.
"""
from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys

from .runtime import CANCEL_FILE


def _num_gpus(run_dir: str) -> int:
    try:
        with open(os.path.join(run_dir, "config.json"), encoding="utf-8") as f:
            value = json.load(f).get("num_gpus", 1)
        return value if isinstance(value, int) and value > 0 else 1
    except (OSError, ValueError, AttributeError):
        return 1  # the worker reports the config error properly


def train_command(run_dir: str, resume: bool = False) -> int:
    run_dir = os.path.abspath(run_dir)
    if not os.path.isdir(run_dir):
        print(f"error: run directory {run_dir} does not exist", file=sys.stderr)
        return 2
    if "WORLD_SIZE" in os.environ or _num_gpus(run_dir) <= 1:
        if "WORLD_SIZE" in os.environ:
            _die_with_parent()
        from .run import train
        return train(run_dir, resume)
    return supervise(run_dir, resume, _num_gpus(run_dir))


def _die_with_parent() -> None:
    """Linux: if torchrun disappears (killed hard), take the worker down too instead of leaving it on the GPU."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def supervise(run_dir: str, resume: bool, nproc: int) -> int:
    from .events import EventWriter, StatusWriter

    cancel_file = os.path.join(run_dir, CANCEL_FILE)
    if os.path.exists(cancel_file):
        os.remove(cancel_file)  # a leftover from an earlier cancel must not stop the resumed run
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}",
           "-m", "brightrun_trainer", "train", "--run-dir", run_dir] + (["--resume"] if resume else [])
    env = dict(os.environ, BRIGHTRUN_SUPERVISOR_PID=str(os.getpid()), OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    events_path = os.path.join(run_dir, "events.jsonl")
    child = subprocess.Popen(cmd, env=env, start_new_session=True, preexec_fn=_die_with_parent)

    def request_cancel(signum, frame):
        with open(cancel_file, "w", encoding="utf-8") as f:
            f.write(f"signal {signum}\n")

    signal.signal(signal.SIGTERM, request_cancel)
    signal.signal(signal.SIGINT, request_cancel)
    code = child.wait()
    if os.path.exists(cancel_file):
        os.remove(cancel_file)
    state = _final_state(events_path)
    if state is None:
        # The workers died without reporting; say so in the run's own log and status.
        writer = EventWriter(events_path)
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        writer.emit("error", kind="killed" if code < 0 or code in (137, 143) else "exception",
                    message=f"the training processes stopped without reporting ({how}).",
                    hint="See trainer.log; if the machine ran out of memory, lower batch_size or max_seq_len.")
        writer.emit("done", state="failed", adapter=None,
                    summary={"steps": 0, "total_tokens": 0, "wall_s": 0.0, "tokens_per_s": 0.0})
        writer.close()
        StatusWriter(os.path.join(run_dir, "status.json")).write(state="failed", exit_reason=f"training processes stopped ({how})")
        return 1
    return 0 if state in ("completed", "cancelled") else 1


def _final_state(events_path: str):
    state = None
    try:
        with open(events_path, "rb") as f:
            for raw in f:
                try:
                    event = json.loads(raw)
                except ValueError:
                    continue
                if event.get("type") == "done":
                    state = event.get("state")
                elif event.get("type") in ("stage", "plan") and event.get("name") != "done":
                    state = None if event.get("type") == "stage" and event.get("name") == "preparing" else state
    except OSError:
        return None
    return state
