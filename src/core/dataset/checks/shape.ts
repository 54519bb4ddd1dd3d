// What a format check extracts from a valid-enough example for token counting and the hover: the turns and
// the texts a chat template would render, each marked when the trainer learns from it (assistant turns).
import type { LineIssue } from '../issues';

export interface ExampleShape {
  /** Normalised roles (system, user, assistant, tool) in order; empty for text and prompt-completion. */
  turns: string[];
  texts: string[];
  /** Parallel to `texts`: true for text the model is trained to produce. */
  trained: boolean[];
  /** Image parts in content-part lists: a text-only model drops them. */
  images: number;
}

export const emptyShape = (): ExampleShape => ({ turns: [], texts: [], trained: [], images: 0 });

export interface CheckResult {
  issues: LineIssue[];
  shape: ExampleShape;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}
