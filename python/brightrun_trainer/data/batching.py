"""Rows (one example, or several packed), batches of rows, and collation into tensors.

Packing concatenates short examples into rows of up to max_seq_len tokens. Examples never attend to each other:
position_ids restart at 0 for each example and the attention mask is left out, which transformers turns into a
block-diagonal causal mask (SDPA/eager) or variable-length attention (flash-attention 2). The first label of each
example is ignored so the last token of one example is never trained to predict the next example.
"""

from __future__ import annotations

from typing import Dict, List, Optional

import torch

from .tokenize import IGNORE, Tokenized

Row = List[Tokenized]


def shuffled(n: int, seed: int, salt: int) -> List[int]:
    g = torch.Generator().manual_seed(seed * 1_000_003 + salt)
    return torch.randperm(n, generator=g).tolist()


def pack_rows(examples: List[Tokenized], max_len: int, seed: int, window: int = 256) -> List[Row]:
    """First-fit packing of examples (in a seeded random order) into rows; looks back at most `window` open rows."""
    rows: List[Row] = []
    space: List[int] = []
    for i in shuffled(len(examples), seed, 7919):
        ex = examples[i]
        n = len(ex.input_ids)
        placed = False
        for j in range(max(0, len(rows) - window), len(rows)):
            if space[j] >= n:
                rows[j].append(ex)
                space[j] -= n
                placed = True
                break
        if not placed:
            rows.append([ex])
            space.append(max_len - n)
    return rows


def make_rows(examples: List[Tokenized], max_len: int, packing: bool, seed: int) -> List[Row]:
    return pack_rows(examples, max_len, seed) if packing else [[ex] for ex in examples]


def epoch_batches(rows: List[Row], batch_size: int, seed: int, epoch: int, world: int = 1, shuffle: bool = True) -> List[List[Row]]:
    """The micro-batches of one epoch, in a seeded order that depends only on (seed, epoch): resumable.

    With several processes the list is padded (wrapping around) to a multiple of `world`, so every rank runs the
    same number of micro-batches and none waits forever in an all-reduce.
    """
    order = shuffled(len(rows), seed, epoch) if shuffle else list(range(len(rows)))
    batches = [[rows[i] for i in order[k : k + batch_size]] for k in range(0, len(order), batch_size)]
    if world > 1 and len(batches) % world:
        batches += batches[: world - len(batches) % world]
    return batches


def collate(batch: List[Row], pad_id: int, packing: bool, multiple_of: int = 1) -> Dict[str, Optional[torch.Tensor]]:
    lengths = [sum(len(ex.input_ids) for ex in row) for row in batch]
    width = max(lengths)
    if multiple_of > 1:
        width = -(-width // multiple_of) * multiple_of
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    positions = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for r, row in enumerate(batch):
        pos = 0
        for ex in row:
            n = len(ex.input_ids)
            ids[r, pos : pos + n] = torch.tensor(ex.input_ids)
            labels[r, pos : pos + n] = torch.tensor(ex.labels)
            labels[r, pos] = IGNORE
            positions[r, pos : pos + n] = torch.arange(n)
            mask[r, pos : pos + n] = 1
            pos += n
        # Padding gets its own position run, i.e. its own block: it attends only to itself and is never trained.
        positions[r, pos:] = torch.arange(width - pos)
    if packing:
        return {
            "input_ids": ids,
            "labels": labels,
            "position_ids": positions,
            "attention_mask": None,
            "tokens": int(sum(lengths)),
            "samples": sum(len(row) for row in batch),
            "padded": len(batch) * width,
        }
    return {
        "input_ids": ids,
        "labels": labels,
        "position_ids": None,
        "attention_mask": mask,
        "tokens": int(sum(lengths)),
        "samples": len(batch),
        "padded": len(batch) * width,
    }


def token_efficiency(batches: List[List[Row]], multiple_of: int = 1) -> float:
    real = padded = 0
    for batch in batches:
        lengths = [sum(len(ex.input_ids) for ex in row) for row in batch]
        width = max(lengths)
        if multiple_of > 1:
            width = -(-width // multiple_of) * multiple_of
        real += sum(lengths)
        padded += width * len(batch)
    return real / padded if padded else 1.0
