"""The prompts base and adapter answer: a prompt set file, or the validation examples' own questions.

A prompt set is JSONL, one {"prompt": str, "reference"?: str, "system"?: str} per line. From a chat validation
example, the conversation up to its last assistant turn is the prompt and that turn is the reference; from a
preference pair, its prompt, with the chosen response as the reference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from ..data.formats import Example
from ..errors import DataError


@dataclass
class Prompt:
    messages: List[Dict[str, Any]]
    reference: Optional[str]
    tools: Optional[List[Any]] = None

    @property
    def text(self) -> str:
        """What a person reads as the question: the last user turn."""
        users = [m for m in self.messages if m["role"] == "user"]
        return (users[-1] if users else self.messages[-1])["content"] or ""

    @property
    def system(self) -> Optional[str]:
        return next((m["content"] for m in self.messages if m["role"] == "system"), None)


def read_prompt_set(path: str) -> List[Prompt]:
    prompts: List[Prompt] = []
    try:
        f = open(path, "rb")
    except OSError as e:
        raise DataError(
            f"cannot read the prompt set {path}: {e.strerror}", file=path, hint='Pass a JSONL file with one {"prompt": ..., "reference": ...} per line.'
        ) from None
    hint = 'Each line of a prompt set is {"prompt": "...", "reference": "..." (optional), "system": "..." (optional)}.'
    with f:
        for number, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
                if not line.strip():
                    continue
                obj = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                raise DataError(f"the line is not valid UTF-8 JSON: {e}", file=path, line=number, hint=hint) from None
            if not isinstance(obj, dict) or not isinstance(obj.get("prompt"), str) or not obj["prompt"].strip():
                raise DataError('expected an object with a non-empty string "prompt"', file=path, line=number, hint=hint)
            for key in ("reference", "system"):
                if obj.get(key) is not None and not isinstance(obj[key], str):
                    raise DataError(f'"{key}" must be a string', file=path, line=number, hint=hint)
            messages = ([{"role": "system", "content": obj["system"]}] if obj.get("system") else []) + [{"role": "user", "content": obj["prompt"]}]
            prompts.append(Prompt(messages=messages, reference=obj.get("reference")))
    if not prompts:
        raise DataError(f"the prompt set {path} has no prompts", file=path, hint=hint)
    return prompts


def prompts_from_examples(examples: List[Example], limit: int) -> List[Prompt]:
    """Up to `limit` prompts from chat examples, in file order; plain-text examples have no question to ask."""
    prompts: List[Prompt] = []
    for ex in examples:
        if len(prompts) >= limit:
            break
        if not ex.messages:
            continue
        if ex.chosen is not None:  # a preference pair: its prompt, with the chosen response as the reference
            if ex.chosen[-1].get("tool_calls") is None:
                prompts.append(Prompt(messages=ex.messages, reference=ex.chosen[-1]["content"] or "", tools=ex.tools))
            continue
        last = max((i for i, m in enumerate(ex.messages) if m["role"] == "assistant"), default=None)
        if not last or ex.messages[last].get("tool_calls"):
            continue  # no question before it, or an answer that is a tool call rather than text
        prompts.append(Prompt(messages=ex.messages[:last], reference=ex.messages[last]["content"] or "", tools=ex.tools))
    return prompts
