"""The host queue's rules (who starts, positions, move-up, cancel) on plain entries, and queue.json under its lock."""

from __future__ import annotations

import json
import os

import pytest
from brightrun_trainer.host_queue import HostQueue, QueueFileError, decide, move_up, parse_queue, positions, pruned, wait_reason, without


def entry(run_id, state="waiting", gpus=1, devices=None, max_runs=None, up=True):
    return {"run_id": run_id, "run_dir": f"/w/runs/{run_id}", "state": state, "gpus": gpus, "devices": devices or [], "max_runs": max_runs, "pid": 1, "up": up}


def alive(e):
    return e["up"]


def test_cpu_host_runs_one_at_a_time_first_in_first_out():
    entries = [entry("a"), entry("b"), entry("c")]
    assert decide(entries, [], alive) == {"a": []}
    entries[0]["state"] = "running"
    assert decide(entries, [], alive) == {}
    assert positions(entries) == {"b": 1, "c": 2}
    assert wait_reason(entries, "b", [], alive) == "waiting for a run to end (1 of 1 running on this host)"
    assert wait_reason(entries, "c", [], alive) == "1 run ahead in this host's queue"


def test_a_finished_run_frees_its_slot_and_leaves_the_file():
    entries = [entry("a", state="running", up=False), entry("b")]
    assert decide(entries, [], alive) == {"b": []}
    assert [e["run_id"] for e in pruned(entries, alive)] == ["b"]


def test_max_runs_raises_the_cpu_default():
    entries = [entry("a", max_runs=2), entry("b", max_runs=2), entry("c", max_runs=2)]
    assert decide(entries, [], alive) == {"a": [], "b": []}


def test_gpu_host_gives_out_free_indices_and_keeps_fifo():
    entries = [entry("a", state="running", devices=[0]), entry("b", gpus=2), entry("c", gpus=1)]
    # b needs two GPUs, only 1 and 2 are free of 3... it fits; c then has none left.
    assert decide(entries, [0, 1, 2], alive) == {"b": [1, 2]}
    # With two GPUs, b does not fit and c may not overtake it.
    assert decide(entries, [0, 1], alive) == {}
    assert wait_reason(entries, "b", [0, 1], alive) == "waiting for 2 free GPUs (1 of 2 free)"


def test_a_run_asking_for_more_gpus_than_the_host_has_waits_for_all_of_them():
    assert decide([entry("a", gpus=8)], [0, 1], alive) == {"a": [0, 1]}
    assert decide([entry("r", state="running", devices=[1]), entry("a", gpus=8)], [0, 1], alive) == {}


def test_a_run_whose_waiter_is_gone_keeps_its_place_but_does_not_block():
    entries = [entry("a", up=False), entry("b")]
    assert decide(entries, [], alive) == {"b": []}
    assert positions(entries) == {"a": 1, "b": 2}
    assert [e["run_id"] for e in pruned(entries, alive)] == ["a", "b"]


def test_move_up_swaps_with_the_waiting_run_ahead_only():
    entries = [entry("r", state="running"), entry("a"), entry("b"), entry("c")]
    once = move_up(entries, "c")
    assert [e["run_id"] for e in once] == ["r", "a", "c", "b"]
    assert [e["run_id"] for e in move_up(once, "c")] == ["r", "c", "a", "b"]
    assert [e["run_id"] for e in move_up(move_up(once, "c"), "c")] == ["r", "c", "a", "b"]
    with pytest.raises(KeyError, match="not waiting"):
        move_up(entries, "r")


def test_cancel_takes_the_run_out_and_the_others_move_up():
    entries = [entry("a", state="running"), entry("b"), entry("c")]
    assert positions(without(entries, "b")) == {"c": 1}


@pytest.mark.parametrize(
    "text,words",
    [
        ("{not json", "not valid JSON"),
        ('{"v": 2, "entries": []}', "not a BrightRun queue"),
        ('{"v": 1, "entries": [{"run_id": 3}]}', "entry 1 of the host's run queue is damaged"),
    ],
)
def test_a_damaged_queue_file_is_a_clear_error(text, words):
    with pytest.raises(QueueFileError, match=words) as caught:
        parse_queue(text, "/w/queue.json")
    assert "/w/queue.json" in str(caught.value)


def test_changes_are_written_atomically_and_a_damaged_file_is_left_as_it_is(tmp_path):
    queue = HostQueue(str(tmp_path))
    with queue.changing() as q:
        q["entries"].append({**entry("a"), "pid": None})
        q["entries"].append({**entry("b"), "pid": None})
    assert queue.move_up("b") == 1
    assert [e["run_id"] for e in queue.read()["entries"]] == ["b", "a"]
    assert [(e["run_id"], e["position"], e["alive"]) for e in queue.listing()] == [("b", 1, False), ("a", 2, False)]
    assert not [n for n in os.listdir(tmp_path) if ".tmp" in n]

    damaged = '{"v": 1, "entries": [truncated'
    (tmp_path / "queue.json").write_text(damaged)
    with pytest.raises(QueueFileError):
        with queue.changing() as q:
            q["entries"] = []
    with pytest.raises(QueueFileError):
        queue.move_up("a")
    assert (tmp_path / "queue.json").read_text() == damaged  # nothing lost: the file stays for the user to fix


def test_the_queue_command_lists_as_json_and_says_what_is_wrong(tmp_path, capsys):
    from brightrun_trainer.cli import main

    assert main(["queue", "list", "--workdir", str(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out) == {"queue": []}
    assert main(["queue", "move-up", "--workdir", str(tmp_path), "nope"]) == 1
    assert "nope is not waiting" in capsys.readouterr().err
    (tmp_path / "queue.json").write_text("[]")
    assert main(["queue", "list", "--workdir", str(tmp_path)]) == 2
    assert "not a BrightRun queue" in capsys.readouterr().err


def test_revive_and_cancel_say_what_is_wrong_with_a_damaged_queue_and_change_nothing(tmp_path, capsys):
    from brightrun_trainer.cli import main

    run_dir = tmp_path / "runs" / "r1"
    run_dir.mkdir(parents=True)
    (tmp_path / "queue.json").write_text("{oops")
    for command in (["queue", "revive", "--run-dir", str(run_dir)], ["queue", "cancel", "--run-dir", str(run_dir)]):
        assert main(command) == 2
        assert "not valid JSON" in capsys.readouterr().err
    assert (tmp_path / "queue.json").read_text() == "{oops"
    assert not (run_dir / "status.json").exists()


def test_the_gpu_pool_is_cuda_visible_devices_or_what_nvidia_smi_lists(tmp_path):
    from brightrun_trainer.host_queue import gpu_pool

    assert gpu_pool({"CUDA_VISIBLE_DEVICES": "0,2"}) == [0, 2]
    assert gpu_pool({"CUDA_VISIBLE_DEVICES": ""}) == []
    # No GPU here: a stand-in nvidia-smi answers the same query preflight uses.
    smi = tmp_path / "nvidia-smi"
    smi.write_text('#!/bin/sh\n[ "$1" = "--query-gpu=index" ] && printf "0\\n1\\n"\n')
    smi.chmod(0o755)
    with pytest.MonkeyPatch.context() as m:
        m.setenv("PATH", f"{tmp_path}:{os.environ.get('PATH', '')}")
        assert gpu_pool({}) == [0, 1]


def test_two_waiters_on_a_two_gpu_host_get_one_gpu_each_and_say_so_in_status(tmp_path, monkeypatch):
    from brightrun_trainer import queue_waiter

    started = {}

    def become_trainer(run_dir, resume, devices):  # instead of exec: record what the trainer would get
        started[os.path.basename(run_dir)] = devices
        return 0

    monkeypatch.setattr(queue_waiter, "_become_trainer", become_trainer)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,1")
    for run_id in ("run-a", "run-b"):
        run_dir = tmp_path / "runs" / run_id
        run_dir.mkdir(parents=True)
        (run_dir / "config.json").write_text(json.dumps({"num_gpus": 1}))
        queue_waiter.wait_and_train(str(run_dir), resume=False, max_runs=None, poll_s=0.01)
        status = json.loads((run_dir / "status.json").read_text())
        assert status["state"] == "starting" and status["queue"] is None and status["pid"] == os.getpid()
    assert started == {"run-a": [0], "run-b": [1]}
    entries = HostQueue(str(tmp_path)).read()["entries"]
    assert [(e["run_id"], e["state"], e["devices"]) for e in entries] == [("run-a", "running", [0]), ("run-b", "running", [1])]


def test_the_trainer_sees_only_the_gpus_it_was_given():
    from brightrun_trainer.queue_waiter import trainer_env

    env = trainer_env({"CUDA_VISIBLE_DEVICES": "0,1,2,3", "HOME": "/h"}, [1, 3])
    assert (env["CUDA_VISIBLE_DEVICES"], env["CUDA_DEVICE_ORDER"], env["HOME"]) == ("1,3", "PCI_BUS_ID", "/h")
    assert trainer_env({"HOME": "/h"}, []) == {"HOME": "/h"}  # a CPU host: nothing to restrict
