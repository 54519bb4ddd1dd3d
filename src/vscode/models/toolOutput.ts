// Reading what the trainer's tools (`generate`, `merge`) print: protocol v1 events, one JSON per line,
// plus any result object. Pure and lenient: unknown lines are kept as log text for the error message.
import { RunEvent } from '../../core/runs/events';

export interface ToolOutput {
  events: RunEvent[];
  /** JSON lines that are not protocol events (tool results). */
  objects: Record<string, unknown>[];
  /** Everything else, for error messages. */
  text: string[];
}

export function parseToolOutput(stdout: string): ToolOutput {
  const out: ToolOutput = { events: [], objects: [], text: [] };
  for (const line of stdout.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      out.text.push(trimmed);
      continue;
    }
    const event = RunEvent.safeParse(value);
    if (event.success) out.events.push(event.data);
    else if (value && typeof value === 'object' && !Array.isArray(value)) out.objects.push(value as Record<string, unknown>);
    else out.text.push(trimmed);
  }
  return out;
}

/** The failure a tool reported (its error event), or the last lines it printed. */
export function toolFailure(output: ToolOutput, stderr: string): string {
  const error = [...output.events].reverse().find((event) => event.type === 'error');
  if (error && error.type === 'error') return `${error.message}${error.hint ? ` ${error.hint}` : ''}`;
  const tail = [...output.text, ...stderr.trim().split('\n')].filter(Boolean).slice(-3).join(' ');
  return tail || 'the tool exited without a message';
}

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
  const objects = [...output.objects, ...logs.flatMap((message) => { try { const v = JSON.parse(message); return v && typeof v === 'object' ? [v] : []; } catch { return []; } })];
  return {
    base: findString(objects, ['base', 'base_answer', 'base_output', 'base_text']),
    adapter: findString(objects, ['adapter', 'adapter_answer', 'adapter_output', 'adapter_text', 'tuned']),
  };
}
