"""A small deterministic byte-level BPE trainer.

The tokenizers library's trainer breaks ties between equally frequent pairs in hash-map order, which differs
from process to process; tests and benchmarks need the same tokenizer for the same seed, so ties here are broken
by the pair's text. The result is loaded into a regular tokenizers BPE model.
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import Dict, Iterable, List, Tuple


def train_bpe(texts: Iterable[str], vocab_size: int, special_tokens: List[str]) -> Tuple[Dict[str, int], List[Tuple[str, str]]]:
    from tokenizers import pre_tokenizers

    pre = pre_tokenizers.ByteLevel(add_prefix_space=False)
    counts: Counter = Counter()
    for text in texts:
        counts.update(word for word, _ in pre.pre_tokenize_str(text))
    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    vocab: Dict[str, int] = {}
    for token in special_tokens + alphabet:
        vocab.setdefault(token, len(vocab))

    words = [list(word) for word in sorted(counts)]
    freq = [counts["".join(w)] for w in words]
    pair_count: Counter = Counter()
    where: Dict[Tuple[str, str], set] = {}
    for i, symbols in enumerate(words):
        for pair in zip(symbols, symbols[1:]):
            pair_count[pair] += freq[i]
            where.setdefault(pair, set()).add(i)
    heap = [(-c, pair) for pair, c in pair_count.items()]
    heapq.heapify(heap)
    merges: List[Tuple[str, str]] = []

    while len(vocab) < vocab_size and heap:
        neg, pair = heapq.heappop(heap)
        if pair_count.get(pair, 0) != -neg or -neg <= 0:
            continue  # stale heap entry
        a, b = pair
        merged = a + b
        merges.append(pair)
        vocab.setdefault(merged, len(vocab))
        touched = set()
        for i in sorted(where.pop(pair, ())):
            symbols = words[i]
            if len(symbols) < 2:
                continue
            new: List[str] = []
            j = 0
            while j < len(symbols):
                if j + 1 < len(symbols) and symbols[j] == a and symbols[j + 1] == b:
                    new.append(merged)
                    j += 2
                else:
                    new.append(symbols[j])
                    j += 1
            if len(new) == len(symbols):
                continue
            for p in zip(symbols, symbols[1:]):
                pair_count[p] -= freq[i]
                touched.add(p)
            for p in zip(new, new[1:]):
                pair_count[p] += freq[i]
                where.setdefault(p, set()).add(i)
                touched.add(p)
            words[i] = new
        pair_count.pop(pair, None)
        for p in sorted(touched):
            if p != pair and pair_count.get(p, 0) > 0:
                heapq.heappush(heap, (-pair_count[p], p))
    return vocab, merges
