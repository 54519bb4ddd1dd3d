"""Event protocol v1 writer (events.jsonl) and the atomic status.json writer.

The shapes are defined once, in src/contracts/events.ts and status.ts; their JSON Schemas live in schemas/ and
the tests check every event written here against them.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import sys
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import IO, Any, Callable, List, Optional


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _clean(value: Any) -> Any:
    """JSON has no NaN/inf; the protocol uses null where a number is unknown."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None or k in _KEEP_NULL}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _nullable_fields(schema: Any) -> frozenset:
    """Names of the properties whose JSON Schema type includes null, anywhere in the schema."""
    found = set()
    if isinstance(schema, dict):
        for name, prop in (schema.get("properties") or {}).items():
            types = prop.get("type") if isinstance(prop, dict) else None
            if isinstance(types, list) and "null" in types:
                found.add(name)
        for value in schema.values():
            found |= _nullable_fields(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _nullable_fields(value)
    return frozenset(found)


def _load_events_schema() -> dict:
    with open(os.path.join(os.path.dirname(__file__), "schemas", "events.schema.json"), encoding="utf-8") as f:
        return json.load(f)


# Fields whose null is meaningful in the protocol (the others are simply left out when unknown): those the events
# schema (generated from src/contracts/events.ts) declares nullable, so a field added there needs no edit here.
_KEEP_NULL = _nullable_fields(_load_events_schema())


def last_seq(path: str) -> int:
    """The highest seq already in an events file, so a resumed run continues the sequence without gaps."""
    if not os.path.exists(path):
        return 0
    best = 0
    with open(path, "rb") as f:
        for raw in f:
            try:
                best = max(best, int(json.loads(raw).get("seq", 0)))
            except (ValueError, AttributeError):
                continue  # a torn last line from a crash: the next event gets a fresh seq anyway
    return best


class EventWriter:
    """Appends one JSON object per line and flushes after each, so a follower sees every event at once.

    Only rank 0 writes in a distributed run; other ranks get a writer with enabled=False.
    """

    def __init__(self, path: Optional[str], enabled: bool = True, echo: Optional[IO[str]] = None, stream: Optional[IO[str]] = None):
        self.enabled = enabled
        self.path = path
        self.echo = echo
        self._file: Optional[IO[str]] = None
        self.seq = 0
        # Called with each event once it is written (the experiment trackers, trackers.py).
        self.listeners: List[Callable[[dict], None]] = []
        if not enabled:
            return
        if stream is not None:
            self._file = stream
        elif path is not None:
            self.seq = last_seq(path)
            self._ensure_line_start(path)
            self._file = open(path, "a", encoding="utf-8")

    @staticmethod
    def _ensure_line_start(path: str) -> None:
        # A previous process killed mid-write may have left a partial line; start ours on a fresh one.
        if os.path.exists(path) and os.path.getsize(path) > 0:
            with open(path, "rb") as f:
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    with open(path, "ab") as g:
                        g.write(b"\n")

    def emit(self, type_: str, **fields: Any) -> Optional[dict]:
        if not self.enabled or self._file is None:
            return None
        self.seq += 1
        event = {"v": 1, "seq": self.seq, "ts": now_iso(), "type": type_}
        event.update(_clean(fields))
        self._file.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._file.flush()
        if self.echo is not None:
            self.echo.write(format_event(event) + "\n")
            self.echo.flush()
        for listener in list(self.listeners):
            listener(event)
        return event

    def close(self) -> None:
        if self._file is not None and self._file not in (sys.stdout, sys.stderr):
            try:
                os.fsync(self._file.fileno())
            except OSError:
                pass
            self._file.close()
        self._file = None


# One line per event, the same as the CLI and the monitor show (src/core/runs/formatEvent.ts). The trainer keeps
# its own formatter rather than leaving trainer.log to raw output: the log must read on its own on the GPU host
# (over SSH, in a Slurm job, in a terminal), where no TypeScript runs. The two cannot drift apart: both are
# tested against one table of event -> line, protocol/golden/event-lines.jsonl. Numbers are written as
# JavaScript writes them (toFixed, toExponential, Math.round: ties away from zero on the exact value).


def _js_format(x: float, spec: str) -> str:
    if x == 0:
        x = 0.0  # JavaScript writes -0 as 0
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        ctx.prec = 400
        return format(Decimal(x), spec)


def _fixed(x: Optional[float], digits: int = 4) -> str:
    """Number.prototype.toFixed; '-' for an unknown value."""
    return "-" if x is None else _js_format(x, f".{digits}f")


def _exponential(x: float) -> str:
    """Number.prototype.toExponential(2): 2.00e-4, 1.50e+0."""
    return _js_format(x, ".2e")


def _rounded(x: float) -> int:
    """Math.round."""
    return math.floor(x + 0.5)


def _number(x: float) -> str:
    """A number as JavaScript's String(x) writes it for the integers and short decimals settings hold."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _preference_words(e: dict) -> str:
    """A preference run's margin and accuracy (and ORPO's odds-ratio loss), where the event has them."""
    margin = f"  margin {_fixed(e['reward_margin'])}" if e.get("reward_margin") is not None else ""
    accuracy = f"  pref acc {_js_format(e['preference_accuracy'] * 100, '.1f')}%" if e.get("preference_accuracy") is not None else ""
    or_loss = f"  or_loss {_fixed(e['or_loss'])}" if e.get("or_loss") is not None else ""
    return margin + accuracy + or_loss


# The same names as TRACKER_LABELS in src/contracts/tracking.ts (the golden line table checks both).
TRACKER_LABELS = {"tensorboard": "TensorBoard", "mlflow": "MLflow", "wandb": "W&B"}


def format_event(e: dict) -> str:
    """One human-readable line per event for trainer.log / the terminal."""
    t = e["type"]
    if t == "stage":
        return f"== {e['name']}"
    if t == "plan":
        resumed = f", resumed from step {e['resumed_from_step']}" if e.get("resumed_from_step") else ""
        return (
            f"plan: {e['total_steps']} steps, {e['train_examples']} train / {e['eval_examples']} eval examples,"
            f" {e['train_tokens']} tokens on {e['device']} ({e['precision']}){resumed}"
        )
    if t == "metrics":
        total = f"/{e['total_steps']}" if e.get("total_steps") is not None else ""
        return (
            f"step {e['step']}{total}  loss {_fixed(e['loss'])}  lr {_exponential(e['learning_rate'])}"
            f"  {_rounded(e['tokens_per_s'])} tok/s{_preference_words(e)}"
        )
    if t == "eval":
        return f"eval @ step {e['step']}  eval_loss {_fixed(e['eval_loss'])}  perplexity {_fixed(e['perplexity'], 2)}{_preference_words(e)}"
    if t == "checkpoint":
        return f"checkpoint @ step {e['step']}: {e['path']}"
    if t == "log":
        return f"[{e['level']}] {e['message']}"
    if t == "error":
        where = f" [{e['file']}{':' + str(e['line']) if e.get('line') else ''}]" if e.get("file") else ""
        hint = f"\n  hint: {e['hint']}" if e.get("hint") else ""
        return f"ERROR ({e['kind']}) {e['message']}{where}{hint}"
    if t == "attempt":
        start = f"resuming from step {e['from_step']}" if e["from_step"] > 0 else "starting over (no checkpoint yet)"
        changes = ", ".join(f"{c['setting']} {_number(c['from'])} -> {_number(c['to'])}" for c in e["changes"])
        return f"attempt {e['number']} ({e['reason']}): {start}{'; ' + changes if changes else ''}\n  {e['message']}"
    if t == "tracker":
        command = f"  ({e['command']})" if e.get("command") else ""
        return f"tracking: {TRACKER_LABELS[e['tracker']]} {e['location']}{command}"
    if t == "done":
        s = e["summary"]
        adapter = f"\n  adapter: {e['adapter']}" if e.get("adapter") else ""
        return (
            f"done: {e['state']} after {s['steps']} steps in {_fixed(s['wall_s'], 1)} s ({_rounded(s['tokens_per_s'])} tok/s)"
            f", final loss {_fixed(s.get('final_loss'))}, eval loss {_fixed(s.get('final_eval_loss'))}{adapter}"
        )
    return json.dumps(e)


def write_text_atomic(path: str, text: str) -> None:
    """Temp file in the same folder + rename: a reader sees the old or the new file, never half of one."""
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_json_atomic(path: str, data: Any) -> None:
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")


class StatusWriter:
    """status.json: state, pid, pgid, step, total_steps, updated_at, exit_reason (see src/contracts/status.ts)."""

    def __init__(self, path: Optional[str], enabled: bool = True, pid: Optional[int] = None):
        self.path = path
        self.enabled = enabled and path is not None
        self.pid = pid if pid is not None else os.getpid()
        try:
            self.pgid: Optional[int] = os.getpgid(self.pid)
        except (OSError, AttributeError):
            self.pgid = None
        self.state = "running"
        self.step = 0
        self.total_steps: Optional[int] = None
        self.exit_reason: Optional[str] = None

    def write(self, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(self, key, value)
        if not self.enabled:
            return
        write_json_atomic(
            self.path,
            {
                "state": self.state,
                "pid": self.pid,
                "pgid": self.pgid,
                "step": int(self.step),
                "total_steps": None if self.total_steps is None else int(self.total_steps),
                "updated_at": now_iso(),
                "exit_reason": self.exit_reason,
            },
        )
