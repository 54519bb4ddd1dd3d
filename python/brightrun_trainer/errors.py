"""Failures the trainer knows how to explain, and the classification of everything else into protocol error kinds."""

from __future__ import annotations

from typing import Optional, Tuple


class TrainerError(Exception):
    kind = "exception"

    def __init__(self, message: str, hint: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(TrainerError):
    kind = "config"


class DataError(TrainerError):
    kind = "data"

    def __init__(self, message: str, file: Optional[str] = None, line: Optional[int] = None, hint: Optional[str] = None):
        super().__init__(message, hint or "Run `brightrun validate` on the file, fix the line, then start the run again.")
        self.file = file
        self.line = line


OOM_HINT = (
    "Out of memory. Try, in this order: a smaller batch_size with a larger grad_accum (same effective batch), "
    "gradient_checkpointing: true, a shorter max_seq_len, packing off for very long examples, or quantization: 4bit (QLoRA)."
)
CUDA_HINT = (
    "A CUDA error. Check the driver with `nvidia-smi`, that the installed torch matches the CUDA version, and that "
    "no other process holds the GPU; errors reported asynchronously may point at the wrong line (set CUDA_LAUNCH_BLOCKING=1)."
)


def classify(exc: BaseException) -> Tuple[str, str, Optional[str]]:
    """(kind, message, hint) for any exception raised during a run."""
    if isinstance(exc, TrainerError):
        return exc.kind, exc.message, exc.hint
    text = str(exc) or type(exc).__name__
    name = type(exc).__name__
    if name == "OutOfMemoryError" or "out of memory" in text.lower() or isinstance(exc, MemoryError):
        return "oom", f"{name}: {text}".strip()[:2000], OOM_HINT
    if any(word in text for word in ("CUDA", "cuDNN", "CUBLAS", "NCCL", "cublas")) or name in ("AcceleratorError", "CudaError"):
        return "cuda", f"{name}: {text}"[:2000], CUDA_HINT
    if isinstance(exc, KeyboardInterrupt):
        return "killed", "Interrupted.", "The run was interrupted; resume it from its last checkpoint."
    return "exception", f"{name}: {text}"[:2000], "An unexpected error; the full traceback is in trainer.log."
