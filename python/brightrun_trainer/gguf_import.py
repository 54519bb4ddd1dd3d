"""Turns a `.gguf` file into an ordinary model folder (safetensors, config, tokenizer with its chat template).

transformers can read GGUF weights (dequantized to float), but the tokenizer it builds from a GGUF is wrong for
byte-level BPE models such as SmolLM2: it swaps BOS and EOS and adds a BOS to every text, so a rendered chat
starts with a doubled `<|im_start|>` and generation never stops at `<|im_end|>`. The tokenizer is therefore built
here from the GGUF's own vocabulary, merges, special-token ids and chat template.

A `.gguf` given as base_model is converted once and cached under $BRIGHTRUN_HOME/models, keyed by the file's
SHA-256, so a changed file is converted again and an unchanged one never is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from typing import Dict, Optional

from .errors import ConfigError

# GGUF token types (llama.cpp's llama_token_type): 3 = control (special), 4 = user-defined (added, not special).
_CONTROL, _USER_DEFINED = 3, 4

# Pre-tokenizer names (tokenizer.ggml.pre) this importer rebuilds exactly. "smollm" is GPT-2's byte-level split
# with every digit on its own, as in the original SmolLM2 tokenizer.json.
_PRE_TOKENIZERS = ("smollm", "gpt-2", "default")


def brightrun_home() -> str:
    return os.path.abspath(os.environ.get("BRIGHTRUN_HOME") or os.path.join(os.path.expanduser("~"), ".brightrun"))


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_gguf(path: str) -> bool:
    return path.lower().endswith(".gguf") and os.path.isfile(path)


def cached_import(gguf_path: str, cache_root: Optional[str] = None) -> str:
    """The model folder for `gguf_path`, converting it first if this exact file was never converted."""
    root = cache_root or os.path.join(brightrun_home(), "models")
    stem = os.path.basename(gguf_path)[: -len(".gguf")]
    out = os.path.join(root, f"{stem}-{file_sha256(gguf_path)[:16]}")
    if os.path.isfile(os.path.join(out, "config.json")):
        return out
    return import_gguf(gguf_path, out)


def import_gguf(gguf_path: str, out_dir: str) -> str:
    """Writes the model folder `out_dir` atomically (a temporary folder renamed into place) and returns its path."""
    if not os.path.isfile(gguf_path):
        raise ConfigError(f"{gguf_path!r} does not exist.", "Give the path of a .gguf file.")
    reader = _read(gguf_path)
    meta = _metadata(reader)
    out_dir = os.path.abspath(out_dir)
    os.makedirs(os.path.dirname(out_dir), exist_ok=True)
    tmp = f"{out_dir}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tokenizer = build_tokenizer(reader, meta)
        model = _load_weights(gguf_path, tokenizer)
        model.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        with open(os.path.join(tmp, "README.md"), "w", encoding="utf-8") as f:
            f.write(_model_card(gguf_path, meta))
        _replace_dir(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def _replace_dir(tmp: str, out_dir: str) -> None:
    if os.path.isdir(out_dir):
        if os.path.isfile(os.path.join(out_dir, "config.json")):
            return  # another process finished the same conversion first: keep its copy
        shutil.rmtree(out_dir)
    try:
        os.replace(tmp, out_dir)
    except OSError:
        if not os.path.isfile(os.path.join(out_dir, "config.json")):
            raise


def _read(gguf_path: str):
    try:
        from gguf import GGUFReader
    except ImportError:
        raise ConfigError(
            "reading a .gguf model needs the gguf package, which is not installed on this host.",
            "Install the trainer's requirements (pip install -r python/requirements.txt).",
        ) from None
    try:
        return GGUFReader(gguf_path)
    except Exception as e:  # a truncated or foreign file: the reader raises several kinds
        raise ConfigError(f"{gguf_path!r} is not a readable GGUF file: {e}", "Download the file again.") from None


def _metadata(reader) -> Dict[str, object]:
    meta = {}
    for key, field in reader.fields.items():
        if key in ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type", "tokenizer.ggml.scores"):
            continue
        try:
            meta[key] = field.contents()
        except Exception:  # a value type this reader cannot decode is metadata we do not need
            pass
    return meta


def build_tokenizer(reader, meta: Dict[str, object]):
    """A PreTrainedTokenizerFast equal to the model's original byte-level BPE tokenizer."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    kind, pre = meta.get("tokenizer.ggml.model"), meta.get("tokenizer.ggml.pre", "default")
    if kind != "gpt2" or pre not in _PRE_TOKENIZERS:
        raise ConfigError(
            f"this GGUF's tokenizer ({kind}, pre-tokenizer {pre}) is not one BrightRun can rebuild exactly.",
            "Use the original model folder or Hub id as base_model instead of the .gguf file.",
        )
    tokens = reader.fields["tokenizer.ggml.tokens"].contents()
    types = reader.fields["tokenizer.ggml.token_type"].contents()
    merges = [tuple(m.split(" ", 1)) for m in reader.fields["tokenizer.ggml.merges"].contents()]
    tok = Tokenizer(models.BPE(vocab={t: i for i, t in enumerate(tokens)}, merges=merges, fuse_unk=False, byte_fallback=False))
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True), byte_level]) if pre == "smollm" else byte_level
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t, ty in zip(tokens, types) if ty == _CONTROL])
    tok.add_tokens([AddedToken(t, normalized=False) for t, ty in zip(tokens, types) if ty == _USER_DEFINED])

    def token(key: str) -> Optional[str]:
        i = meta.get(f"tokenizer.ggml.{key}_token_id")
        return tokens[i] if isinstance(i, int) and 0 <= i < len(tokens) else None

    bos, eos, unk, pad = token("bos"), token("eos"), token("unknown"), token("padding")
    if pad is None or pad == eos:
        # A pad distinct from EOS: collators that mask padding out of the labels would otherwise never teach the
        # model to stop. `<|endoftext|>` (the unknown token here) never occurs inside a chat.
        pad = unk or pad or eos
    single = (
        ([f"{bos}:0"] if meta.get("tokenizer.ggml.add_bos_token") and bos else [])
        + ["$A:0"]
        + ([f"{eos}:0"] if meta.get("tokenizer.ggml.add_eos_token") and eos else [])
    )
    if single == ["$A:0"]:
        tok.post_processor = processors.ByteLevel(trim_offsets=False)
    else:
        tok.post_processor = processors.TemplateProcessing(
            single=" ".join(single), special_tokens=[(t, tokens.index(t)) for t in (bos, eos) if t and f"{t}:0" in single]
        )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=bos,
        eos_token=eos,
        unk_token=unk,
        pad_token=pad,
        chat_template=meta.get("tokenizer.chat_template"),
        clean_up_tokenization_spaces=False,
        model_input_names=["input_ids", "attention_mask"],  # no token_type_ids: causal LMs' generate() rejects them
        model_max_length=int(meta.get(f"{meta.get('general.architecture')}.context_length") or 2048),
    )


def _load_weights(gguf_path: str, tokenizer):
    from transformers import AutoModelForCausalLM

    folder, name = os.path.split(os.path.abspath(gguf_path))
    try:
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name)  # dequantized to float32
    except (OSError, ValueError, KeyError, NotImplementedError) as e:
        raise ConfigError(
            f"cannot convert the weights of {gguf_path!r}: {e}", "Use the original model folder or Hub id as base_model instead of the .gguf file."
        ) from None
    ids = {"bos_token_id": tokenizer.bos_token_id, "eos_token_id": tokenizer.eos_token_id, "pad_token_id": tokenizer.pad_token_id}
    for key, value in ids.items():
        setattr(model.config, key, value)
        setattr(model.generation_config, key, value)
    return model


def _model_card(gguf_path: str, meta: Dict[str, object]) -> str:
    def get(key: str, default: str = "unknown") -> str:
        value = meta.get(key)
        return str(value) if value not in (None, "") else default

    return (
        f"---\nlicense: {get('general.license')}\n---\n"
        f"# {get('general.name', os.path.basename(gguf_path))}\n\n"
        f"Converted by BrightRun from `{os.path.basename(gguf_path)}` (architecture {get('general.architecture')}, "
        f"by {get('general.organization')}; license {get('general.license')}). The GGUF's quantized weights are "
        "dequantized to float32, so this model carries the quantization error of the file it came from; the "
        "tokenizer and chat template are rebuilt from the GGUF's own metadata.\n\n"
        "Keep the original model's license and attribution when you share anything made from it.\n\n"
        f"```json\n{json.dumps({k: v for k, v in meta.items() if k.startswith('general.')}, indent=2, default=str)}\n```\n"
    )
