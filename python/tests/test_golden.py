"""The Python side of the protocol contract: golden files validate against events.schema.json, and the writer
still produces events of the same shapes (same type sequence and field sets) for the same scenarios."""

import json
import os

import jsonschema
import pytest
from brightrun_trainer.run import train
from brightrun_trainer.schema_check import load_schema, validate
from brightrun_trainer.testing.golden import normalize, scenario_config
from conftest import REPO, read_events

GOLDEN = os.path.join(REPO, "protocol", "golden")
SCHEMA = load_schema("events.schema.json")


def golden(name):
    with open(os.path.join(GOLDEN, f"{name}.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def shape(events):
    return [(e["type"], e.get("name") or e.get("state") or e.get("kind"), tuple(sorted(e))) for e in events]


@pytest.mark.parametrize("name", ["completed", "failed", "cancelled", "preference", "tracking"])
def test_golden_files_validate(name):
    events = golden(name)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    for e in events:
        jsonschema.validate(e, SCHEMA)
        assert validate(e, SCHEMA) == []


@pytest.mark.parametrize("name", ["completed", "failed", "preference", "tracking"])
def test_writer_output_matches_the_golden_shapes(name, tiny_model, tmp_path):
    run_dir = tmp_path / name
    run_dir.mkdir()
    (run_dir / "config.json").write_text(json.dumps(scenario_config(name, tiny_model, str(tmp_path))))
    train(str(run_dir))
    produced = normalize(read_events(str(run_dir)), str(run_dir), name, str(tmp_path))
    assert shape(produced) == shape(golden(name))
    for e in produced:
        jsonschema.validate(e, SCHEMA)
