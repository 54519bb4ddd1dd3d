"""The ticket-triage sample task (samples/tickets): reproducible, the held-out split really held out, prompts from it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from conftest import REPO, require_part

TICKETS = os.path.join(REPO, "samples", "tickets")
FILES = ("tickets-train.jsonl", "tickets-val.jsonl", "tickets-val.prompts.jsonl")


def _rows(name):
    with open(os.path.join(TICKETS, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_the_generator_reproduces_the_committed_files(tmp_path):
    require_part(shutil.which("node") is not None, "node")
    subprocess.run(["node", os.path.join(REPO, "scripts", "make-ticket-samples.mjs"), str(tmp_path)], check=True, capture_output=True)
    for name in FILES:
        with open(tmp_path / name, "rb") as made, open(os.path.join(TICKETS, name), "rb") as committed:
            assert made.read() == committed.read(), f"{name} differs: run node scripts/make-ticket-samples.mjs"


def test_no_held_out_message_is_in_the_training_split():
    train = {row["messages"][0]["content"] for row in _rows("tickets-train.jsonl")}
    held_out = [row["messages"][0]["content"] for row in _rows("tickets-val.jsonl")]
    assert held_out and not train.intersection(held_out)


def test_the_prompt_set_is_taken_from_the_held_out_split_with_json_references():
    val = [(row["messages"][0]["content"], row["messages"][1]["content"]) for row in _rows("tickets-val.jsonl")]
    prompts = [(row["prompt"], row["reference"]) for row in _rows("tickets-val.prompts.jsonl")]
    assert 10 <= len(prompts) <= len(val) and prompts == val[: len(prompts)]
    for _, reference in prompts:
        ticket = json.loads(reference)
        assert list(ticket) == ["intent", "order", "product", "quantity"]
        assert ticket["intent"] in {"cancel", "return", "track", "change_address"}


@pytest.mark.parametrize("name", FILES)
def test_every_line_is_one_compact_json_object(name):
    with open(os.path.join(TICKETS, name), encoding="utf-8") as f:
        for line in f:
            assert json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":")) == line.rstrip("\n")
