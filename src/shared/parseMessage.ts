// Every message crossing the webview boundary is parsed on arrival. One helper so each panel's protocol gives
// the same shape of answer: the typed message, or an error that names the message type and the bad field.
import type { z } from 'zod';

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

export function parseMessage<S extends z.ZodType>(schema: S, data: unknown, direction: string): ParseResult<z.output<S>> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, message: parsed.data };
  const type =
    typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string' ? `'${(data as { type: string }).type}'` : '(no type)';
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(message)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, error: `Invalid ${direction} message ${type}: ${problems}` };
}
