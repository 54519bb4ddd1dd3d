// Reading what the trainer's tools (`generate`, `merge`, `evaluate`) print: protocol v1 events, one JSON per
// line, plus any result object. Pure and lenient: unknown lines are kept as log text for the error message.
import { RunEvent } from '../../contracts/events';

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

/** The failure a tool reported (its last error event), or the last lines it printed. */
export function toolFailure(output: ToolOutput, stderr: string, silent = 'the tool exited without a message'): string {
  const error = [...output.events].reverse().find((event) => event.type === 'error');
  if (error && error.type === 'error') return `${error.message}${error.hint ? ` ${error.hint}` : ''}`;
  const tail = [...output.text, ...stderr.trim().split('\n')].filter(Boolean).slice(-3).join(' ');
  return tail || silent;
}
