"""End-to-end runs of `python -m brightrun_trainer train` on the CPU with the tiny model."""

import json
import os
import shutil
import signal
import subprocess
import time

import jsonschema
import pytest
import torch
from brightrun_trainer.run import train
from brightrun_trainer.schema_check import load_schema
from conftest import addition_chat, base_config, make_run, of_type, read_events, run_train, train_cmd, write_jsonl

EVENTS_SCHEMA = load_schema("events.schema.json")
STATUS_SCHEMA = load_schema("status.schema.json")


def assert_valid_stream(events):
    for e in events:
        jsonschema.validate(e, EVENTS_SCHEMA)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))


@pytest.fixture(scope="module")
def completed(tiny_model, tmp_path_factory):
    """One real run, watched while it goes: status.json must parse every time we look."""
    tmp = tmp_path_factory.mktemp("completed")
    data = write_jsonl(tmp / "train.jsonl", addition_chat(48))
    cfg = base_config(tiny_model, data, epochs=3, eval_every=10, save_every=10, keep_checkpoints=2, lora={"dropout": 0.05})
    run_dir = make_run(tmp, "run", cfg)
    proc = subprocess.Popen(train_cmd(run_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    status_reads = []
    while proc.poll() is None:
        path = os.path.join(run_dir, "status.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                status_reads.append(json.load(f))  # raises if ever half-written
        time.sleep(0.02)
    output = proc.stdout.read()
    assert proc.returncode == 0, output
    return run_dir, status_reads


def test_loss_goes_down_and_the_run_completes(completed):
    run_dir, _ = completed
    events = read_events(run_dir)
    losses = [e["loss"] for e in of_type(events, "metrics")]
    assert len(losses) == of_type(events, "plan")[0]["total_steps"]
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5 - 0.3
    done = events[-1]
    assert done["type"] == "done" and done["state"] == "completed"
    assert done["summary"]["total_tokens"] > 0 and done["summary"]["tokens_per_s"] > 0
    assert done["summary"]["final_eval_loss"] is not None
    metrics = of_type(events, "metrics")[-1]
    for key in ("learning_rate", "grad_norm", "tokens_per_s", "samples_per_s", "tokens_seen"):
        assert key in metrics


def test_every_event_matches_the_schema_and_status_always_parsed(completed):
    run_dir, status_reads = completed
    assert_valid_stream(read_events(run_dir))
    assert status_reads, "status.json was never seen during the run"
    for status in status_reads:
        jsonschema.validate(status, STATUS_SCHEMA)
    with open(os.path.join(run_dir, "status.json")) as f:
        final = json.load(f)
    assert final["state"] == "completed" and final["step"] == final["total_steps"]


def test_eval_events_and_checkpoints(completed):
    run_dir, _ = completed
    events = read_events(run_dir)
    total = of_type(events, "plan")[0]["total_steps"]
    evals = of_type(events, "eval")
    assert [e["step"] for e in evals] == [s for s in range(10, total, 10)] + [total]
    assert all(abs(e["perplexity"] - torch.tensor(e["eval_loss"]).exp().item()) < 1e-3 * e["perplexity"] for e in evals)
    checkpoints = of_type(events, "checkpoint")
    assert [c["step"] for c in checkpoints] == [s for s in range(10, total, 10)] + [total]
    # Only the last two are kept on disk.
    on_disk = sorted(os.listdir(os.path.join(run_dir, "checkpoints")))
    assert on_disk == sorted(f"checkpoint-{s}" for s in [c["step"] for c in checkpoints][-2:])


def test_resume_continues_with_identical_losses(completed, tmp_path):
    run_dir, _ = completed
    events = read_events(run_dir)
    total = of_type(events, "plan")[0]["total_steps"]
    resume_at = sorted(int(n.split("-")[1]) for n in os.listdir(os.path.join(run_dir, "checkpoints")))[0]
    # A fresh run folder holding only the config and that checkpoint, as if the run had stopped there.
    second = tmp_path / "resumed"
    (second / "checkpoints").mkdir(parents=True)
    shutil.copy(os.path.join(run_dir, "config.json"), second / "config.json")
    shutil.copytree(os.path.join(run_dir, "checkpoints", f"checkpoint-{resume_at}"), second / "checkpoints" / f"checkpoint-{resume_at}")
    result = run_train(str(second), "--resume")
    assert result.returncode == 0, result.stdout + result.stderr
    resumed = read_events(str(second))
    assert of_type(resumed, "plan")[0]["resumed_from_step"] == resume_at
    original = {e["step"]: e for e in of_type(events, "metrics")}
    after = of_type(resumed, "metrics")
    assert [e["step"] for e in after] == list(range(resume_at + 1, total + 1))
    for e in after:
        assert e["loss"] == pytest.approx(original[e["step"]]["loss"], abs=1e-5)
        assert e["learning_rate"] == pytest.approx(original[e["step"]]["learning_rate"], rel=1e-9)
        assert e["tokens_seen"] == original[e["step"]]["tokens_seen"]


def test_adapter_loads_with_peft_and_changes_the_output(completed, tiny_model):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    run_dir, _ = completed
    adapter = os.path.join(run_dir, "adapter")
    for name in ("adapter_model.safetensors", "adapter_config.json", "tokenizer.json", "README.md"):
        assert os.path.exists(os.path.join(adapter, name)), name
    with open(os.path.join(adapter, "README.md")) as f:
        card = f.read()
    assert "library_name: peft" in card and "Final evaluation loss" in card and tiny_model not in card
    tok = AutoTokenizer.from_pretrained(adapter)
    ids = tok.apply_chat_template([{"role": "user", "content": "What is 2 plus 3?"}], add_generation_prompt=True, return_tensors="pt")
    base = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
    with torch.no_grad():
        before = base(ids).logits
        tuned = PeftModel.from_pretrained(base, adapter).eval()
        after = tuned(ids).logits
    assert (after - before).abs().max().item() > 1e-2


def test_sigterm_finishes_the_step_checkpoints_and_exits_cleanly(tiny_model, tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", addition_chat(32))
    run_dir = make_run(tmp_path, "run", base_config(tiny_model, data, max_steps=100000, validation_split=0.0))
    proc = subprocess.Popen(train_cmd(run_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        if os.path.exists(os.path.join(run_dir, "events.jsonl")) and any(e["type"] == "metrics" and e["step"] >= 3 for e in read_events(run_dir)):
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, output
    events = read_events(run_dir)
    assert_valid_stream(events)
    last_step = of_type(events, "metrics")[-1]["step"]
    checkpoint = of_type(events, "checkpoint")[-1]
    assert checkpoint["step"] == last_step and os.path.isdir(checkpoint["path"])
    assert events[-1]["type"] == "done" and events[-1]["state"] == "cancelled"
    with open(os.path.join(run_dir, "status.json")) as f:
        status = json.load(f)
    assert status["state"] == "cancelled" and status["step"] == last_step


def test_bad_line_gives_a_data_error_with_the_line(tiny_model, tmp_path):
    rows = [json.dumps(r) for r in addition_chat(5)]
    rows[3] = '{"messages": [{"role": "user", "content": "unterminated'
    data = write_jsonl(tmp_path / "train.jsonl", rows)
    run_dir = make_run(tmp_path, "run", base_config(tiny_model, data))
    assert train(run_dir) == 1  # in-process: failures before training need no subprocess
    events = read_events(run_dir)
    assert_valid_stream(events)
    [error] = of_type(events, "error")
    assert error["kind"] == "data" and error["line"] == 4 and error["file"] == data
    assert events[-1]["state"] == "failed"
    with open(os.path.join(run_dir, "status.json")) as f:
        status = json.load(f)
    assert status["state"] == "failed" and "line" not in status and status["exit_reason"].startswith("data")


@pytest.mark.parametrize(
    "overrides,expect",
    [
        ({"lora": {"target_modules": ["no_such_layer"]}}, "no_such_layer"),
        ({"lora": {"r": 0}}, "$.lora.r"),
        ({"max_seq_len": 100000}, "max_seq_len"),
        ({"quantization": "4bit"}, "4bit"),
    ],
)
def test_impossible_config_gives_a_config_error(tiny_model, tmp_path, overrides, expect):
    data = write_jsonl(tmp_path / "train.jsonl", addition_chat(5))
    run_dir = make_run(tmp_path, "run", base_config(tiny_model, data, **overrides))
    assert train(run_dir) == 1
    events = read_events(run_dir)
    assert_valid_stream(events)
    [error] = of_type(events, "error")
    assert error["kind"] == "config" and expect in error["message"] and error.get("hint")


def test_gradient_checkpointing_and_packing_train_the_same_model(tiny_model, tmp_path):
    """Recomputing activations changes memory, not maths: the losses match a plain run step for step."""
    data = write_jsonl(tmp_path / "train.jsonl", addition_chat(16))
    losses = {}
    for name, gc in (("plain", False), ("checkpointed", True)):
        run_dir = make_run(tmp_path, name, base_config(tiny_model, data, max_steps=3, validation_split=0.0, gradient_checkpointing=gc, packing=True))
        assert train(run_dir) == 0
        losses[name] = [e["loss"] for e in of_type(read_events(run_dir), "metrics")]
    assert losses["plain"] == pytest.approx(losses["checkpointed"], abs=1e-5)


def _checkpoint_files(run_dir):
    root = os.path.join(run_dir, "checkpoints")
    for name in sorted(os.listdir(root)):
        for dirpath, _, files in os.walk(os.path.join(root, name)):
            for file in files:
                yield os.path.join(dirpath, file)


def _is_pickle_or_torch_file(path):
    with open(path, "rb") as f:
        head = f.read(2)
    # A raw pickle starts with the PROTO opcode; torch.save writes a zip archive (PK) holding one.
    return head[:1] == b"\x80" or head == b"PK" or path.endswith((".pt", ".pth", ".bin", ".pkl", ".pickle", ".ckpt"))


def test_checkpoints_hold_nothing_that_needs_a_full_unpickle(completed):
    run_dir, _ = completed
    pickled = [p for p in _checkpoint_files(run_dir) if _is_pickle_or_torch_file(p)]
    assert [os.path.basename(p) for p in pickled] == ["training_state.pt"] * len(os.listdir(os.path.join(run_dir, "checkpoints")))
    for path in pickled:
        state = torch.load(path, map_location="cpu", weights_only=True)
        assert set(state) == {"optimizer", "scheduler", "scaler", "rng"}


class _RunsCode:
    """Pickles as a call: unpickling it without weights_only runs `touch <marker>`."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_resume_refuses_a_checkpoint_with_a_code_running_pickle(completed, tmp_path):
    run_dir, _ = completed
    resume_at = sorted(int(n.split("-")[1]) for n in os.listdir(os.path.join(run_dir, "checkpoints")))[0]
    second = tmp_path / "tampered"
    (second / "checkpoints").mkdir(parents=True)
    shutil.copy(os.path.join(run_dir, "config.json"), second / "config.json")
    checkpoint = second / "checkpoints" / f"checkpoint-{resume_at}"
    shutil.copytree(os.path.join(run_dir, "checkpoints", f"checkpoint-{resume_at}"), checkpoint)
    marker = tmp_path / "code-ran"
    state = torch.load(checkpoint / "training_state.pt", weights_only=True)
    state["scheduler"] = _RunsCode(marker)
    torch.save(state, checkpoint / "training_state.pt")

    result = run_train(str(second), "--resume")
    assert result.returncode != 0
    assert not marker.exists(), "resuming ran code from the checkpoint"
    [error] = of_type(read_events(str(second)), "error")
    assert error["message"].startswith(f"Refusing to resume from {checkpoint}: training_state.pt holds Python objects")
    assert "Delete that checkpoint folder" in error["hint"]
    assert of_type(read_events(str(second)), "done")[0]["state"] == "failed"
