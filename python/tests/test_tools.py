"""preflight, merge, eval and generate on the tiny model, through the same command line users call."""

import json

import jsonschema
import pytest
import torch
from brightrun_trainer.cli import main
from brightrun_trainer.run import train
from brightrun_trainer.schema_check import load_schema
from conftest import addition_chat, base_config, make_run, write_jsonl

SCHEMA = load_schema("events.schema.json")


@pytest.fixture(scope="module")
def adapter(tiny_model, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tools")
    data = write_jsonl(tmp / "train.jsonl", addition_chat(16))
    run_dir = make_run(tmp, "run", base_config(tiny_model, data, max_steps=4, validation_split=0.0))
    assert train(run_dir) == 0
    return f"{run_dir}/adapter", data


def run_cli(capsys, *args):
    code = main(list(args))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    events = [l for l in lines if "seq" in l]
    for e in events:
        jsonschema.validate(e, SCHEMA)
    results = [l for l in lines if "seq" not in l]
    return code, events, results


def test_preflight_prints_one_json_object(tiny_model, tmp_path, capsys):
    assert main(["preflight", "--workdir", str(tmp_path), "--base-model", tiny_model]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    report = json.loads(out[0])
    for key in ("python", "torch", "cuda", "driver", "gpus", "disk_free_gb", "checks", "ok", "fit"):
        assert key in report
    assert report["gpus"] == [] and report["disk_free_gb"] > 0
    assert report["fit"]["params"] > 0 and report["fit"]["estimated_gb"] > 0


def test_fit_estimate_explains_when_a_model_does_not_fit():
    from brightrun_trainer.preflight import estimate_fit

    seven_b = {"params": 7e9, "layers": 32, "hidden": 4096, "vocab": 32000, "lora_dims_per_layer": 4096 * 8 + 11008 * 3 + 4096 * 3}
    fit = estimate_fit(seven_b, "bf16", "none", 4096, 8, 16, False, free_gb=24.0)
    assert fit["fits"] is False and "gradient_checkpointing" in fit["reason"]
    small = estimate_fit(seven_b, "bf16", "4bit", 1024, 1, 16, True, free_gb=24.0)
    assert small["fits"] is True and small["estimated_gb"] < fit["estimated_gb"]


def test_eval_reports_loss_and_perplexity(adapter, capsys):
    path, data = adapter
    code, events, results = run_cli(capsys, "eval", "--adapter", path, "--file", data, "--max-seq-len", "64")
    assert code == 0
    [ev] = [e for e in events if e["type"] == "eval"]
    assert ev["perplexity"] == pytest.approx(torch.tensor(ev["eval_loss"]).exp().item(), rel=1e-4)
    assert results[-1]["eval_loss"] == pytest.approx(ev["eval_loss"])
    assert events[-1]["type"] == "done" and events[-1]["state"] == "completed"


def test_generate_answers_with_and_without_the_adapter(adapter, capsys):
    path, _ = adapter
    code, events, results = run_cli(capsys, "generate", "--adapter", path, "--prompt", "What is 2 plus 3?", "--max-new-tokens", "8")
    assert code == 0 and events[-1]["state"] == "completed"
    assert isinstance(results[-1]["base_output"], str) and isinstance(results[-1]["adapter_output"], str)


def test_merge_writes_a_model_equal_to_base_plus_adapter(adapter, tiny_model, tmp_path, capsys):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    path, _ = adapter
    out = tmp_path / "merged"
    code, events, results = run_cli(capsys, "merge", "--adapter", path, "--out", str(out))
    assert code == 0 and results[-1]["merged"] == str(out)
    ids = torch.tensor([[1, 20, 30, 40, 2]])
    with torch.no_grad():
        merged = AutoModelForCausalLM.from_pretrained(str(out)).eval()(ids).logits
        peft = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model), path).eval()(ids).logits
    torch.testing.assert_close(merged, peft, atol=1e-4, rtol=1e-4)


def test_tool_errors_are_events(tmp_path, capsys):
    code, events, _ = run_cli(capsys, "generate", "--adapter", str(tmp_path), "--prompt", "hi")
    assert code == 1
    [error] = [e for e in events if e["type"] == "error"]
    assert error["kind"] == "config" and events[-1]["state"] == "failed"
