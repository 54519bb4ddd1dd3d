"""The detached process of a run on a local or SSH host: it enters the host's queue (host_queue.py), waits for its
turn and for capacity, then becomes the trainer (exec, so the pid and process group the launcher recorded stay the
run's). While it waits, status.json says `starting` with a `queue` (reason, position), which the follower, the
Runs view, the monitor and the CLI already show. SIGTERM (BrightRun's cancel) takes the run out of the queue and
ends it cancelled.

The run folder is <workdir>/runs/<run id>; the queue lives in <workdir>, or in --queue-dir when several work
directories share one machine (the editor's and the command line's local runs).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from typing import Optional

from .host_queue import HostQueue, QueueFileError, decide, entry_alive, gpu_pool, now_iso, positions, process_start, pruned, wait_reason

POLL_S = 0.5


def _num_gpus(run_dir: str) -> int:
    from .launch import _num_gpus as configured

    return configured(run_dir)


def _read_status(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _status(run_dir: str, previous: dict, **changes) -> dict:
    pid = os.getpid()
    try:
        pgid: Optional[int] = os.getpgid(pid)
    except OSError:
        pgid = None
    base = {
        "state": "starting",
        "pid": pid,
        "pgid": pgid,
        "step": int(previous.get("step") or 0),
        "total_steps": previous.get("total_steps"),
        "exit_reason": None,
        "queue": None,
    }
    base.update(changes)
    return base


def _write_status(run_dir: str, status: dict) -> None:
    from .events import write_json_atomic

    write_json_atomic(os.path.join(run_dir, "status.json"), {**status, "updated_at": now_iso()})


def _queue_of(run_dir: str, queue_dir: Optional[str]) -> HostQueue:
    return HostQueue(queue_dir or os.path.dirname(os.path.dirname(os.path.abspath(run_dir))))


def wait_and_train(run_dir: str, resume: bool, max_runs: Optional[int], poll_s: float = POLL_S, queue_dir: Optional[str] = None) -> int:
    run_dir = os.path.abspath(run_dir)
    if not os.path.isdir(run_dir):
        print(f"error: run directory {run_dir} does not exist", file=sys.stderr)
        return 2
    run_id = os.path.basename(run_dir)
    queue = _queue_of(run_dir, queue_dir)
    status_path = os.path.join(run_dir, "status.json")
    pid, start = os.getpid(), process_start(os.getpid())
    gpus = _num_gpus(run_dir)
    pool = gpu_pool()
    cancelled = []
    signal.signal(signal.SIGTERM, lambda signum, frame: cancelled.append(signum))
    signal.signal(signal.SIGINT, lambda signum, frame: cancelled.append(signum))
    written: Optional[dict] = None
    while True:
        previous = _read_status(status_path)
        ended_elsewhere = previous.get("state") in ("completed", "failed", "cancelled")
        granted = None
        try:
            with queue.changing() as q:
                entries = pruned(q["entries"], entry_alive)
                mine = next((e for e in entries if e["run_id"] == run_id), None)
                if mine is None:
                    mine = {"run_id": run_id, "run_dir": run_dir, "state": "waiting", "queued_at": now_iso(), "resume": resume}
                    entries.append(mine)
                elif mine.get("pid") != pid and entry_alive(mine):
                    return 0  # another waiter holds this run already (two clients revived it at once)
                resume = resume or bool(mine.get("resume"))
                mine.update(pid=pid, pid_start=start, gpus=gpus, max_runs=max_runs, state="waiting", devices=[])
                if cancelled or ended_elsewhere:
                    q["entries"] = [e for e in entries if e is not mine]
                else:
                    grants = decide(entries, pool, entry_alive)
                    if run_id in grants:
                        granted = grants[run_id]
                        mine.update(state="running", devices=granted)
                    q["entries"] = entries
                    wanted = _status(
                        run_dir,
                        previous,
                        queue=None
                        if granted is not None
                        else {"reason": wait_reason(entries, run_id, pool, entry_alive), "position": positions(entries)[run_id], "expected_start": None},
                    )
        except QueueFileError as e:
            wanted = _status(run_dir, previous, queue={"reason": str(e), "position": None, "expected_start": None})
        if ended_elsewhere:
            return 0
        if cancelled:
            _write_status(run_dir, _status(run_dir, previous, state="cancelled", exit_reason="Cancelled while waiting in the host's queue."))
            return 0
        if wanted != written or {k: previous.get(k) for k in wanted} != wanted:
            _write_status(run_dir, wanted)
            written = wanted
        if granted is not None:
            return _become_trainer(run_dir, resume, granted)
        time.sleep(poll_s)


def trainer_env(environ, devices: list) -> dict:
    """The trainer's environment: only the GPUs the queue gave it, numbered as nvidia-smi numbers them."""
    env = dict(environ)
    if devices:
        # nvidia-smi numbers GPUs by PCI bus; CUDA's default order may differ.
        env.update(CUDA_VISIBLE_DEVICES=",".join(str(d) for d in devices), CUDA_DEVICE_ORDER="PCI_BUS_ID")
    return env


def _become_trainer(run_dir: str, resume: bool, devices: list) -> int:
    env = trainer_env(os.environ, devices)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)
    argv = [sys.executable, "-m", "brightrun_trainer", "train", "--run-dir", run_dir] + (["--resume"] if resume else [])
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, argv, env)
    return 1  # not reached


def revive(run_dir: str, max_runs: Optional[int], queue_dir: Optional[str] = None) -> dict:
    """Starts the waiter again for a run that waits in the queue without one (its machine restarted), under the
    queue's lock so that two clients attaching at once start one waiter. Returns {"started": bool, "pid", "pgid"}."""
    import subprocess

    run_dir = os.path.abspath(run_dir)
    run_id = os.path.basename(run_dir)
    queue = _queue_of(run_dir, queue_dir)
    with queue.changing() as q:
        mine = next((e for e in q["entries"] if e["run_id"] == run_id), None)
        if mine is not None and entry_alive(mine):
            return {"started": False, "pid": mine["pid"], "pgid": mine["pid"]}
        if mine is None and _read_status(os.path.join(run_dir, "status.json")).get("state") != "starting":
            return {"started": False, "pid": None, "pgid": None}  # it ended or never queued: nothing to wait for
        argv = [sys.executable, "-m", "brightrun_trainer", "queue", "wait", "--run-dir", run_dir]
        argv += ["--max-runs", str(max_runs)] if max_runs else []
        argv += ["--queue-dir", queue.workdir] if queue_dir else []
        with open(os.path.join(run_dir, "trainer.log"), "ab") as log:
            child = subprocess.Popen(argv, cwd=run_dir, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        if mine is not None:
            # Recorded before the lock is released: a second client sees this waiter alive and starts none.
            mine.update(pid=child.pid, pid_start=process_start(child.pid))
        return {"started": True, "pid": child.pid, "pgid": child.pid}


def cancel_waiting(run_dir: str, queue_dir: Optional[str] = None) -> bool:
    """Takes a run whose waiter is gone out of the queue and ends it cancelled; False when it is not waiting."""
    run_dir = os.path.abspath(run_dir)
    run_id = os.path.basename(run_dir)
    queue = _queue_of(run_dir, queue_dir)
    with queue.changing() as q:
        mine = next((e for e in q["entries"] if e["run_id"] == run_id and e["state"] == "waiting"), None)
        if mine is None or entry_alive(mine):
            return False  # a live waiter is cancelled by its signal; a running trainer by the usual cancel
        q["entries"] = [e for e in q["entries"] if e is not mine]
        previous = _read_status(os.path.join(run_dir, "status.json"))
        _write_status(
            run_dir, {**_status(run_dir, previous, state="cancelled", exit_reason="Cancelled while waiting in the host's queue."), "pid": None, "pgid": None}
        )
        return True


def queue_command(args) -> int:
    if args.queue_command == "wait":
        return wait_and_train(args.run_dir, args.resume, args.max_runs, queue_dir=args.queue_dir)
    try:
        if args.queue_command == "revive":
            print(json.dumps(revive(args.run_dir, args.max_runs, args.queue_dir)))
            return 0
        if args.queue_command == "cancel":
            print(json.dumps({"cancelled": cancel_waiting(args.run_dir, args.queue_dir)}))
            return 0
        queue = HostQueue(args.workdir)
        if args.queue_command == "list":
            print(json.dumps({"queue": queue.listing()}, indent=2))
            return 0
        if args.queue_command == "move-up":
            print(json.dumps({"run_id": args.run_id, "position": queue.move_up(args.run_id)}))
            return 0
    except QueueFileError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyError as e:
        print(f"error: {e.args[0]}", file=sys.stderr)
        return 1
    return 2
