"""num_gpus > 1: the trainer supervises torchrun, two processes train with DDP (gloo on the CPU), rank 0 writes."""

import json
import os

import jsonschema
from brightrun_trainer.schema_check import load_schema
from conftest import addition_chat, base_config, make_run, of_type, read_events, run_train, write_jsonl


def test_two_processes_train_and_write_one_event_stream(tiny_model, tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", addition_chat(40))
    cfg = base_config(tiny_model, data, num_gpus=2, epochs=1, eval_every=3, save_every=3, validation_split=0.1)
    run_dir = make_run(tmp_path, "run", cfg)
    result = run_train(run_dir, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    events = read_events(run_dir)
    schema = load_schema("events.schema.json")
    for e in events:
        jsonschema.validate(e, schema)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    [plan] = of_type(events, "plan")
    assert plan["device"].endswith("x2")
    # Each optimizer step consumes one micro-batch per process: half the steps of a single process.
    single_process_steps = (plan["train_examples"] + cfg["batch_size"] - 1) // cfg["batch_size"]
    assert plan["total_steps"] == (single_process_steps + 1) // 2
    assert len(of_type(events, "metrics")) == plan["total_steps"] and len(of_type(events, "done")) == 1
    # Every training token was seen once per epoch, counted over both processes.
    done = events[-1]
    assert done["state"] == "completed" and done["summary"]["total_tokens"] >= plan["train_tokens"]
    assert of_type(events, "eval") and of_type(events, "checkpoint")
    assert os.path.exists(os.path.join(run_dir, "adapter", "adapter_model.safetensors"))
    with open(os.path.join(run_dir, "status.json")) as f:
        status = json.load(f)
    assert status["state"] == "completed" and status["pid"] != os.getpid()
