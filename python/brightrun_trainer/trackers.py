"""Experiment trackers: TensorBoard, MLflow and Weights & Biases receive a run's config, every metrics and eval
event, and its end state (settings: the trainer config's `tracking`, src/contracts/tracking.ts).

A tracker is the user's choice, not a requirement of the trainer: a package missing on the host, or a server that
cannot be reached, costs that tracker (a warning `log` event says what is missing and the pip command that fixes
it), never the run. Each tracker that starts writes a `tracker` event saying where its metrics go. The MLflow and
W&B run ids are kept in <run>/tracking.json so a resumed run continues the same tracker run.
"""

from __future__ import annotations

import json
import math
import os
import shlex
import shutil
import sys
import time
import traceback
from typing import Any, Dict, List, Optional

from .events import write_json_atomic

STATE_FILE = "tracking.json"
# The pip name of each tracker (the same as its import name).
PACKAGES = {"tensorboard": "tensorboard", "mlflow": "mlflow", "wandb": "wandb"}
# The distributions that provide each one: MLflow's client alone is mlflow-skinny (the same `mlflow` module).
DISTRIBUTIONS = {"tensorboard": ("tensorboard",), "mlflow": ("mlflow", "mlflow-skinny"), "wandb": ("wandb",)}
LABELS = {"tensorboard": "TensorBoard", "mlflow": "MLflow", "wandb": "W&B"}
MLFLOW_STATUS = {"completed": "FINISHED", "failed": "FAILED", "cancelled": "KILLED"}
# An adapter larger than this is not uploaded to MLflow (a LoRA adapter is a few MB; a huge one would hold the
# end of the run hostage to the network).
MLFLOW_ARTIFACT_MAX_BYTES = 200 * 1024 * 1024
# Without these MLflow retries a dead server for minutes on every call; the user's own settings win.
MLFLOW_NETWORK_DEFAULTS = {"MLFLOW_HTTP_REQUEST_MAX_RETRIES": "1", "MLFLOW_HTTP_REQUEST_TIMEOUT": "15"}


def installed_trackers() -> Dict[str, Optional[str]]:
    """The version of each tracker package this Python has, None when absent (for preflight)."""
    from importlib import metadata

    found: Dict[str, Optional[str]] = {}
    for name, distributions in DISTRIBUTIONS.items():
        found[name] = None
        for distribution in distributions:
            try:
                found[name] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return found


def pip_command(tracker: str) -> str:
    """The exact command that installs a tracker into the Python running this trainer."""
    return f"{shlex.quote(sys.executable)} -m pip install {PACKAGES[tracker]}"


def tensorboard_command(logdir: str) -> str:
    """`tensorboard --logdir DIR` when the tensorboard command is on this host's PATH; else through the trainer's own
    Python (a managed environment's bin folder is not on PATH), which has the package since it writes the files."""
    program = "tensorboard" if shutil.which("tensorboard") else f"{shlex.quote(sys.executable)} -m tensorboard.main"
    return f"{program} --logdir {shlex.quote(logdir)}"


def flat_params(config: dict) -> Dict[str, Any]:
    """The run config as flat "lora.r"-style params with scalar values (lists as JSON); tracking itself left out."""
    out: Dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else key, inner)
        elif isinstance(value, (list, tuple)):
            out[prefix] = json.dumps(value)
        elif value is None:
            out[prefix] = "null"
        else:
            out[prefix] = value

    walk("", {k: v for k, v in config.items() if k not in ("tracking", "v")})
    return out


def _scalars(event: dict, skip: tuple = ("v", "seq", "ts", "type", "step", "total_steps")) -> Dict[str, float]:
    return {k: float(v) for k, v in event.items() if k not in skip and isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))}


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


class TensorBoardTracker:
    name = "tensorboard"

    def __init__(self, run_dir: str, run_name: str, params: Dict[str, Any], resume_step: Optional[int], state: dict):
        import tensorboard  # noqa: F401 - torch's writer needs it; importing it first names the package that is missing
        from torch.utils.tensorboard import SummaryWriter

        self.logdir = os.path.join(run_dir, "tensorboard")
        # purge_step hides what a crashed attempt logged past the checkpoint this one resumes from.
        self.writer = SummaryWriter(log_dir=self.logdir, purge_step=resume_step or None, flush_secs=5)
        self.params = params
        if not resume_step:
            self.writer.add_text("config", "```\n" + json.dumps(params, indent=2) + "\n```", 0)

    def started(self) -> dict:
        return {"location": self.logdir, "command": tensorboard_command(self.logdir)}

    def log(self, prefix: str, step: int, values: Dict[str, float]) -> None:
        for key, value in values.items():
            self.writer.add_scalar(f"{prefix}/{key}", value, step)
        self.writer.flush()  # a metrics point is worth seeing now, and the events come at log_every anyway

    def finish(self, state: str, adapter: Optional[str], summary: dict) -> None:
        hparams = {k: v for k, v in self.params.items() if isinstance(v, (int, float, str, bool))}
        final = {f"final/{k}": float(v) for k, v in summary.items() if isinstance(v, (int, float)) and v is not None}
        self.writer.add_hparams(hparams, final, run_name=".")  # "." keeps the hparams beside the scalars
        self.writer.close()


class MlflowTracker:
    name = "mlflow"

    def __init__(self, run_dir: str, run_name: str, params: Dict[str, Any], settings, run_id: str, state: dict):
        for key, value in MLFLOW_NETWORK_DEFAULTS.items():
            os.environ.setdefault(key, value)
        from mlflow.entities import Metric, Param, RunTag
        from mlflow.tracking import MlflowClient

        self._metric = Metric
        self.uri = settings.tracking_uri
        self.client = MlflowClient(tracking_uri=self.uri)
        previous = state.get("mlflow") or {}
        self.run_id = None
        if previous.get("tracking_uri") == self.uri and previous.get("run_id"):
            # A resumed run continues its MLflow run (params stay as first logged: MLflow refuses to change them).
            run = self.client.get_run(previous["run_id"])
            self.run_id, self.experiment_id = run.info.run_id, run.info.experiment_id
            self.client.update_run(self.run_id, status="RUNNING")
        else:
            self.experiment_id = self._experiment(settings.experiment)
            run = self.client.create_run(self.experiment_id, run_name=run_name, tags={"brightrun.run_id": run_id})
            self.run_id = run.info.run_id
            values = [Param(k, str(v)[:6000]) for k, v in params.items()]
            for i in range(0, len(values), 100):  # MLflow takes at most 100 params per batch
                self.client.log_batch(self.run_id, params=values[i : i + 100], tags=[RunTag("brightrun.source", "brightrun")] if i == 0 else [])
        state["mlflow"] = {"tracking_uri": self.uri, "run_id": self.run_id, "experiment_id": self.experiment_id}

    def _experiment(self, name: str) -> str:
        found = self.client.get_experiment_by_name(name)
        if found is not None:
            return found.experiment_id
        try:
            return self.client.create_experiment(name)
        except Exception:  # another run created it meanwhile
            found = self.client.get_experiment_by_name(name)
            if found is None:
                raise
            return found.experiment_id

    def started(self) -> dict:
        if self.uri.startswith(("http://", "https://")):
            location = f"{self.uri.rstrip('/')}/#/experiments/{self.experiment_id}/runs/{self.run_id}"
        else:
            location = f"{self.uri} (experiment {self.experiment_id}, run {self.run_id})"
        return {"location": location, "run_id": self.run_id}

    def log(self, prefix: str, step: int, values: Dict[str, float]) -> None:
        now = int(time.time() * 1000)
        self.client.log_batch(self.run_id, metrics=[self._metric(f"{prefix}/{k}", v, now, step) for k, v in values.items()])

    def finish(self, state: str, adapter: Optional[str], summary: dict) -> None:
        try:
            if state == "completed" and adapter and _folder_size(adapter) <= MLFLOW_ARTIFACT_MAX_BYTES:
                self.client.log_artifacts(self.run_id, adapter, artifact_path="adapter")
        finally:
            self.client.set_terminated(self.run_id, status=MLFLOW_STATUS[state])


class WandbTracker:
    name = "wandb"

    def __init__(self, run_dir: str, run_name: str, params: Dict[str, Any], settings, state: dict):
        import wandb

        previous = (state.get("wandb") or {}).get("run_id")
        self.run = wandb.init(
            project=settings.project,
            entity=settings.entity,
            name=run_name,
            id=previous,
            resume="allow" if previous else None,
            dir=run_dir,
            config=params,
            # The trainer's stdout is trainer.log, in the protocol's own format: W&B must not wrap or print into it.
            settings=wandb.Settings(console="off", silent=True, save_code=False, disable_git=True),
        )
        state["wandb"] = {"run_id": self.run.id, "project": settings.project, "entity": settings.entity}

    def started(self) -> dict:
        if self.run.url:
            return {"location": self.run.url, "run_id": self.run.id}
        folder = os.path.dirname(self.run.dir)  # offline: <run>/wandb/offline-run-<time>-<id>/files
        return {"location": folder, "run_id": self.run.id, "command": f"wandb sync {shlex.quote(folder)}"}

    def log(self, prefix: str, step: int, values: Dict[str, float]) -> None:
        self.run.log({f"{prefix}/{k}": v for k, v in values.items()}, step=step)

    def finish(self, state: str, adapter: Optional[str], summary: dict) -> None:
        for key, value in summary.items():
            if isinstance(value, (int, float)):
                self.run.summary[f"final/{key}"] = value
        self.run.finish(exit_code=0 if state == "completed" else 1)


def _folder_size(path: str) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


class Trackers:
    """The trackers of one run. `on_event` is an EventWriter listener: every metrics and eval event goes to each
    tracker. A tracker that fails is dropped with one warning; the run never fails for a tracker."""

    def __init__(self, events):
        self.events = events
        self.active: List[Any] = []
        self._run_dir: Optional[str] = None
        self._state: dict = {}

    def start(self, cfg, config: dict, run_dir: str, resume_step: Optional[int]) -> None:
        settings = getattr(cfg, "tracking", None)
        if settings is None:
            return
        self._run_dir = run_dir
        self._state = _read_state(run_dir)
        params = flat_params(config)
        wanted = [
            ("tensorboard", settings.tensorboard, lambda: TensorBoardTracker(run_dir, settings.run_name, params, resume_step, self._state)),
            ("mlflow", settings.mlflow is not None, lambda: MlflowTracker(run_dir, settings.run_name, params, settings.mlflow, cfg.run_id, self._state)),
            ("wandb", settings.wandb is not None, lambda: WandbTracker(run_dir, settings.run_name, params, settings.wandb, self._state)),
        ]
        for name, enabled, make in wanted:
            if not enabled:
                continue
            try:
                tracker = make()
            except ImportError as exc:
                self._warn(
                    f"{LABELS[name]} is not installed for this trainer's Python ({_short(exc)}), so this run is not tracked there. "
                    f"Install it with: {pip_command(name)}"
                )
                continue
            except Exception as exc:  # noqa: BLE001 - a tracker's failure must never fail the run
                self._warn(f"{LABELS[name]} could not start ({_short(exc)}); the run goes on without it. {_advice(name, settings)}")
                continue
            self.active.append(tracker)
            self.events.emit("tracker", tracker=name, **tracker.started())
        if self._state:
            write_json_atomic(os.path.join(run_dir, STATE_FILE), self._state)
        if self.active:
            self.events.listeners.append(self.on_event)

    def on_event(self, event: dict) -> None:
        if event["type"] == "metrics":
            self._each("log", "train", event["step"], _scalars(event))
        elif event["type"] == "eval":
            self._each("log", "eval", event["step"], _scalars(event))

    def finish(self, state: str, adapter: Optional[str], summary: dict) -> None:
        """The run's end state (before its `done` event, so a warning here still comes first)."""
        self._each("finish", state, adapter, {k: v for k, v in summary.items() if v is not None})
        self.active = []

    def _each(self, method: str, *args) -> None:
        for tracker in list(self.active):
            try:
                getattr(tracker, method)(*args)
            except Exception as exc:  # noqa: BLE001 - a tracker's failure must never fail the run
                traceback.print_exc(file=sys.stderr)
                self.active.remove(tracker)
                what = "could not record the end of the run" if method == "finish" else "stopped receiving metrics"
                self._warn(f"{LABELS[tracker.name]} {what} ({_short(exc)}); the run goes on without it.")

    def _warn(self, message: str) -> None:
        self.events.emit("log", level="warning", message=message)


def _advice(name: str, settings) -> str:
    if name == "mlflow":
        return f"Check that the MLflow server at {settings.mlflow.tracking_uri} is up and reachable from this host."
    if name == "wandb":
        return "Check the W&B project and entity, and the API key (BrightRun: Set Weights & Biases API Key, or WANDB_API_KEY on this host)."
    return "Check that the run folder is writable."


def _read_state(run_dir: str) -> dict:
    try:
        with open(os.path.join(run_dir, STATE_FILE), encoding="utf-8") as f:
            state = json.load(f)
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}
