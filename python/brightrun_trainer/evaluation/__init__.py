"""Evaluation of an adapter against its base model: perplexity, task metrics on prompts, retention, quality gates.

The report's shape is src/contracts/evalReport.ts (schema: schemas/eval-report.schema.json).
"""
