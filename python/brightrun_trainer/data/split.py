"""The training and evaluation examples of a run: the validation file, or a seeded share held out of the training
file. The same split at training time and when the run is evaluated later."""

from __future__ import annotations

from .batching import shuffled
from .formats import read_dataset


def split_examples(cfg):
    """(train examples, eval examples, the file the eval examples come from)."""
    _, train_ex = read_dataset(cfg.train_file)
    eval_ex, eval_file = [], cfg.train_file
    if cfg.validation_file:
        _, eval_ex = read_dataset(cfg.validation_file)
        eval_file = cfg.validation_file
    elif cfg.validation_split > 0 and len(train_ex) >= 2:
        order = shuffled(len(train_ex), cfg.seed, 104729)
        n_eval = min(len(train_ex) - 1, max(1, round(cfg.validation_split * len(train_ex))))
        held = set(order[:n_eval])
        eval_ex = [e for i, e in enumerate(train_ex) if i in held]
        train_ex = [e for i, e in enumerate(train_ex) if i not in held]
    return train_ex, eval_ex, eval_file
