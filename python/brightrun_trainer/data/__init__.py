"""Datasets: reading every supported JSONL format, chat templating, tokenization with labels, batching and packing."""
