// The answers of the trainer's `generate` tool, read from its output (parsed by core/runs/toolOutput).
import type { ToolOutput } from '../../core/runs/toolOutput';

export { parseToolOutput, toolFailure, type ToolOutput } from '../../core/runs/toolOutput';

function findString(objects: readonly Record<string, unknown>[], keys: readonly string[]): string | null {
  for (const object of [...objects].reverse()) {
    for (const key of keys) if (typeof object[key] === 'string') return object[key] as string;
    for (const nested of Object.values(object)) {
      if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
        const found = findString([nested as Record<string, unknown>], keys);
        if (found !== null) return found;
      }
    }
  }
  return null;
}

/** The base model's and the adapter's answers from `generate` output. */
export function generateAnswers(output: ToolOutput): { base: string | null; adapter: string | null } {
  const logs = output.events.flatMap((event) => (event.type === 'log' ? [event.message] : []));
  const objects = [
    ...output.objects,
    ...logs.flatMap((message) => {
      try {
        const v = JSON.parse(message);
        return v && typeof v === 'object' ? [v] : [];
      } catch {
        return [];
      }
    }),
  ];
  return {
    base: findString(objects, ['base', 'base_answer', 'base_output', 'base_text']),
    adapter: findString(objects, ['adapter', 'adapter_answer', 'adapter_output', 'adapter_text', 'tuned']),
  };
}
