"""trainer.log writes each event as the same line the CLI and the monitor show (src/core/runs/formatEvent.ts):
both sides are checked against one table, protocol/golden/event-lines.json. The writer keeps null only where the
events schema (generated from src/contracts/events.ts) says null means something."""

import io
import json
import os

import pytest
from brightrun_trainer.events import _KEEP_NULL, EventWriter, format_event
from brightrun_trainer.schema_check import load_schema
from conftest import REPO

with open(os.path.join(REPO, "protocol", "golden", "event-lines.json"), encoding="utf-8") as f:
    TABLE = json.load(f)


@pytest.mark.parametrize("case", TABLE, ids=[f"{c['event']['seq']}-{c['event']['type']}" for c in TABLE])
def test_formats_each_event_as_the_shared_table_says(case):
    assert format_event(case["event"]) == case["line"]


def test_the_writer_echoes_those_lines_to_trainer_log():
    out = io.StringIO()
    writer = EventWriter(None, stream=io.StringIO(), echo=out)
    for case in TABLE:
        fields = {k: v for k, v in case["event"].items() if k not in ("v", "seq", "ts", "type")}
        writer.emit(case["event"]["type"], **fields)
    assert out.getvalue() == "".join(case["line"] + "\n" for case in TABLE)


def test_keeps_null_exactly_for_the_fields_the_schema_makes_nullable():
    schema = json.dumps(load_schema("events.schema.json"))
    for name in ("grad_norm", "gpu_util", "adapter", "final_loss"):
        assert name in _KEEP_NULL
    assert all(f'"{name}": {{"type": [' in schema for name in _KEEP_NULL)
    stream = io.StringIO()
    writer = EventWriter(None, stream=stream)
    writer.emit(
        "metrics",
        step=1,
        epoch=0.1,
        loss=1.0,
        learning_rate=1e-4,
        tokens_per_s=10.0,
        samples_per_s=1.0,
        grad_norm=None,
        gpu_util=float("nan"),
        tokens_seen=None,
        reward_margin=None,
    )
    event = json.loads(stream.getvalue())
    assert event["grad_norm"] is None and event["gpu_util"] is None
    assert "tokens_seen" not in event and "reward_margin" not in event
