"""The run queue of one host: <workdir>/queue.json, changed under a lock (fcntl on queue.json.lock) and replaced
atomically. Each run that is launched on a local or SSH host enters it; a small waiter (queue_waiter.py) holds the
run's pid while it waits and becomes the trainer (exec) when its turn comes.

The file keeps the order (first in, first out) and who holds which GPUs:

    {"v": 1, "entries": [{"run_id", "run_dir", "gpus", "max_runs", "state": "waiting" | "running",
                           "pid", "pid_start", "devices", "queued_at"}]}

A running entry's GPUs are free again once its process is gone (checked by pid and the process's start time, so a
reused pid after a restart does not hold a slot); nothing has to clean up after a trainer that died. A waiting
entry whose waiter is gone (the machine restarted) keeps its place: the next attach starts its waiter again.

Capacity (decided here, explained in the README): a run needs `gpus` GPUs (at most all the host has), and GPUs are
given out by index (CUDA_VISIBLE_DEVICES), so runs that ask for fewer GPUs than the host has share it, and a run
that asks for all of them waits for an empty host. A host without GPUs runs one run at a time: a CPU run already
uses every core, so a second one would only halve the speed of both and double the memory. `max_runs` (the host
setting maxConcurrentRuns) caps the number of runs at once on top of that, and on a CPU host raises the default
of 1. The queue is strict FIFO: a run that does not fit holds back the runs behind it, so small runs cannot starve
a large one.

Everything below `decide` is pure (no files), so the rules are unit-tested on plain dicts.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from datetime import datetime, timezone
from typing import Callable, Dict, Iterator, List, Optional

QUEUE_FILE = "queue.json"
LOCK_FILE = "queue.json.lock"


class QueueFileError(Exception):
    """queue.json cannot be read as a queue: it is left as it is, and nothing is changed until it is fixed."""


# ---- pure rules ----


def empty_queue() -> dict:
    return {"v": 1, "entries": []}


def parse_queue(text: str, path: str) -> dict:
    """The queue in `text`, or QueueFileError saying what is wrong and what to do."""
    fix = f"fix it or move it away (the runs waiting in it then enter a new queue at its end): {path}"
    try:
        data = json.loads(text)
    except ValueError as e:
        raise QueueFileError(f"the host's run queue is not valid JSON ({e}); {fix}") from e
    if not isinstance(data, dict) or data.get("v") != 1 or not isinstance(data.get("entries"), list):
        raise QueueFileError(f'the host\'s run queue is not a BrightRun queue (expected {{"v": 1, "entries": [...]}}); {fix}')
    for i, e in enumerate(data["entries"]):
        ok = (
            isinstance(e, dict)
            and isinstance(e.get("run_id"), str)
            and isinstance(e.get("run_dir"), str)
            and e.get("state") in ("waiting", "running")
            and isinstance(e.get("gpus"), int)
            and (e.get("pid") is None or isinstance(e.get("pid"), int))
        )
        if not ok:
            raise QueueFileError(f"entry {i + 1} of the host's run queue is damaged ({json.dumps(e)[:200]}); {fix}")
    return data


def _held_devices(entries: List[dict], alive: Callable[[dict], bool]) -> List[int]:
    return [d for e in entries if e["state"] == "running" and alive(e) for d in (e.get("devices") or [])]


def decide(entries: List[dict], pool: List[int], alive: Callable[[dict], bool]) -> Dict[str, List[int]]:
    """Which waiting runs may start now, with the GPU indices each gets (empty on a CPU host).

    `pool`: the host's GPU indices; `alive(entry)`: whether the entry's process (waiter or trainer) lives."""
    running = [e for e in entries if e["state"] == "running" and alive(e)]
    held = set(_held_devices(entries, alive))
    free = [d for d in pool if d not in held]
    count = len(running)
    grants: Dict[str, List[int]] = {}
    for e in entries:
        if e["state"] != "waiting":
            continue
        if not alive(e):
            continue  # its waiter is gone (a restart): it keeps its place but cannot use a slot until it is back
        limit = e.get("max_runs") or (max(1, len(pool)) if pool else 1)
        need = min(max(1, e["gpus"]), len(pool)) if pool else 0
        if count >= limit or need > len(free):
            break  # first in, first out: nobody overtakes a run that does not fit yet
        grants[e["run_id"]] = free[:need]
        free = free[need:]
        count += 1
    return grants


def positions(entries: List[dict]) -> Dict[str, int]:
    """1 = next to start, among the runs still waiting (whether or not their waiter is up)."""
    waiting = [e["run_id"] for e in entries if e["state"] == "waiting"]
    return {run_id: i + 1 for i, run_id in enumerate(waiting)}


def wait_reason(entries: List[dict], run_id: str, pool: List[int], alive: Callable[[dict], bool]) -> str:
    """Why a waiting run has not started, in words."""
    pos = positions(entries).get(run_id)
    if pos is not None and pos > 1:
        return f"{pos - 1} run{'s' if pos > 2 else ''} ahead in this host's queue"
    entry = next((e for e in entries if e["run_id"] == run_id), None)
    running = [e for e in entries if e["state"] == "running" and alive(e)]
    if entry is not None and pool:
        need = min(max(1, entry["gpus"]), len(pool))
        free = len(pool) - len(set(_held_devices(entries, alive)))
        if need > free:
            return f"waiting for {need} free GPU{'s' if need > 1 else ''} ({free} of {len(pool)} free)"
    limit = (entry or {}).get("max_runs") or (max(1, len(pool)) if pool else 1)
    return f"waiting for a run to end ({len(running)} of {limit} running on this host)"


def move_up(entries: List[dict], run_id: str) -> List[dict]:
    """The run one place nearer the front among the waiting runs; running entries keep their place."""
    waiting = [i for i, e in enumerate(entries) if e["state"] == "waiting"]
    where = next((k for k, i in enumerate(waiting) if entries[i]["run_id"] == run_id), None)
    if where is None:
        raise KeyError(f"run {run_id} is not waiting in this host's queue")
    if where == 0:
        return list(entries)
    a, b = waiting[where - 1], waiting[where]
    moved = list(entries)
    moved[a], moved[b] = moved[b], moved[a]
    return moved


def without(entries: List[dict], run_id: str) -> List[dict]:
    return [e for e in entries if e["run_id"] != run_id]


def pruned(entries: List[dict], alive: Callable[[dict], bool]) -> List[dict]:
    """Running entries whose process has gone have ended: their GPUs are free and they leave the file."""
    return [e for e in entries if e["state"] == "waiting" or alive(e)]


# ---- the host: processes, GPUs, the file ----


def process_start(pid: int) -> Optional[str]:
    """The process's start time in clock ticks since boot (Linux), which tells a reused pid apart; None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", encoding="latin-1") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None  # field 22 of stat; fields[0] is field 3


def process_alive(pid: Optional[int], start: Optional[str]) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        with open(f"/proc/{pid}/stat", encoding="latin-1") as f:
            stat = f.read()
    except OSError:
        return True  # no /proc (macOS): signal 0 is the best answer there
    if stat[stat.rfind(")") + 2 :].startswith("Z"):
        return False
    return start is None or process_start(pid) == start


def entry_alive(entry: dict) -> bool:
    return process_alive(entry.get("pid"), entry.get("pid_start"))


def gpu_pool(env=os.environ) -> List[int]:
    """The GPU indices runs may be given: CUDA_VISIBLE_DEVICES when set, else every GPU nvidia-smi lists (the query
    preflight uses)."""
    visible = env.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        return [int(d) for d in visible.split(",") if d.strip().isdigit()]
    exe = shutil.which("nvidia-smi")
    if not exe:
        return []
    try:
        out = subprocess.run([exe, "--query-gpu=index", "--format=csv,noheader,nounits"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [int(line.strip()) for line in out.stdout.splitlines() if out.returncode == 0 and line.strip().isdigit()]


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class HostQueue:
    """queue.json in a host's work directory. Every change goes through `changing()`, under the lock."""

    def __init__(self, workdir: str):
        self.workdir = os.path.abspath(os.path.expanduser(workdir))
        self.path = os.path.join(self.workdir, QUEUE_FILE)

    def read(self) -> dict:
        try:
            with open(self.path, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            return empty_queue()
        return parse_queue(text, self.path)

    @contextlib.contextmanager
    def changing(self) -> Iterator[dict]:
        """Yields the queue under the lock; what the block leaves in it is written back atomically. An exception
        (a damaged file included) writes nothing."""
        import fcntl

        os.makedirs(self.workdir, exist_ok=True)
        with open(os.path.join(self.workdir, LOCK_FILE), "a+") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # released by the kernel if this process dies
            queue = self.read()
            before = json.dumps(queue, sort_keys=True)
            yield queue
            if json.dumps(queue, sort_keys=True) != before:
                from .events import write_json_atomic

                write_json_atomic(self.path, queue)

    def listing(self) -> List[dict]:
        """The entries in order, each with its position (waiting) and whether its process is up."""
        queue = self.read()
        where = positions(queue["entries"])
        return [
            {
                "run_id": e["run_id"],
                "run_dir": e["run_dir"],
                "state": e["state"],
                "position": where.get(e["run_id"]),
                "gpus": e["gpus"],
                "devices": e.get("devices") or [],
                "pid": e.get("pid"),
                "alive": entry_alive(e),
                "queued_at": e.get("queued_at"),
            }
            for e in queue["entries"]
            if e["state"] == "waiting" or entry_alive(e)
        ]

    def move_up(self, run_id: str) -> int:
        """Moves a waiting run one place up; returns its new position."""
        with self.changing() as queue:
            queue["entries"] = move_up(queue["entries"], run_id)
            return positions(queue["entries"])[run_id]
