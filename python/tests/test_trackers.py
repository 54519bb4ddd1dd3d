"""Experiment trackers with the real parts: the real trainer on the tiny model reports to TensorBoard (read back with
TensorBoard's own EventAccumulator), to a real `mlflow server` on a loopback port (sqlite backend, checked through
MlflowClient) and to W&B in offline mode; a missing package or a dead server costs the tracker, never the run."""

import importlib.util
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from brightrun_trainer.run import train
from brightrun_trainer.trackers import tensorboard_command
from conftest import addition_chat, base_config, make_run, of_type, read_events, require_part, run_train, write_jsonl

WANDB_KEY = "0123456789abcdef0123456789abcdef01234567"  # a made-up key: only checked never to be written anywhere


def _have(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory):
    require_part(_have("mlflow"), "the mlflow package", ".venv/bin/pip install -r python/requirements-dev.txt")
    root = tmp_path_factory.mktemp("mlflow")
    port = _free_port()
    mlflow = os.path.join(os.path.dirname(sys.executable), "mlflow")
    proc = subprocess.Popen(
        [
            mlflow,
            "server",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--backend-store-uri",
            f"sqlite:///{root}/mlflow.db",
            "--artifacts-destination",
            str(root / "artifacts"),
        ],
        stdout=open(root / "server.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    uri = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{uri}/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"mlflow server did not come up: {(root / 'server.log').read_text()[-2000:]}")
        time.sleep(0.5)
    yield uri
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:  # its workers shut down gracefully; a loaded machine may not wait that long
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def tracked(tiny_model, mlflow_server, tmp_path_factory):
    """One real run with all three trackers on."""
    require_part(_have("tensorboard") and _have("wandb"), "the tensorboard and wandb packages", ".venv/bin/pip install -r python/requirements-dev.txt")
    tmp = tmp_path_factory.mktemp("tracked")
    data = write_jsonl(tmp / "train.jsonl", addition_chat(40))
    tracking = {
        "run_name": "tickets v1",
        "tensorboard": True,
        "mlflow": {"tracking_uri": mlflow_server, "experiment": "tickets"},
        "wandb": {"project": "tickets", "entity": None},
    }
    cfg = base_config(tiny_model, data, epochs=2, eval_every=5, tracking=tracking)
    run_dir = make_run(tmp, "run", cfg)
    env = {**os.environ, "WANDB_MODE": "offline", "WANDB_API_KEY": WANDB_KEY, "WANDB_SILENT": "true"}
    proc = subprocess.run([sys.executable, "-m", "brightrun_trainer", "train", "--run-dir", run_dir], capture_output=True, text=True, timeout=400, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {"run_dir": run_dir, "events": read_events(run_dir), "uri": mlflow_server, "env": env, "stdout": proc.stdout}


def test_the_run_completes_and_says_where_each_tracker_is(tracked):
    events = tracked["events"]
    assert of_type(events, "done")[0]["state"] == "completed"
    assert not [e for e in of_type(events, "log") if e["level"] == "warning"], of_type(events, "log")
    where = {e["tracker"]: e for e in of_type(events, "tracker")}
    assert set(where) == {"tensorboard", "mlflow", "wandb"}
    logdir = os.path.join(tracked["run_dir"], "tensorboard")
    assert where["tensorboard"]["location"] == logdir
    assert where["tensorboard"]["command"] == tensorboard_command(logdir)
    assert where["tensorboard"]["command"] in (f"tensorboard --logdir {logdir}", f"{sys.executable} -m tensorboard.main --logdir {logdir}")
    assert where["mlflow"]["location"].startswith(f"{tracked['uri']}/#/experiments/")
    assert where["mlflow"]["location"].endswith(f"/runs/{where['mlflow']['run_id']}")
    assert where["wandb"]["command"].startswith("wandb sync ")
    # trainer.log (the trainer's stdout) says so in the same words as the CLI.
    assert f"tracking: TensorBoard {logdir}  ({tensorboard_command(logdir)})" in tracked["stdout"]


def test_tensorboard_scalars_are_the_losses_of_events_jsonl(tracked):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(os.path.join(tracked["run_dir"], "tensorboard"))
    acc.Reload()
    metrics = of_type(tracked["events"], "metrics")
    evals = of_type(tracked["events"], "eval")
    loss = [(s.step, s.value) for s in acc.Scalars("train/loss")]
    assert [step for step, _ in loss] == [m["step"] for m in metrics]
    assert [v for _, v in loss] == pytest.approx([m["loss"] for m in metrics], rel=1e-6)
    assert [s.value for s in acc.Scalars("train/learning_rate")] == pytest.approx([m["learning_rate"] for m in metrics], rel=1e-6)
    assert [(s.step, pytest.approx(s.value, rel=1e-6)) for s in acc.Scalars("eval/eval_loss")] == [(e["step"], e["eval_loss"]) for e in evals]
    assert len(evals) >= 2
    config = acc.Tensors("config/text_summary")[0].tensor_proto.string_val[0].decode()
    assert '"lora.r": 8' in config


def test_the_tensorboard_command_the_run_prints_reads_its_folder(tracked):
    command = of_type(tracked["events"], "tracker")[0]["command"]
    # --inspect: TensorBoard reads the folder, prints what it holds and exits (no server).
    proc = subprocess.run([*shlex.split(command), "--inspect"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "train/loss" in proc.stdout


def test_mlflow_has_the_params_metrics_status_and_adapter(tracked):
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=tracked["uri"])
    run_id = of_type(tracked["events"], "tracker")[1]["run_id"]
    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"
    assert run.info.run_name == "tickets v1"
    assert client.get_experiment(run.info.experiment_id).name == "tickets"
    assert run.data.params["lora.r"] == "8" and run.data.params["learning_rate"] == "0.003"
    assert run.data.tags["brightrun.run_id"] == "test-run"
    metrics = of_type(tracked["events"], "metrics")
    history = client.get_metric_history(run_id, "train/loss")
    assert sorted((m.step, m.value) for m in history) == [(m["step"], pytest.approx(m["loss"], rel=1e-9)) for m in metrics]
    assert [m.step for m in client.get_metric_history(run_id, "eval/eval_loss")] == [e["step"] for e in of_type(tracked["events"], "eval")]
    assert "adapter/adapter_model.safetensors" in {f.path for f in client.list_artifacts(run_id, "adapter")}
    with open(os.path.join(tracked["run_dir"], "tracking.json"), encoding="utf-8") as f:
        assert json.load(f)["mlflow"]["run_id"] == run_id


def test_wandb_offline_run_exists_and_the_key_is_written_nowhere(tracked):
    where = [e for e in of_type(tracked["events"], "tracker") if e["tracker"] == "wandb"][0]
    folder = where["location"]
    assert os.path.isdir(folder) and os.path.basename(folder).startswith("offline-run-") and folder.endswith(where["run_id"])
    assert any(name.endswith(".wandb") for name in os.listdir(folder))
    found = []
    for root, _dirs, files in os.walk(tracked["run_dir"]):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                if WANDB_KEY.encode() in f.read():
                    found.append(os.path.join(root, name))
    assert found == []
    assert WANDB_KEY not in tracked["stdout"]


def test_a_resumed_run_continues_the_same_mlflow_run(tracked, tmp_path):
    from mlflow.tracking import MlflowClient

    run_dir = str(tmp_path / "resumed")
    shutil.copytree(tracked["run_dir"], run_dir, ignore=shutil.ignore_patterns("wandb", "tensorboard"))
    with open(os.path.join(run_dir, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    cfg["tracking"]["wandb"] = None
    with open(os.path.join(run_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f)
    first = of_type(tracked["events"], "tracker")[1]["run_id"]
    proc = run_train(run_dir, "--resume")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    again = [e for e in read_events(run_dir) if e["type"] == "tracker" and e["tracker"] == "mlflow"]
    assert [e["run_id"] for e in again] == [first, first]
    assert MlflowClient(tracking_uri=tracked["uri"]).get_run(first).info.status == "FINISHED"


def test_a_failed_run_ends_its_mlflow_run_failed(tiny_model, mlflow_server, tmp_path):
    from mlflow.tracking import MlflowClient

    rows = addition_chat(12)
    rows[3] = '{"messages": [{"role": "user", "content": "cut short'
    data = write_jsonl(tmp_path / "train.jsonl", rows)
    tracking = {"run_name": "broken", "tensorboard": False, "mlflow": {"tracking_uri": mlflow_server, "experiment": "tickets"}, "wandb": None}
    run_dir = make_run(tmp_path, "run", base_config(tiny_model, data, tracking=tracking))
    proc = run_train(run_dir)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    events = read_events(run_dir)
    assert of_type(events, "error")[0]["kind"] == "data"
    run_id = of_type(events, "tracker")[0]["run_id"]
    assert MlflowClient(tracking_uri=mlflow_server).get_run(run_id).info.status == "FAILED"


def test_a_missing_package_or_a_dead_server_warns_and_the_run_completes(tiny_model, tmp_path, monkeypatch):
    for package in ("tensorboard", "wandb"):
        monkeypatch.setitem(sys.modules, package, None)  # as if not installed: `import tensorboard` raises ImportError
    dead = f"http://127.0.0.1:{_free_port()}"
    data = write_jsonl(tmp_path / "train.jsonl", addition_chat(12))
    tracking = {"run_name": "r", "tensorboard": True, "mlflow": {"tracking_uri": dead, "experiment": "x"}, "wandb": {"project": "p", "entity": None}}
    run_dir = make_run(tmp_path, "run", base_config(tiny_model, data, max_steps=2, tracking=tracking))
    assert train(run_dir) == 0
    events = read_events(run_dir)
    assert of_type(events, "done")[0]["state"] == "completed"
    assert of_type(events, "tracker") == []
    warnings = [e["message"] for e in of_type(events, "log") if e["level"] == "warning"]
    pip = f"{sys.executable} -m pip install"
    assert any(m.startswith("TensorBoard is not installed") and m.endswith(f"{pip} tensorboard") for m in warnings), warnings
    assert any(m.startswith("W&B is not installed") and m.endswith(f"{pip} wandb") for m in warnings), warnings
    assert any(m.startswith("MLflow could not start") and dead in m for m in warnings), warnings
    assert not os.path.exists(os.path.join(run_dir, "tensorboard"))


def test_preflight_lists_the_tracker_packages_and_warns_for_one_the_run_needs(tmp_path, monkeypatch, tiny_model):
    from importlib import metadata

    from brightrun_trainer.preflight import collect

    real_version = metadata.version

    def version(name):
        if name in ("wandb", "mlflow"):  # as if not installed on this host, MLflow's client alone being there
            raise metadata.PackageNotFoundError(name)
        return "3.1.0" if name == "mlflow-skinny" else real_version(name)

    monkeypatch.setattr(metadata, "version", version)
    config = base_config(tiny_model, "train.jsonl", tracking={"run_name": "r", "tensorboard": True, "mlflow": None, "wandb": {"project": "p", "entity": None}})
    report = collect(str(tmp_path), config)
    assert report["trackers"]["wandb"] is None
    assert report["trackers"]["mlflow"] == "3.1.0"
    assert report["trackers"]["tensorboard"] == real_version("tensorboard")
    warnings = [c["detail"] for c in report["checks"] if c["name"] == "tracking"]
    assert warnings == [
        f"this run reports to W&B, but wandb is not installed for this Python, so the run goes on without it. Install it with: {sys.executable} -m pip install wandb"
    ]
