// The validator's public types: what the CLI, the editor and the launch form consume.
// Positions: `line` is 1-based; `column` and `endColumn` are 1-based UTF-16 code-unit offsets into the line's
// text (BOM and line terminator excluded), `endColumn` exclusive — the same units VS Code ranges use.
import type { DatasetFormat } from '../config/trainerConfig';

export type Severity = 'error' | 'warning' | 'info';
export type SeverityOverride = Severity | 'off';

/** A certain fix, expressed on the document so the editor and the CLI can apply it the same way. */
export type Fix =
  | { kind: 'deleteLine'; title: string; line: number }
  | { kind: 'replace'; title: string; line: number; column: number; endColumn: number; text: string };

export interface Finding {
  line: number;
  column: number;
  endColumn: number;
  code: string;
  severity: Severity;
  message: string;
  /** Other lines involved (the first copy of a duplicate, the overlapping validation line...). */
  related?: { line: number; file?: string; message: string }[];
  fixes?: Fix[];
}

export interface TokenStats {
  total: number;
  assistant: number;
  p50: number;
  p95: number;
  max: number;
}

export interface DatasetStats {
  format: DatasetFormat | 'unknown';
  examples: number;
  messages: number;
  tokens: TokenStats;
  /** True when counts come from an approximate tokenizer rather than the base model's own. */
  tokensApproximate: boolean;
  tokenizer: string;
  maxSeqLen: number;
  examplesOverMaxSeqLen: number;
  /** Share of tokens that would be padding when batching without packing (0..1). */
  paddingWaste: number;
  errors: number;
  warnings: number;
  infos: number;
}

/** Per-line facts the editor shows on hover. */
export interface LineInfo {
  tokens: number;
  /** Turn structure, e.g. ["system", "user", "assistant"]; empty for text/prompt-completion. */
  turns: string[];
}
