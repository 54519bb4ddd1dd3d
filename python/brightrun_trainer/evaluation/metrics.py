"""Task metrics of one answer against its reference, and their means. Pure Python, no model.

Normalisation follows the SQuAD evaluation script: lower case, punctuation removed, the articles a/an/the
removed, whitespace collapsed. Exact match and token F1 compare normalised texts; ROUGE-L is the F-measure of the
longest common subsequence of normalised tokens.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections import Counter
from typing import Iterable, List, Optional

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_FENCE = re.compile(r"^```[A-Za-z0-9_-]*\s*\n?(.*?)\n?```$", re.S)


def _is_punctuation(ch: str) -> bool:
    return ch in string.punctuation or unicodedata.category(ch).startswith("P")


def normalise(text: str) -> str:
    text = "".join(" " if _is_punctuation(ch) else ch for ch in text.lower())
    return " ".join(_ARTICLES.sub(" ", text).split())


def tokens(text: str) -> List[str]:
    return normalise(text).split()


def exact_match(answer: str, reference: str) -> float:
    return 1.0 if normalise(answer) == normalise(reference) else 0.0


def token_f1(answer: str, reference: str) -> float:
    got, want = tokens(answer), tokens(reference)
    if not got or not want:
        return 1.0 if got == want else 0.0
    common = sum((Counter(got) & Counter(want)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(got), common / len(want)
    return 2 * precision * recall / (precision + recall)


def lcs_length(a: List[str], b: List[str]) -> int:
    """Longest common subsequence, one row of the table at a time (memory linear in the shorter text)."""
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, 1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge_l(answer: str, reference: str) -> float:
    got, want = tokens(answer), tokens(reference)
    if not got or not want:
        return 1.0 if got == want else 0.0
    lcs = lcs_length(got, want)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(got), lcs / len(want)
    return 2 * precision * recall / (precision + recall)


def _json_value(text: str):
    text = text.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    return json.loads(text)


def is_json_reference(reference: str) -> bool:
    """A reference counts as JSON when it is a JSON object or array (a bare number or word is plain text)."""
    try:
        return isinstance(_json_value(reference), (dict, list))
    except ValueError:
        return False


def is_valid_json(answer: str) -> bool:
    """The answer parses as a JSON object or array (a ```json fence around it is allowed)."""
    try:
        return isinstance(_json_value(answer), (dict, list))
    except ValueError:
        return False


def word_count(text: str) -> int:
    return len(text.split())


def score(answer: str, reference: Optional[str]) -> dict:
    """The scores of one answer (the AnswerScores shape of the report)."""
    if reference is None:
        return {"exact_match": None, "token_f1": None, "rouge_l": None, "valid_json": None, "length": word_count(answer)}
    return {
        "exact_match": exact_match(answer, reference),
        "token_f1": token_f1(answer, reference),
        "rouge_l": rouge_l(answer, reference),
        "valid_json": is_valid_json(answer) if is_json_reference(reference) else None,
        "length": word_count(answer),
    }


def mean(values: Iterable[Optional[float]]) -> Optional[float]:
    """Mean of the values that are not None (booleans count as 0/1); None when there are none."""
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def summarise(scores: List[dict]) -> dict:
    """Means over answers: exact match, F1 and ROUGE-L over answers with a reference, valid JSON over JSON
    references, length over all."""
    return {
        "exact_match": mean(s["exact_match"] for s in scores),
        "token_f1": mean(s["token_f1"] for s in scores),
        "rouge_l": mean(s["rouge_l"] for s in scores),
        "valid_json_rate": mean(s["valid_json"] for s in scores),
        "answer_length": mean(s["length"] for s in scores),
    }
