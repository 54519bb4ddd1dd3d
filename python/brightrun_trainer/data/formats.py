"""Reads a JSONL dataset in any supported format and converts each line to chat messages (or plain text).

Formats (as the validator detects them, see DESIGN.md): openai-chat, sharegpt, alpaca, prompt-completion, text,
and the preference formats openai-preference and pairs (a prompt, a chosen and a rejected response).
A line that cannot be used raises DataError with the file and the 1-based line number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ..errors import DataError

SHAREGPT_ROLES = {
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
    "chatgpt": "assistant",
    "bing": "assistant",
    "bard": "assistant",
    "model": "assistant",
    "system": "system",
    "tool": "tool",
    "function": "tool",
    "observation": "tool",
    "function_response": "tool",
    "function_call": "assistant",
}
CHAT_ROLES = {"system", "user", "assistant", "tool", "developer", "function"}
PREFERENCE_FORMATS = ("openai-preference", "pairs")
# JSON may escape half of a UTF-16 surrogate pair on its own ("\ud800"); such a string cannot be encoded as UTF-8
# and would fail in the tokenizer mid-run. Only lines with such an escape are checked (the validator's
# invalid_surrogate rule reports the same lines, at the escape).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass
class Example:
    line: int
    messages: Optional[List[Dict[str, Any]]] = None
    text: Optional[str] = None
    tools: Optional[List[Any]] = None
    # Per message: whether an assistant turn is trained on (openai-chat `weight`); default all assistant turns.
    train_turns: List[bool] = field(default_factory=list)
    # Preference formats: `messages` is the prompt; these are the two responses (messages ending with an assistant turn).
    chosen: Optional[List[Dict[str, Any]]] = None
    rejected: Optional[List[Dict[str, Any]]] = None


def detect_format(obj: dict) -> Optional[str]:
    if "input" in obj and "preferred_output" in obj:
        return "openai-preference"
    if "chosen" in obj and "rejected" in obj:
        return "pairs"
    if "messages" in obj:
        return "openai-chat"
    if "conversations" in obj:
        return "sharegpt"
    if "instruction" in obj and "output" in obj:
        return "alpaca"
    if "prompt" in obj and "completion" in obj:
        return "prompt-completion"
    if "text" in obj:
        return "text"
    return None


def _text_of(content: Any, where: str) -> str:
    """A text, given as a string or as a list of content parts. The same in every format (a chat message's
    content, a ShareGPT value, a prompt, a completion, an instruction, a text), as the validator reads it: a
    text-only model is trained on the text parts; image parts are dropped (the validator says so, image_content)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") not in ("text", "image_url"):
                raise ValueError(f"{where}: content parts must be objects with type text or image_url")
            if part["type"] == "image_url":
                continue
            if not isinstance(part.get("text"), str):
                raise ValueError(f"{where}: a text part needs a string 'text'")
            parts.append(part["text"])
        return "".join(parts)
    raise ValueError(f"{where}: content must be a string or a list of content parts")


def _field_text(obj: dict, key: str) -> str:
    """A required text field of alpaca, prompt-completion or text: a string or a list of content parts."""
    value = obj.get(key)
    if not isinstance(value, (str, list)):
        raise ValueError(f"'{key}' must be a string or a list of content parts")
    return _text_of(value, f"'{key}'")


def _optional_text(obj: dict, key: str) -> str:
    value = obj.get(key)
    return _text_of(value, f"'{key}'") if isinstance(value, (str, list)) else ""


def _chat_messages(messages: Any, where: str):
    """(messages, trained flags) of a list of chat messages, as openai-chat reads them."""
    if not isinstance(messages, list) or not messages:
        raise ValueError(f"'{where}' must be a non-empty list")
    out, train = [], []
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in CHAT_ROLES:
            raise ValueError(f"{where}[{i}] needs a role among {', '.join(sorted(CHAT_ROLES))}")
        msg: Dict[str, Any] = {"role": m["role"], "content": _text_of(m.get("content"), f"{where}[{i}]")}
        for key in ("name", "tool_calls", "tool_call_id"):
            if key in m:
                msg[key] = m[key]
        weight = m.get("weight", 1)
        if weight not in (0, 1):
            raise ValueError(f"{where}[{i}].weight must be 0 or 1")
        out.append(msg)
        train.append(m["role"] == "assistant" and weight == 1)
    return out, train


def _from_openai(obj: dict) -> Example:
    out, train = _chat_messages(obj["messages"], "messages")
    return Example(line=0, messages=out, tools=obj.get("tools"), train_turns=train)


def _response(value: Any, where: str, prompt: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """A chosen or rejected response: a string (one assistant turn) or messages ending with an assistant turn. When
    the messages repeat the prompt first (a common export), only what follows the prompt is the response."""
    if isinstance(value, str):
        return [{"role": "assistant", "content": value}]
    messages, _ = _chat_messages(value, where)
    if len(messages) > len(prompt) and messages[: len(prompt)] == prompt:
        messages = messages[len(prompt) :]
    if messages[-1]["role"] != "assistant":
        raise ValueError(f"'{where}' must end with an assistant message")
    return messages


def _from_pairs(obj: dict) -> Example:
    prompt = obj.get("prompt")
    if isinstance(prompt, str):
        if not prompt.strip():
            raise ValueError("'prompt' must not be empty")
        messages = [{"role": "user", "content": prompt}]
    elif isinstance(prompt, list):
        messages, _ = _chat_messages(prompt, "prompt")
    else:
        raise ValueError("'prompt' must be a string or a list of messages")
    chosen, rejected = _response(obj["chosen"], "chosen", messages), _response(obj["rejected"], "rejected", messages)
    return Example(line=0, messages=messages, train_turns=[False] * len(messages), chosen=chosen, rejected=rejected)


def _from_openai_preference(obj: dict) -> Example:
    source = obj["input"]
    if not isinstance(source, dict):
        raise ValueError("'input' must be an object with 'messages'")
    messages, _ = _chat_messages(source.get("messages"), "input.messages")
    if "non_preferred_output" not in obj:
        raise ValueError("'non_preferred_output' is missing: a preference example needs both outputs")
    chosen = _response(obj["preferred_output"], "preferred_output", messages)
    rejected = _response(obj["non_preferred_output"], "non_preferred_output", messages)
    return Example(line=0, messages=messages, tools=source.get("tools"), train_turns=[False] * len(messages), chosen=chosen, rejected=rejected)


def _from_sharegpt(obj: dict) -> Example:
    turns = obj["conversations"]
    if not isinstance(turns, list) or not turns:
        raise ValueError("'conversations' must be a non-empty list")
    out = []
    for i, t in enumerate(turns):
        if not isinstance(t, dict) or t.get("from") not in SHAREGPT_ROLES:
            raise ValueError(f"conversations[{i}].from must be one of {', '.join(sorted(SHAREGPT_ROLES))}")
        out.append({"role": SHAREGPT_ROLES[t["from"]], "content": _text_of(t.get("value"), f"conversations[{i}].value")})
    if "system" in obj and isinstance(obj["system"], str) and out[0]["role"] != "system":
        out.insert(0, {"role": "system", "content": obj["system"]})
    return Example(line=0, messages=out, train_turns=[m["role"] == "assistant" for m in out])


def _from_alpaca(obj: dict) -> Example:
    instruction, output = _field_text(obj, "instruction"), _field_text(obj, "output")
    out = []
    system = _optional_text(obj, "system")
    if system:
        out.append({"role": "system", "content": system})
    for i, pair in enumerate(obj.get("history") or []):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise ValueError(f"history[{i}] must be a [instruction, response] pair of strings")
        out += [{"role": "user", "content": pair[0]}, {"role": "assistant", "content": pair[1]}]
    prompt = instruction
    extra = _optional_text(obj, "input")
    if extra:
        prompt = f"{prompt}\n\n{extra}"
    out += [{"role": "user", "content": prompt}, {"role": "assistant", "content": output}]
    return Example(line=0, messages=out, train_turns=[m["role"] == "assistant" for m in out])


def _from_prompt_completion(obj: dict) -> Example:
    out = [{"role": "user", "content": _field_text(obj, "prompt")}, {"role": "assistant", "content": _field_text(obj, "completion")}]
    return Example(line=0, messages=out, train_turns=[False, True])


def _from_text(obj: dict) -> Example:
    text = _field_text(obj, "text")
    if not text:
        raise ValueError("'text' must be a non-empty string (or content parts with text)")
    return Example(line=0, text=text)


CONVERTERS = {
    "openai-chat": _from_openai,
    "sharegpt": _from_sharegpt,
    "alpaca": _from_alpaca,
    "prompt-completion": _from_prompt_completion,
    "text": _from_text,
    "openai-preference": _from_openai_preference,
    "pairs": _from_pairs,
}


def _encodable(obj: Any) -> bool:
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def read_dataset(path: str):
    """Returns (format, [Example]) for a whole file. Mixed formats in one file are an error, as in the validator."""
    fmt: Optional[str] = None
    examples: List[Example] = []
    try:
        f = open(path, "rb")
    except OSError as e:
        raise DataError(f"cannot read {path}: {e.strerror}", file=path) from None
    with f:
        for number, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise DataError("the line is not valid UTF-8", file=path, line=number) from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"invalid JSON: {e.msg} (column {e.colno})", file=path, line=number) from None
            if not isinstance(obj, dict):
                raise DataError("each line must be a JSON object", file=path, line=number)
            if _SURROGATE_ESCAPE.search(line) and not _encodable(obj):
                raise DataError(
                    "a string holds an unpaired UTF-16 surrogate (an escape between \\ud800 and \\udfff on its own), "
                    "which cannot be encoded as UTF-8; remove it or write the whole character",
                    file=path,
                    line=number,
                )
            line_fmt = detect_format(obj)
            if line_fmt is None:
                raise DataError(
                    "unrecognized example: expected messages, conversations, instruction/output, prompt/completion, text, "
                    "input/preferred_output/non_preferred_output or prompt/chosen/rejected",
                    file=path,
                    line=number,
                )
            if fmt is None:
                fmt = line_fmt
            elif line_fmt != fmt:
                raise DataError(f"this line is {line_fmt} but the file started as {fmt}; one file holds one format", file=path, line=number)
            try:
                example = CONVERTERS[fmt](obj)
            except (ValueError, KeyError, TypeError) as e:
                raise DataError(str(e), file=path, line=number) from None
            if example.messages is not None and example.chosen is None and not any(example.train_turns):
                raise DataError("the example has no assistant message to train on", file=path, line=number)
            example.line = number
            examples.append(example)
    if not examples:
        raise DataError(f"{path} has no examples", file=path)
    return fmt, examples
