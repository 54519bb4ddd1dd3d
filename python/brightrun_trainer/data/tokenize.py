"""Chat template + tokenization with assistant-only labels, and the over-length policy.

Labels follow the Hugging Face convention (aligned with input_ids, -100 = not trained; the loss shifts them).
Each trainable assistant turn is located by rendering the conversation up to the turn with the generation prompt
and up to the end of the turn: the characters in between are the turn's answer (plus its end-of-turn marker).
The text is tokenized segment by segment, so the prompt is tokenized exactly as it will be at inference time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from ..errors import ConfigError, DataError
from .formats import Example

IGNORE = -100

# Used when the base model's tokenizer has no chat template (typical of base, non-instruct models). Plain-text
# markers and the tokenizer's own EOS, so no new tokens (and no embedding resize) are needed. It is saved with the
# adapter's tokenizer, so generation later uses the same format.
FALLBACK_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}{{ '### System:\n' + message['content'] + '\n\n' }}"
    "{% elif message['role'] == 'user' %}{{ '### User:\n' + message['content'] + '\n\n' }}"
    "{% elif message['role'] == 'assistant' %}{{ '### Assistant:\n' + (message['content'] or '') }}"
    "{% if message.get('tool_calls') %}{{ message['tool_calls'] | tojson }}{% endif %}{{ eos_token + '\n\n' }}"
    "{% else %}{{ '### ' + message['role'] | capitalize + ':\n' + message['content'] + '\n\n' }}{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '### Assistant:\n' }}{% endif %}"
)


@dataclass
class Tokenized:
    input_ids: List[int]
    labels: List[int]
    line: int

    @property
    def trained_tokens(self) -> int:
        return sum(1 for x in self.labels if x != IGNORE)


@dataclass
class TokenizeReport:
    kept: int = 0
    truncated: int = 0
    dropped: int = 0
    tokens: int = 0


def ensure_chat_template(tokenizer) -> bool:
    """Installs the fallback template when the tokenizer has none. Returns True when it did."""
    if getattr(tokenizer, "chat_template", None):
        return False
    tokenizer.chat_template = FALLBACK_CHAT_TEMPLATE
    return True


def _render(tokenizer, messages, tools, add_generation_prompt: bool) -> str:
    kwargs = {"tools": tools} if tools else {}
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt, **kwargs)


def chat_segments(tokenizer, example: Example) -> List[Tuple[str, bool]]:
    """The rendered conversation as (text, trained) segments in order."""
    messages, tools = example.messages, example.tools
    full = _render(tokenizer, messages, tools, False)
    spans: List[Tuple[int, int]] = []
    cursor = 0
    for i, train in enumerate(example.train_turns):
        if not train:
            continue
        start = end = None
        try:
            before = _render(tokenizer, messages[:i], tools, True) if i > 0 else None
            through = _render(tokenizer, messages[: i + 1], tools, False)
            if before is not None and through.startswith(before) and full.startswith(through):
                start, end = len(before), len(through)
        except Exception:  # some templates refuse partial conversations; fall back to finding the text
            pass
        if start is None or start < cursor:
            content = messages[i].get("content") or ""
            found = full.find(content, cursor) if content else -1
            if found < 0:
                raise ValueError(f"could not locate assistant turn {i} in the chat template's output")
            start, end = found, found + len(content)
            eos = getattr(tokenizer, "eos_token", None)
            if eos and full.startswith(eos, end):
                end += len(eos)  # teach the model to stop
        spans.append((start, end))
        cursor = end
    segments: List[Tuple[str, bool]] = []
    pos = 0
    for start, end in spans:
        if start > pos:
            segments.append((full[pos:start], False))
        segments.append((full[start:end], True))
        pos = end
    if pos < len(full):
        segments.append((full[pos:], False))
    return segments


def tokenize_examples(tokenizer, examples: List[Example], max_len: int, overlength: str, file: str):
    """Returns ([Tokenized], TokenizeReport). Over-long examples are truncated or dropped per `overlength`."""
    report = TokenizeReport()
    out: List[Tokenized] = []
    eos_id = tokenizer.eos_token_id
    for ex in examples:
        try:
            if ex.text is not None:
                ids = tokenizer(ex.text, add_special_tokens=True)["input_ids"]
                if eos_id is not None and (not ids or ids[-1] != eos_id):
                    ids = ids + [eos_id]
                labels = list(ids)
            else:
                segments = chat_segments(tokenizer, ex)
                encoded = tokenizer([text for text, _ in segments], add_special_tokens=False)["input_ids"]
                ids, labels = [], []
                for (_text, trained), seg_ids in zip(segments, encoded):
                    ids += seg_ids
                    labels += seg_ids if trained else [IGNORE] * len(seg_ids)
        except ConfigError:
            raise
        except Exception as e:
            raise DataError(f"cannot apply the chat template: {e}", file=file, line=ex.line) from None
        if len(ids) > max_len:
            if overlength == "drop":
                report.dropped += 1
                continue
            ids, labels = ids[:max_len], labels[:max_len]
            if all(x == IGNORE for x in labels[1:]):
                report.dropped += 1  # truncation removed every trained token: nothing left to learn from
                continue
            report.truncated += 1
        out.append(Tokenized(ids, labels, ex.line))
        report.kept += 1
        report.tokens += len(ids)
    return out, report
