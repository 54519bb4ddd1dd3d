"""Preference pairs: tokenization (prompt + chosen, prompt + rejected) and collation of chosen and rejected together.

Each response is rendered after its prompt with the chat template, exactly as an SFT example is, with labels only
on the response's assistant tokens. A batch of B pairs becomes one tensor batch of 2B sequences: the B chosen first,
then the B rejected, so one forward pass scores both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..errors import ConfigError
from .batching import collate
from .formats import PREFERENCE_FORMATS, Example
from .tokenize import IGNORE, Tokenized, TokenizeReport, tokenize_examples


@dataclass
class TokenizedPair:
    chosen: Tokenized
    rejected: Tokenized
    line: int

    @property
    def tokens(self) -> int:
        return len(self.chosen.input_ids) + len(self.rejected.input_ids)


def check_method_format(method: str, is_pairs: bool, file: str) -> None:
    """The trainer's own check that the data fits the method (the editor and the CLI check it before launch)."""
    preference = method in ("dpo", "orpo")
    if preference and not is_pairs:
        raise ConfigError(
            f"method {method} trains on preference pairs, but {file} holds no pairs.",
            f'Use an {" or ".join(PREFERENCE_FORMATS)} dataset, or set "method": "sft".',
        )
    if not preference and is_pairs:
        raise ConfigError(f"{file} holds preference pairs, which method sft cannot train on.", 'Set "method": "dpo" or "orpo" in the run config.')


def _side(example: Example, response) -> Example:
    return Example(
        line=example.line,
        messages=example.messages + response,
        tools=example.tools,
        train_turns=[False] * len(example.messages) + [m["role"] == "assistant" for m in response],
    )


def tokenize_pairs(tokenizer, examples: list[Example], max_len: int, overlength: str, file: str):
    """([TokenizedPair], TokenizeReport). A pair is kept only when both sides are: a side longer than max_len is
    truncated or dropped per `overlength`, and a pair whose side lost every response token is dropped."""
    whole = 1 << 30  # tokenize without a limit; the policy is applied to the pair below
    chosen, _ = tokenize_examples(tokenizer, [_side(e, e.chosen) for e in examples], whole, "truncate", file)
    rejected, _ = tokenize_examples(tokenizer, [_side(e, e.rejected) for e in examples], whole, "truncate", file)
    report = TokenizeReport()
    pairs: list[TokenizedPair] = []
    for c, r in zip(chosen, rejected):
        if max(len(c.input_ids), len(r.input_ids)) > max_len:
            if overlength == "drop":
                report.dropped += 1
                continue
            c, r = _cut(c, max_len), _cut(r, max_len)
            if not (_has_labels(c) and _has_labels(r)):
                report.dropped += 1  # truncation removed a whole response: nothing left to compare
                continue
            report.truncated += 1
        pairs.append(TokenizedPair(c, r, c.line))
        report.kept += 1
        report.tokens += len(c.input_ids) + len(r.input_ids)
    return pairs, report


def _cut(t: Tokenized, max_len: int) -> Tokenized:
    return Tokenized(t.input_ids[:max_len], t.labels[:max_len], t.line)


def _has_labels(t: Tokenized) -> bool:
    return any(x != IGNORE for x in t.labels[1:])


def pair_rows(pairs: list[TokenizedPair]) -> list[list[TokenizedPair]]:
    """One pair per row: preference sequences are never packed."""
    return [[p] for p in pairs]


def collate_pairs(batch: list[list[TokenizedPair]], pad_id: int, multiple_of: int = 1) -> dict[str, torch.Tensor | None]:
    """The chosen sequences of the batch, then the rejected ones, padded to one width; `samples` counts pairs."""
    pairs = [row[0] for row in batch]
    out = collate([[p.chosen] for p in pairs] + [[p.rejected] for p in pairs], pad_id, False, multiple_of)
    out["samples"] = len(pairs)
    return out


def trained_pairs(collated: dict) -> int:
    """The unit a preference loss is averaged over: pairs."""
    return int(collated["samples"])


def pair_token_efficiency(batches, multiple_of: int = 1) -> float:
    real = padded = 0
    for batch in batches:
        lengths = [len(s.input_ids) for row in batch for s in (row[0].chosen, row[0].rejected)]
        width = max(lengths)
        if multiple_of > 1:
            width = -(-width // multiple_of) * multiple_of
        real += sum(lengths)
        padded += width * len(lengths)
    return real / padded if padded else 1.0
