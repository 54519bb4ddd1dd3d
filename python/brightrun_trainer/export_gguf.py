"""`export-gguf`: a PEFT LoRA adapter as a GGUF LoRA adapter, the form llama.cpp and Ollama load on a GGUF base.

Used when llama.cpp's own convert_lora_to_gguf.py is not installed. The file has what llama.cpp reads:
general.type=adapter, adapter.type=lora, adapter.lora.alpha, and for each adapted weight `<gguf name>.lora_a`
and `.lora_b` (named with gguf's TensorNameMap for the base's architecture), in f32 or f16. LoRA on embeddings,
modules_to_save and per-layer rank or alpha patterns have no GGUF adapter form and are refused with the reason.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Dict, Optional, Tuple

from .errors import ConfigError

_LORA_KEY = re.compile(r"^base_model\.model\.(?P<module>.+)\.lora_(?P<part>[AB])\.weight$")

# Hugging Face model_type -> llama.cpp architecture name, where they differ (Mistral is converted as llama).
_ARCH_OF_MODEL_TYPE = {"mistral": "llama"}

# llama.cpp's converter reorders the rows of q_proj and k_proj for these architectures (rotary embedding layout),
# so the adapter's B matrices of those layers get the same reordering.
_PERMUTED_ARCHS = ("llama",)

INSTALL_HINT = "Install the Python package gguf (pip install gguf; it is in the trainer's requirements) or llama.cpp (set LLAMA_CPP_DIR)."


class BaseFacts:
    def __init__(self, arch: str, blocks: int, heads: int, kv_heads: int):
        self.arch, self.blocks, self.heads, self.kv_heads = arch, blocks, heads, kv_heads


# GGUF metadata value types (gguf's GGUFValueType) and the struct format of the fixed-size ones.
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9


def gguf_metadata(path: str, keys: Tuple[str, ...]) -> Dict[str, object]:
    """The scalar metadata values named in `keys`, read from the header alone. gguf's GGUFReader parses every
    field, tokenizer vocabulary included (tens of seconds for a 49k-token vocabulary); this stops at the last key."""
    import struct

    found: Dict[str, object] = {}
    with open(path, "rb") as f:

        def read(fmt: str):
            size = struct.calcsize(fmt)
            return struct.unpack(fmt, f.read(size))[0]

        def string() -> str:
            return f.read(read("<Q")).decode("utf-8", errors="replace")

        def skip(value_type: int) -> None:
            if value_type == _STRING:
                f.seek(read("<Q"), 1)
            elif value_type == _ARRAY:
                item_type, count = read("<I"), read("<Q")
                if item_type in _SCALARS:
                    f.seek(struct.calcsize(_SCALARS[item_type]) * count, 1)
                else:
                    for _ in range(count):
                        skip(item_type)
            else:
                f.seek(struct.calcsize(_SCALARS[value_type]), 1)

        if f.read(4) != b"GGUF":
            raise ConfigError(f"{path!r} is not a GGUF file.", "Give the base model's .gguf file or model folder with --base.")
        read("<I")  # version
        read("<Q")  # tensor count
        for _ in range(read("<Q")):
            key, value_type = string(), read("<I")
            if key in keys and value_type in _SCALARS:
                found[key] = read(_SCALARS[value_type])
            elif key in keys and value_type == _STRING:
                found[key] = string()
            else:
                skip(value_type)
            if len(found) == len(keys):
                break
    return found


def _facts_from_gguf(path: str) -> BaseFacts:
    arch = gguf_metadata(path, ("general.architecture",)).get("general.architecture")
    if not isinstance(arch, str) or not arch:
        raise ConfigError(f"{path!r} has no general.architecture.", "Give the base model's .gguf file or model folder with --base.")
    keys = (f"{arch}.block_count", f"{arch}.attention.head_count", f"{arch}.attention.head_count_kv")
    meta = gguf_metadata(path, keys)
    heads = int(meta.get(keys[1], 0))
    return BaseFacts(arch, int(meta.get(keys[0], 0)), heads, int(meta.get(keys[2], heads)))


def _facts_from_folder(path: str) -> BaseFacts:
    with open(os.path.join(path, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    model_type = str(config.get("model_type", ""))
    heads = int(config.get("num_attention_heads", 0))
    return BaseFacts(
        _ARCH_OF_MODEL_TYPE.get(model_type, model_type),
        int(config.get("num_hidden_layers", 0)),
        heads,
        int(config.get("num_key_value_heads") or heads),
    )


def base_facts(base: str) -> BaseFacts:
    """Architecture, layer and head counts of the base model: a .gguf file, a model folder, or a cached Hub id."""
    if base.lower().endswith(".gguf") and os.path.isfile(base):
        return _facts_from_gguf(base)
    if os.path.isfile(os.path.join(base, "config.json")):
        return _facts_from_folder(base)
    try:
        from huggingface_hub import try_to_load_from_cache

        cached = try_to_load_from_cache(base, "config.json")
    except Exception:  # not a valid repo id: reported below
        cached = None
    if isinstance(cached, str):
        return _facts_from_folder(os.path.dirname(cached))
    raise ConfigError(
        f"the base model {base!r} is not on this machine (no .gguf file, model folder or cached download).",
        "Pass --base with the base model's .gguf file or model folder.",
    )


def _arch_enum(name: str):
    import gguf

    for arch, arch_name in gguf.MODEL_ARCH_NAMES.items():
        if arch_name == name:
            return arch
    raise ConfigError(f"gguf does not know the architecture {name!r}.", "Convert with llama.cpp's convert_lora_to_gguf.py (set LLAMA_CPP_DIR).")


def _permute_rows(weight, heads: int):
    """llama.cpp's q/k row order: each head's two rotary halves interleaved (its convert_hf_to_gguf permute)."""
    rows = weight.shape[0]
    return weight.reshape(heads, 2, rows // heads // 2, *weight.shape[1:]).swapaxes(1, 2).reshape(weight.shape)


def _adapter_config(adapter_dir: str) -> dict:
    path = os.path.join(adapter_dir, "adapter_config.json")
    try:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except (OSError, ValueError) as e:
        raise ConfigError(f"{adapter_dir!r} is not a LoRA adapter folder ({e}).", "Point --adapter at a run's adapter/ folder.") from None
    if config.get("peft_type", "LORA") != "LORA":
        raise ConfigError(f"the adapter is {config.get('peft_type')}, not LoRA; only LoRA adapters convert to GGUF.")
    for key in ("rank_pattern", "alpha_pattern"):
        if config.get(key):
            raise ConfigError(f"the adapter has a per-layer {key}; a GGUF adapter has one alpha and rank.", "Train with one rank and alpha for every layer.")
    if config.get("modules_to_save"):
        raise ConfigError(
            f"the adapter also saves whole modules ({', '.join(config['modules_to_save'])}); a GGUF LoRA adapter cannot hold them.",
            "Export the merged model instead (--merged).",
        )
    return config


def lora_alpha(config: dict) -> float:
    """The alpha llama.cpp needs for the same scale: it scales by alpha / r; rsLoRA by lora_alpha / sqrt(r)."""
    alpha, rank = float(config.get("lora_alpha", config.get("r", 8))), int(config.get("r", 8))
    return alpha * math.sqrt(rank) if config.get("use_rslora") else alpha


def convert_adapter(adapter_dir: str, out_path: str, base: Optional[str] = None, outtype: str = "f32") -> Dict[str, object]:
    """Writes `out_path` atomically; returns what was written (architecture, alpha, tensor count)."""
    try:
        import gguf
        import numpy as np
        from safetensors.numpy import load_file
    except ImportError as e:
        raise ConfigError(f"the GGUF converter needs {e.name}, which is not installed.", INSTALL_HINT) from None
    config = _adapter_config(adapter_dir)
    weights_file = os.path.join(adapter_dir, "adapter_model.safetensors")
    if not os.path.isfile(weights_file):
        raise ConfigError(f"{adapter_dir!r} has no adapter_model.safetensors.", "Point --adapter at a run's adapter/ folder.")
    base = base or config.get("base_model_name_or_path")
    if not base:
        raise ConfigError("the adapter does not name its base model.", "Pass --base with the base model's .gguf file or model folder.")
    facts = base_facts(base)
    names = gguf.get_tensor_name_map(_arch_enum(facts.arch), facts.blocks)
    dtype = {"f32": np.float32, "f16": np.float16}[outtype]

    pairs: Dict[str, Dict[str, object]] = {}
    for key, value in load_file(weights_file).items():
        match = _LORA_KEY.match(key)
        if not match:
            raise ConfigError(
                f"the adapter tensor {key!r} is not a LoRA A or B matrix; it has no GGUF adapter form.", "Export the merged model instead (--merged)."
            )
        pairs.setdefault(match["module"], {})[match["part"]] = value

    tensors: Dict[str, Tuple[object, object]] = {}
    for module, parts in sorted(pairs.items()):
        if set(parts) != {"A", "B"}:
            raise ConfigError(f"the adapter has lora_{''.join(parts)} but not both A and B for {module!r}.")
        target = names.get_name(module + ".weight", try_suffixes=(".weight",))
        if target is None:
            raise ConfigError(
                f"{module!r} has no GGUF name in the {facts.arch} architecture.", "Convert with llama.cpp's convert_lora_to_gguf.py (set LLAMA_CPP_DIR)."
            )
        lora_a, lora_b = parts["A"].astype(np.float32), parts["B"].astype(np.float32)
        if facts.arch in _PERMUTED_ARCHS and module.endswith(("q_proj", "k_proj")):
            lora_b = _permute_rows(lora_b, facts.heads if module.endswith("q_proj") else facts.kv_heads)
        tensors[target] = (lora_a.astype(dtype), lora_b.astype(dtype))

    out_path = os.path.abspath(out_path)
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    tmp = f"{out_path}.tmp-{os.getpid()}"
    alpha = lora_alpha(config)
    try:
        writer = gguf.GGUFWriter(tmp, facts.arch)
        writer.add_string(gguf.Keys.General.TYPE, gguf.GGUFType.ADAPTER)
        writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, alpha)
        for target, (lora_a, lora_b) in tensors.items():
            writer.add_tensor(f"{target}.lora_a", lora_a)
            writer.add_tensor(f"{target}.lora_b", lora_b)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.replace(tmp, out_path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return {"gguf": out_path, "architecture": facts.arch, "alpha": alpha, "tensors": 2 * len(tensors), "outtype": outtype, "converter": "brightrun"}


def export_gguf_command(args) -> int:
    from .tools import _result, _run

    def body(events, summary):
        events.emit("stage", name="saving")
        written = convert_adapter(args.adapter, args.out, args.base, args.outtype)
        events.emit("log", level="info", message=f"GGUF LoRA adapter written to {written['gguf']} ({written['tensors']} tensors, alpha {written['alpha']})")
        _result(written)
        return args.adapter

    return _run(args, body)
