"""Throughput accounting: FLOPs per token for LoRA training, the GPU's peak, MFU, memory and utilisation.

FLOPs per token = 4 * N + 8 * layers * hidden * mean_seq_len.
  4N: forward 2N plus the backward pass through the frozen weights for activation gradients 2N (frozen weights
  get no weight gradients; LoRA's own are negligible), instead of the 6N of full fine-tuning.
  Attention: forward QK^T and AV cost 4 * hidden * seq per token per layer, halved by the causal mask, tripled
  for forward + backward: about 6 L d s; we round to 8 L d s to include softmax/rotary work.
Gradient-checkpointing recomputation is not counted (that would be hardware, not model, FLOPs utilisation).

MFU is reported against the detected GPU's dense bf16/fp16 tensor peak. On the CPU it is null, unless the
environment variable BRIGHTRUN_PEAK_TFLOPS gives a peak to compare with (the benchmark measures one).
"""

from __future__ import annotations

import os
import resource
import sys
from typing import Optional

import torch

# Dense (no sparsity) 16-bit tensor-core peaks in TFLOPS, by a substring of torch.cuda.get_device_name().
GPU_PEAK_TFLOPS = [
    ("H200", 989.0),
    ("H100 SXM", 989.0),
    ("H100 NVL", 835.0),
    ("H100 PCIe", 756.0),
    ("H100", 756.0),
    ("GH200", 989.0),
    ("B200", 2250.0),
    ("A100", 312.0),
    ("A800", 312.0),
    ("L40S", 362.0),
    ("L40", 181.0),
    ("L4", 121.0),
    ("A10G", 70.0),
    ("A10", 125.0),
    ("A6000", 155.0),
    ("A5000", 111.0),
    ("A4000", 76.7),
    ("RTX 4090", 165.0),
    ("RTX 4080", 97.5),
    ("RTX 3090", 71.0),
    ("RTX 3080", 59.5),
    ("V100", 125.0),
    ("T4", 65.0),
    ("MI300X", 1307.0),
    ("MI250", 362.0),
]


def flops_per_token(n_params: int, layers: int, hidden: int, mean_seq_len: float) -> float:
    return 4.0 * n_params + 8.0 * layers * hidden * mean_seq_len


def peak_tflops(device: torch.device) -> Optional[float]:
    override = os.environ.get("BRIGHTRUN_PEAK_TFLOPS")
    if override:
        try:
            return float(override)
        except ValueError:
            return None
    if device.type != "cuda":
        return None
    name = torch.cuda.get_device_name(device)
    for key, value in GPU_PEAK_TFLOPS:
        if key in name:
            return value
    return None


def mfu(tokens_per_s: float, flops_tok: float, peak: Optional[float], n_devices: int = 1) -> Optional[float]:
    if not peak or tokens_per_s <= 0:
        return None
    return tokens_per_s * flops_tok / (peak * 1e12 * n_devices)


def peak_memory_gb(device: torch.device) -> float:
    """Peak GPU memory allocated by torch on CUDA; peak resident memory of this process on the CPU."""
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device) / 1e9
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1e9 if sys.platform == "darwin" else rss / 1e6  # bytes on macOS, KiB on Linux


def gpu_stats(device: torch.device):
    """(utilisation %, memory GB) on CUDA; (None, None) elsewhere or when NVML is unavailable."""
    if device.type != "cuda":
        return None, None
    mem = torch.cuda.memory_reserved(device) / 1e9
    try:
        util = float(torch.cuda.utilization(device))
    except Exception:  # needs NVML (pynvml); the memory figure is still useful alone
        util = None
    return util, mem
