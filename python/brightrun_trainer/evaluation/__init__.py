"""Evaluation of an adapter against its base model: perplexity, task metrics on prompts, retention, quality gates.

The report's shape is src/core/evaluation/evalReport.ts (schema: schemas/eval-report.schema.json).
"""
