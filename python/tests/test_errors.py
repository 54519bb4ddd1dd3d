"""Failures are classified into the protocol's error kinds, each with a hint a user can act on."""

import torch
from brightrun_trainer.errors import ConfigError, DataError, classify


def test_kinds_and_hints():
    kind, message, hint = classify(torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB"))
    assert kind == "oom" and "batch_size" in hint and "gradient_checkpointing" in hint and "4bit" in hint
    assert classify(MemoryError())[0] == "oom"
    kind, _, hint = classify(RuntimeError("CUDA error: an illegal memory access was encountered"))
    assert kind == "cuda" and "nvidia-smi" in hint
    assert classify(KeyboardInterrupt())[0] == "killed"
    kind, message, hint = classify(ValueError("boom"))
    assert kind == "exception" and "boom" in message and "trainer.log" in hint
    assert classify(ConfigError("bad", "fix it")) == ("config", "bad", "fix it")
    err = DataError("broken", file="a.jsonl", line=3)
    assert classify(err)[0] == "data" and err.line == 3 and "validate" in err.hint
