"""Automatic recovery on the trainer's side, with the real trainer on the CPU: an out-of-memory failure made on
purpose by the test hook, then the restart BrightRun's engine makes (recovery.json, then `--resume`)."""

import json
import os

import jsonschema
import pytest
from brightrun_trainer.recovery import OOM_AFTER_STEP_ENV, OOM_BATCH_SIZE_ENV, pending_attempt, resumed_batch
from brightrun_trainer.schema_check import load_schema
from conftest import addition_chat, base_config, make_run, of_type, read_events, run_train, write_jsonl

EVENTS_SCHEMA = load_schema("events.schema.json")


def _restart_entry(number=2, batch_size=2, grad_accum=2, from_step=4):
    return {
        "number": number,
        "reason": "oom",
        "message": "Out of memory at micro-batch 4: restarted with half the micro-batch and twice the gradient accumulation.",
        "from_step": from_step,
        "changes": [{"setting": "batch_size", "from": 4, "to": batch_size}, {"setting": "grad_accum", "from": 1, "to": grad_accum}],
        "batch_size": batch_size,
        "grad_accum": grad_accum,
        "started_at": "2026-01-01T10:00:00.000Z",
    }


def _checkpoint_state(run_dir, step):
    with open(os.path.join(run_dir, "checkpoints", f"checkpoint-{step}", "trainer_state.json"), encoding="utf-8") as f:
        return json.load(f)


def test_an_oom_restart_with_half_the_batch_continues_the_run_as_if_nothing_happened(tiny_model, tmp_path, monkeypatch):
    data = write_jsonl(tmp_path / "train.jsonl", addition_chat(40))
    cfg = base_config(tiny_model, data, max_steps=6, save_every=2, keep_checkpoints=3, validation_split=0.0)
    reference_dir = make_run(tmp_path, "reference", cfg)
    assert run_train(reference_dir).returncode == 0
    reference = {e["step"]: e for e in of_type(read_events(reference_dir), "metrics")}

    run_dir = make_run(tmp_path, "run", cfg)
    monkeypatch.setenv(OOM_BATCH_SIZE_ENV, "4")
    monkeypatch.setenv(OOM_AFTER_STEP_ENV, "4")
    first = run_train(run_dir)
    assert first.returncode == 1
    events = read_events(run_dir)
    assert [e["step"] for e in of_type(events, "metrics")] == [1, 2, 3, 4]
    error = of_type(events, "error")[-1]
    assert error["kind"] == "oom"
    assert "OutOfMemoryError" in error["message"]
    assert events[-1]["type"] == "done" and events[-1]["state"] == "failed"
    assert _checkpoint_state(run_dir, 4)["batch_size"] == 4

    # What the engine does: record the restart, then resume the trainer (the hook still armed).
    with open(os.path.join(run_dir, "recovery.json"), "w", encoding="utf-8") as f:
        json.dump({"v": 1, "attempts": [_restart_entry()]}, f)
    second = run_train(run_dir, "--resume")
    assert second.returncode == 0, second.stdout + second.stderr
    events = read_events(run_dir)
    for e in events:
        jsonschema.validate(e, EVENTS_SCHEMA)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    restart = next(i for i, e in enumerate(events) if e["type"] == "attempt")
    assert events[restart - 1]["type"] == "done"  # the attempt event opens the new attempt
    assert {k: events[restart][k] for k in ("number", "reason", "from_step")} == {"number": 2, "reason": "oom", "from_step": 4}
    assert of_type(events[restart:], "plan")[0]["resumed_from_step"] == 4
    after = of_type(events[restart:], "metrics")
    assert [e["step"] for e in after] == [5, 6]
    # Same effective batch, same samples: the losses and the data seen are those of the uninterrupted run.
    for e in after:
        assert e["loss"] == pytest.approx(reference[e["step"]]["loss"], abs=1e-4)
        assert e["tokens_seen"] == reference[e["step"]]["tokens_seen"]
    assert events[-1]["state"] == "completed"
    assert _checkpoint_state(run_dir, 6)["batch_size"] == 2


def test_the_newest_restart_is_announced_once(tmp_path):
    recovery = {"v": 1, "attempts": [_restart_entry(number=2), _restart_entry(number=3, batch_size=1, grad_accum=4)]}
    events = tmp_path / "events.jsonl"
    assert pending_attempt(None, str(events)) is None
    assert pending_attempt(recovery, str(events))["number"] == 3  # no events yet
    events.write_text('{"v":1,"seq":1,"type":"attempt","number":2}\n{"v":1,"seq":2,"type":"stage","name":"preparing"}\n')
    pending = pending_attempt(recovery, str(events))
    assert pending == {k: recovery["attempts"][1][k] for k in ("number", "reason", "message", "from_step", "changes")}
    events.write_text(events.read_text() + '{"v":1,"seq":3,"type":"attempt","number":3}\n')
    assert pending_attempt(recovery, str(events)) is None


@pytest.mark.parametrize(
    ("saved", "size", "expected"),
    [
        ({"batch": 6, "batch_size": 4}, 2, 12),  # halved: twice as many micro-batches, the same samples
        ({"batch": 6, "batch_size": 4}, 4, 6),
        ({"batch": 6}, 1, 18),  # a checkpoint from before batch sizes were recorded counts in the config's (3)
    ],
)
def test_a_checkpoint_position_is_counted_in_the_new_micro_batch(saved, size, expected):
    assert resumed_batch(saved, size, 3) == expected
