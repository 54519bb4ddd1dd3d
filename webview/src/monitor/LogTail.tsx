// The last lines of trainer.log, following the end unless the user scrolled up to read.
import { useLayoutEffect, useRef } from 'react';
import type { RunHistory } from '../common/runHistory';

export function LogTail({ lines, history }: { lines: string[]; history: RunHistory }) {
  const ref = useRef<HTMLPreElement>(null);
  const follow = useRef(true);
  // Before trainer.log lines arrive, the log events of the history say what happened.
  const shown = lines.length > 0 ? lines : history.logs.slice(-200).map((l) => `[${l.level}] ${l.message}`);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element !== null && follow.current) element.scrollTop = element.scrollHeight;
  });
  return (
    <section className="br-card" aria-label="Log">
      <div className="br-label">Log</div>
      <pre
        ref={ref}
        className="br-log br-mono"
        data-testid="log-tail"
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
        }}
      >
        {shown.length > 0 ? shown.join('\n') : 'No output yet.'}
      </pre>
    </section>
  );
}
