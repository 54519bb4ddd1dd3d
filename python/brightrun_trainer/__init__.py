"""BrightRun's LoRA trainer. Entry point: ``python -m brightrun_trainer``."""

__version__ = "0.1.0"
