"""A scheduler's stop (Slurm's warning before the time limit, or a preemption) through preempt.request: the run
checkpoints and exits with REQUEUE_EXIT and no `done`; --resume then continues with seq and steps unbroken."""

import json
import os
import subprocess
import time

import jsonschema
from brightrun_trainer.launch import cluster_layout, torchrun_args
from brightrun_trainer.runtime import PREEMPT_FILE, REQUEUE_EXIT
from brightrun_trainer.schema_check import load_schema
from conftest import (
    addition_chat,
    base_config,
    make_run,
    of_type,
    read_events,
    run_train,
    train_cmd,
    write_jsonl,
)


def test_a_preempt_request_checkpoints_and_the_resumed_run_continues(tiny_model, tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", addition_chat(32))
    run_dir = make_run(tmp_path, "run", base_config(tiny_model, data, max_steps=12, validation_split=0.0))
    proc = subprocess.Popen(train_cmd(run_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        if os.path.exists(os.path.join(run_dir, "events.jsonl")) and any(e["type"] == "metrics" and e["step"] >= 3 for e in read_events(run_dir)):
            break
        time.sleep(0.1)
    open(os.path.join(run_dir, PREEMPT_FILE), "w").close()
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == REQUEUE_EXIT, output
    events = read_events(run_dir)
    assert not of_type(events, "done")
    stopped = of_type(events, "checkpoint")[-1]["step"]
    assert stopped == of_type(events, "metrics")[-1]["step"]
    with open(os.path.join(run_dir, "status.json")) as f:
        assert json.load(f)["state"] == "starting"  # not ended: the requeued job continues it

    os.remove(os.path.join(run_dir, PREEMPT_FILE))  # the batch script does this when the requeued job starts
    result = run_train(run_dir, "--resume")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    events = read_events(run_dir)
    schema = load_schema("events.schema.json")
    for e in events:
        jsonschema.validate(e, schema)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [e["step"] for e in of_type(events, "metrics")] == list(range(1, 13))
    assert of_type(events, "plan")[-1]["resumed_from_step"] == stopped
    assert [e["state"] for e in of_type(events, "done")] == ["completed"]


def test_the_cluster_layout_from_the_batch_script_becomes_a_c10d_rendezvous():
    assert cluster_layout({}) is None
    layout = cluster_layout(
        {"BRIGHTRUN_NNODES": "2", "BRIGHTRUN_NPROC_PER_NODE": "4", "SLURM_NODEID": "1", "BRIGHTRUN_RDZV_ENDPOINT": "node1:20042", "BRIGHTRUN_RDZV_ID": "42"}
    )
    assert torchrun_args(4, layout) == [
        "--nnodes=2",
        "--node_rank=1",
        "--nproc_per_node=4",
        "--rdzv_backend=c10d",
        "--rdzv_endpoint=node1:20042",
        "--rdzv_id=42",
        "--rdzv_conf=is_host=0",
    ]
    assert torchrun_args(2, None) == ["--standalone", "--nproc_per_node=2"]
