// Host messages arrive as window 'message' events; each is parsed with the panel's zod protocol before the app
// sees it. A message that does not parse is reported (shown in the panel), never acted on.
import { useEffect, useRef } from 'react';
import type { ParseResult } from '../../../src/shared/parseMessage';

export function useHostMessages<M>(parse: (data: unknown) => ParseResult<M>, onMessage: (message: M) => void, onInvalid: (error: string) => void): void {
  // Handlers change on every render; the listener is attached once and always calls the latest ones.
  const handlers = useRef({ onMessage, onInvalid });
  handlers.current = { onMessage, onInvalid };
  useEffect(() => {
    const listener = (event: MessageEvent) => {
      const parsed = parse(event.data);
      if (parsed.ok) handlers.current.onMessage(parsed.message);
      else {
        console.warn(parsed.error);
        handlers.current.onInvalid(parsed.error);
      }
    };
    window.addEventListener('message', listener);
    return () => window.removeEventListener('message', listener);
  }, [parse]);
}

/** Request ids unique within this page load: a prefix per panel and a counter. */
export function requestIdFactory(prefix: string): () => string {
  let next = 0;
  const page = Math.random().toString(36).slice(2, 8);
  return () => `${prefix}-${page}-${++next}`;
}
