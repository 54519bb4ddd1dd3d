"""Builds a tiny Qwen2-style causal LM (random weights) and a byte-level BPE tokenizer trained locally.

`python -m brightrun_trainer make-tiny-model OUT_DIR` writes a folder that `base_model` can point at. Deterministic
for a given seed and size; takes a couple of seconds. Nothing is downloaded.
"""

from __future__ import annotations

import glob
import json
import os
from typing import Iterable, Iterator, List, Optional

from .bpe import train_bpe

# ChatML, the format Qwen2 models use; the tokenizer has <|im_start|>/<|im_end|> as special tokens.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' }}"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% elif message['content'] is not none %}{% for part in message['content'] %}{% if part['type'] == 'text' %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}"
    "{% if message.get('tool_calls') %}{% for call in message['tool_calls'] %}"
    "{{ '<tool_call>' + (call['function'] | tojson) + '</tool_call>' }}{% endfor %}{% endif %}"
    "{{ '<|im_end|>\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

SIZES = {
    # name: (hidden, layers, heads, kv_heads, intermediate, vocab)
    # With random, frozen weights, LoRA can only steer the hidden state towards the target token's embedding;
    # the tiny model uses a wider init (INIT_RANGE) so that steering can reach confident logits and the loss
    # visibly falls within a minute on a CPU, while the initial loss stays near ln(vocab).
    "tiny": (128, 2, 4, 2, 256, 512),  # ~0.4M params: tests and the CPU demo
    "small": (384, 6, 6, 2, 1024, 8192),  # ~10M params: CPU benchmark
    "medium": (512, 8, 8, 4, 1536, 16384),  # ~45M params
}

INIT_RANGE = {"tiny": 0.05, "small": 0.02, "medium": 0.02}

_BUILTIN_TEXT = """
The quick brown fox jumps over the lazy dog. A journey of a thousand miles begins with a single step.
You are a helpful assistant. What is the capital of France? The capital of France is Paris.
How do I reverse a list in Python? Use reversed(items) or items[::-1] to get a reversed copy.
Fine-tuning adapts a pretrained language model to a task with a small dataset and a low learning rate.
LoRA adds low-rank matrices to linear layers and trains only those, which saves memory and time.
Translate to French: good morning. Bonjour. Summarize the text in one sentence. Write a haiku about the sea.
def add(a, b):\n    return a + b\n\nprint(add(2, 3))\n{"name": "get_weather", "arguments": {"city": "Paris"}}
1 2 3 4 5 6 7 8 9 10 100 1000 2024 3.14 0.5 -1 + - * / = ( ) [ ] { } < > : ; , . ! ? ' " # @ $ % & _
"""


def _sample_texts(paths: Iterable[str], max_chars: int = 2_000_000) -> Iterator[str]:
    budget = max_chars  # enough text for a small vocabulary; keeps tokenizer training to a second or two
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                budget -= len(line)
                if budget < 0:
                    return
                try:
                    text = json.dumps(json.loads(line), ensure_ascii=False)
                except ValueError:
                    yield line
                    continue
                # A lone UTF-16 surrogate (samples/broken.jsonl shows one) cannot be encoded: it stays escaped.
                yield text.encode("utf-8", "backslashreplace").decode("utf-8")


def _default_corpus_files() -> List[str]:
    here = os.path.dirname(os.path.abspath(__file__))
    samples = os.path.normpath(os.path.join(here, "..", "..", "..", "samples"))
    return sorted(glob.glob(os.path.join(samples, "*.jsonl")))


def build_tokenizer(vocab_size: int, corpus_files: Optional[List[str]] = None):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    corpus = [_BUILTIN_TEXT] * 4 + list(_sample_texts(corpus_files if corpus_files is not None else _default_corpus_files()))
    vocab, merges = train_bpe(corpus, vocab_size, SPECIAL_TOKENS)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(SPECIAL_TOKENS)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        unk_token=None,
        bos_token=None,
        additional_special_tokens=["<|im_start|>", "<|im_end|>"],
        model_max_length=32768,
        model_input_names=["input_ids", "attention_mask"],
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def make_tiny_model(out_dir: str, size: str = "tiny", seed: int = 0, corpus_files: Optional[List[str]] = None, max_position_embeddings: int = 4096) -> str:
    """Writes config.json, model.safetensors, generation_config.json and tokenizer files into out_dir."""
    import torch
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    hidden, layers, heads, kv_heads, intermediate, vocab = SIZES[size]
    init_range = INIT_RANGE[size]
    tokenizer = build_tokenizer(vocab, corpus_files)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=hidden,
        intermediate_size=intermediate,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=kv_heads,
        max_position_embeddings=max_position_embeddings,
        tie_word_embeddings=True,
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        torch_dtype="float32",
        initializer_range=init_range,
    )
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config)
    os.makedirs(out_dir, exist_ok=True)
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    GenerationConfig(eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id, max_new_tokens=64).save_pretrained(out_dir)
    return out_dir
