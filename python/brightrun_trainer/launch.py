"""Entry of `train`: runs in this process, or, when num_gpus > 1, supervises one process per GPU under torchrun.

On a Slurm cluster the batch script starts this entry once per node (srun) with BRIGHTRUN_NNODES,
BRIGHTRUN_NPROC_PER_NODE, BRIGHTRUN_NODE_RANK and BRIGHTRUN_RDZV_ENDPOINT set: each node's supervisor then runs
torchrun with a c10d rendezvous on the first node, and only the first node's supervisor writes to the run.

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

from .runtime import CANCEL_FILE, PREEMPT_FILE, REQUEUE_EXIT


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
    cluster = cluster_layout(os.environ)
    if cluster is not None and "WORLD_SIZE" not in os.environ:
        return supervise(run_dir, resume, cluster["nproc_per_node"], cluster)
    if "WORLD_SIZE" in os.environ or _num_gpus(run_dir) <= 1:
        if "WORLD_SIZE" in os.environ:
            _die_with_parent()
        from .run import train

        return train(run_dir, resume)
    return supervise(run_dir, resume, _num_gpus(run_dir))


def cluster_layout(env) -> dict | None:
    """The multi-node layout a Slurm batch script passes down, or None outside a cluster job."""
    if "BRIGHTRUN_NNODES" not in env:
        return None
    try:
        layout = {
            "nnodes": int(env["BRIGHTRUN_NNODES"]),
            "nproc_per_node": max(1, int(env.get("BRIGHTRUN_NPROC_PER_NODE", "1"))),
            # srun sets SLURM_NODEID per node; the batch script cannot, it runs once.
            "node_rank": int(env.get("BRIGHTRUN_NODE_RANK", env.get("SLURM_NODEID", "0"))),
            "rdzv_endpoint": env["BRIGHTRUN_RDZV_ENDPOINT"],
            "rdzv_id": env.get("BRIGHTRUN_RDZV_ID", "brightrun"),
        }
    except (KeyError, ValueError) as exc:
        raise SystemExit(
            f"error: incomplete cluster layout in the environment ({exc}); the batch script sets BRIGHTRUN_NNODES, "
            "BRIGHTRUN_NPROC_PER_NODE, BRIGHTRUN_NODE_RANK and BRIGHTRUN_RDZV_ENDPOINT"
        ) from exc
    return layout


def torchrun_args(nproc: int, cluster: dict | None) -> list:
    if cluster is None:
        return ["--standalone", f"--nproc_per_node={nproc}"]
    return [
        f"--nnodes={cluster['nnodes']}",
        f"--node_rank={cluster['node_rank']}",
        f"--nproc_per_node={nproc}",
        "--rdzv_backend=c10d",
        f"--rdzv_endpoint={cluster['rdzv_endpoint']}",
        f"--rdzv_id={cluster['rdzv_id']}",
        # The first node hosts the rendezvous store; said explicitly, since nodes may share a hostname.
        f"--rdzv_conf=is_host={1 if cluster['node_rank'] == 0 else 0}",
    ]


def _die_with_parent() -> None:
    """Linux: if torchrun disappears (killed hard), take the worker down too instead of leaving it on the GPU."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def supervise(run_dir: str, resume: bool, nproc: int, cluster: dict | None = None) -> int:
    from .events import EventWriter, StatusWriter

    writes_run = cluster is None or cluster["node_rank"] == 0
    cancel_file = os.path.join(run_dir, CANCEL_FILE)
    if cluster is None and os.path.exists(cancel_file):
        os.remove(cancel_file)  # a leftover from an earlier cancel must not stop the resumed run (the batch script does it on a cluster)
    cmd = [sys.executable, "-m", "torch.distributed.run", *torchrun_args(nproc, cluster), "-m", "brightrun_trainer", "train", "--run-dir", run_dir] + (
        ["--resume"] if resume else []
    )
    env = dict(os.environ, BRIGHTRUN_SUPERVISOR_PID=str(os.getpid()), OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    events_path = os.path.join(run_dir, "events.jsonl")
    child = subprocess.Popen(cmd, env=env, start_new_session=True, preexec_fn=_die_with_parent)

    stopped_by_scheduler = []

    def request_cancel(signum, frame):
        if cluster is not None:
            # Slurm is ending (or requeueing) the job and signals every process: the workers checkpoint on their
            # own; a user's cancel comes as the request file, which BrightRun writes itself.
            stopped_by_scheduler.append(signum)
            return
        with open(cancel_file, "w", encoding="utf-8") as f:
            f.write(f"signal {signum}\n")

    signal.signal(signal.SIGTERM, request_cancel)
    signal.signal(signal.SIGINT, request_cancel)
    code = child.wait()
    if not writes_run:
        return code
    if cluster is None and os.path.exists(cancel_file):
        os.remove(cancel_file)
    if code == REQUEUE_EXIT or (cluster is not None and (stopped_by_scheduler or os.path.exists(os.path.join(run_dir, PREEMPT_FILE)))):
        return REQUEUE_EXIT  # stopped for the scheduler with a checkpoint; the requeued job continues the run
    state = _final_state(events_path)
    if state is None:
        # The workers died without reporting; say so in the run's own log and status.
        writer = EventWriter(events_path)
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        writer.emit(
            "error",
            kind="killed" if code < 0 or code in (137, 143) else "exception",
            message=f"the training processes stopped without reporting ({how}).",
            hint="See trainer.log; if the machine ran out of memory, lower batch_size or max_seq_len.",
        )
        writer.emit("done", state="failed", adapter=None, summary={"steps": 0, "total_tokens": 0, "wall_s": 0.0, "tokens_per_s": 0.0})
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
