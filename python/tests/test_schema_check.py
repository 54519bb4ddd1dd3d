"""The trainer's own JSON Schema validator agrees with jsonschema on the generated schemas."""

import copy

import jsonschema
import pytest
from brightrun_trainer.config import parse_config
from brightrun_trainer.errors import ConfigError
from brightrun_trainer.schema_check import load_schema, validate
from conftest import base_config

GOOD = base_config("/models/tiny", "/data/train.jsonl")

BAD_VARIANTS = [
    ("lora.r", lambda c: c["lora"].update(r=0)),
    ("learning_rate", lambda c: c.update(learning_rate=-1)),
    ("overlength", lambda c: c.update(overlength="cut")),
    ("run_id", lambda c: c.update(run_id="../escape")),
    ("v", lambda c: c.update(v=2)),
    ("batch_size", lambda c: c.update(batch_size=1.5)),
    ("packing", lambda c: c.update(packing="yes")),
    ("seed", lambda c: c.pop("seed")),
    ("extra", lambda c: c.update(extra=1)),
    ("lora.target_modules", lambda c: c["lora"].update(target_modules=[])),
    ("validation_file", lambda c: c.update(validation_file=3)),
    ("max_steps", lambda c: c.update(max_steps=0)),
]


def test_valid_config_passes_both():
    schema = load_schema("config.schema.json")
    assert validate(GOOD, schema) == []
    jsonschema.validate(GOOD, schema)
    ok = copy.deepcopy(GOOD)
    ok["lora"]["target_modules"] = ["q_proj"]
    ok["max_steps"] = 10
    assert validate(ok, schema) == []
    jsonschema.validate(ok, schema)


@pytest.mark.parametrize("field,mutate", BAD_VARIANTS, ids=[v[0] for v in BAD_VARIANTS])
def test_invalid_config_fails_both_and_names_the_path(field, mutate):
    schema = load_schema("config.schema.json")
    cfg = copy.deepcopy(GOOD)
    mutate(cfg)
    ours = validate(cfg, schema)
    assert ours, "our validator accepted an invalid config"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(cfg, schema)
    assert any(f"$.{field}" in message for message in ours), ours


def test_parse_config_reports_config_error_with_path():
    cfg = copy.deepcopy(GOOD)
    cfg["lora"]["r"] = 0
    with pytest.raises(ConfigError) as err:
        parse_config(cfg)
    assert "$.lora.r" in err.value.message


def test_events_schema_agreement():
    schema = load_schema("events.schema.json")
    good = {"v": 1, "seq": 1, "ts": "2026-01-01T00:00:00Z", "type": "eval", "step": 3, "eval_loss": 1.5, "perplexity": 4.48}
    assert validate(good, schema) == []
    jsonschema.validate(good, schema)
    for bad in ({**good, "type": "nope"}, {**good, "seq": 0}, {k: v for k, v in good.items() if k != "step"}):
        assert validate(bad, schema)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
