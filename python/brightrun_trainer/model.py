"""Loading the base model and tokenizer, choosing precision and attention, and wrapping the model with LoRA."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from typing import List, Optional

import torch

from .errors import ConfigError

# Names of layers LoRA must never wrap: the output head and embeddings are better left frozen.
_EXCLUDED = {"lm_head", "embed_out", "output", "score", "classifier"}


@dataclass
class Runtime:
    device: torch.device
    dtype: torch.dtype  # weights of the frozen base model
    autocast: Optional[torch.dtype]  # compute precision under autocast, None for plain fp32
    precision: str  # "bf16", "fp16" or "fp32" as shown to the user
    attn: str


def choose_runtime(precision: str, device: torch.device, quantization: str = "none") -> Runtime:
    cuda = device.type == "cuda"
    if precision == "auto":
        precision = ("bf16" if torch.cuda.is_bf16_supported() else "fp16") if cuda else "fp32"
    if precision == "fp16" and not cuda:
        raise ConfigError("precision fp16 needs a CUDA GPU, and none is available.", "Use precision auto (fp32 on the CPU) or bf16.")
    if precision == "bf16" and cuda and not torch.cuda.is_bf16_supported():
        raise ConfigError("this GPU does not support bf16.", "Use precision auto or fp16.")
    if quantization == "4bit" and not cuda:
        raise ConfigError("quantization 4bit (QLoRA) needs a CUDA GPU.", "Set quantization to none to train on this machine.")
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[precision]
    attn = "sdpa"
    if cuda and dtype != torch.float32 and importlib.util.find_spec("flash_attn") is not None:
        attn = "flash_attention_2"  # variable-length kernels: packed rows cost no mask memory
    return Runtime(device, dtype, dtype if dtype != torch.float32 else None, precision, attn)


def check_packing_support(rt: Runtime) -> None:
    """Packing relies on transformers building a block-diagonal mask from position_ids, which needs torch >= 2.6
    for SDPA/eager attention; without it examples would silently attend to each other."""
    if rt.attn == "flash_attention_2":
        return
    major, minor = (int(x) for x in torch.__version__.split("+")[0].split(".")[:2])
    if (major, minor) < (2, 6):
        raise ConfigError(
            f"packing needs torch >= 2.6 (this host has {torch.__version__}) or flash-attn installed.",
            "Set packing to false, or upgrade torch in the run's environment.",
        )


def model_source(base_model: str) -> str:
    """What transformers loads for base_model: a Hub id or model folder as given; a .gguf file converted once into a
    cached model folder (see gguf_import)."""
    from .gguf_import import cached_import, is_gguf

    return cached_import(base_model) if is_gguf(base_model) else base_model


def load_tokenizer(base_model: str):
    from transformers import AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(model_source(base_model))
    except (OSError, ValueError) as e:
        raise ConfigError(
            f"cannot load the tokenizer of base_model {base_model!r}: {e}",
            "Point base_model at a folder with config.json and tokenizer files, a .gguf file, or a model id in the local Hugging Face cache.",
        ) from None
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    tok.padding_side = "right"
    return tok


def load_base_model(base_model: str, rt: Runtime, quantization: str):
    from transformers import AutoModelForCausalLM

    kwargs = {"torch_dtype": rt.dtype, "attn_implementation": rt.attn}
    if quantization == "4bit":
        if importlib.util.find_spec("bitsandbytes") is None:
            raise ConfigError(
                "quantization 4bit needs the bitsandbytes package, which is not installed on this host.",
                "Install it in the run's environment (pip install bitsandbytes) or set quantization to none.",
            )
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=rt.dtype
        )
        kwargs["device_map"] = {"": rt.device.index or 0}
    try:
        model = AutoModelForCausalLM.from_pretrained(model_source(base_model), **kwargs)
    except (OSError, ValueError) as e:
        raise ConfigError(
            f"cannot load base_model {base_model!r}: {e}",
            "Point base_model at a folder with config.json and weights, a .gguf file, or a model id in the local Hugging Face cache.",
        ) from None
    if quantization != "4bit":
        model.to(rt.device)
    model.config.use_cache = False
    return model


def linear_module_names(model) -> List[str]:
    """The distinct last names of the linear layers LoRA can target (q_proj, v_proj, gate_proj...)."""
    names = set()
    for full_name, module in model.named_modules():
        cls = type(module).__name__
        if isinstance(module, torch.nn.Linear) or cls in ("Linear4bit", "Linear8bitLt", "Conv1D"):
            last = full_name.split(".")[-1]
            if last not in _EXCLUDED and "vision" not in full_name and "visual" not in full_name:
                names.add(last)
    return sorted(names)


def apply_lora(model, lora, quantization: str, gradient_checkpointing: bool):
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    available = linear_module_names(model)
    if lora.target_modules is None:
        targets = available
        if not targets:
            raise ConfigError("no linear layers found to apply LoRA to in this architecture.", "Set lora.target_modules explicitly.")
    else:
        targets = list(lora.target_modules)
        missing = [t for t in targets if t not in available]
        if missing:
            raise ConfigError(
                f"lora.target_modules {missing} do not exist in this model.", f"Use some of: {', '.join(available)} (or null to target them all)."
            )
    if quantization == "4bit":
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=gradient_checkpointing)
    elif gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    config = LoraConfig(r=lora.r, lora_alpha=lora.alpha, lora_dropout=lora.dropout, target_modules=targets, bias="none", task_type="CAUSAL_LM")
    return get_peft_model(model, config), targets


def count_params(model):
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return trainable, total


def model_dims(model) -> dict:
    cfg = model.config
    return {
        "layers": getattr(cfg, "num_hidden_layers", 0) or 0,
        "hidden": getattr(cfg, "hidden_size", 0) or 0,
        "vocab": getattr(cfg, "vocab_size", 0) or 0,
        "max_positions": getattr(cfg, "max_position_embeddings", None),
    }


def resolve_base_model_path(base_model: str) -> str:
    return os.path.abspath(base_model) if os.path.isdir(base_model) else base_model
