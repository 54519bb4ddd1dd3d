// Routes messages from a webview to handlers by their `type`, after parsing them with the panel's zod protocol.
// A message that does not parse is logged and dropped: the webview is untrusted input like any other.
// Pure (no 'vscode' import) so routing and rejection are unit-tested.
import type { z } from 'zod';

export type Handlers<M extends { type: string }> = {
  [K in M['type']]?: (message: Extract<M, { type: K }>) => void | Promise<void>;
};

export interface RouterLog {
  warn(message: string): void;
  error(message: string): void;
}

export function createMessageRouter<S extends z.ZodType<{ type: string }>>(
  schema: S,
  handlers: Handlers<z.infer<S>>,
  log: RouterLog,
): (raw: unknown) => Promise<boolean> {
  return async (raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const kind = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type) : typeof raw;
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      log.warn(`Ignored a malformed webview message (${kind.slice(0, 60)}): ${issues.join('; ')}`);
      return false;
    }
    const message = parsed.data as z.infer<S>;
    const handler = (handlers as Record<string, ((m: unknown) => void | Promise<void>) | undefined>)[message.type];
    if (!handler) {
      log.warn(`No handler for webview message '${message.type}'.`);
      return false;
    }
    try {
      await handler(message);
    } catch (error) {
      log.error(`Handling webview message '${message.type}' failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return true;
  };
}
