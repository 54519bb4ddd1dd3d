// Activation time in the real editor: the extension logs it to its BrightRun output channel ("Activated in N ms
// (bundle ..., activate() ...)"); this test finds that line in the log VS Code keeps for the channel, checks it
// holds a number and prints it. No timed assertion: the budget is checked by `npm run bench:activation`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, makeWorkspace, useSession } from './harness';

const ACTIVATED = /Activated in (\d+(?:\.\d+)?) ms/;

/** The activation line of the BrightRun channel's log, anywhere under VS Code's logs folder. */
function activationLine(logsDir: string): string | undefined {
  const entries = readdirSync(logsDir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !/BrightRun\.log$/.test(entry.name)) continue;
    const line = readFileSync(join(entry.parentPath, entry.name), 'utf8')
      .split('\n')
      .find((l) => ACTIVATED.test(l));
    if (line) return line.trim();
  }
  return undefined;
}

describe('activation', () => {
  const workspace = makeWorkspace({
    'data.jsonl':
      JSON.stringify({
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello.' },
        ],
      }) + '\n',
  });
  const session = useSession(() => ({ workspace, theme: 'Default Light Modern' }));

  it('logs how long activation took to the BrightRun output channel', async () => {
    const { workbench, server } = session();
    await workbench.openFile('data.jsonl');
    await eventually(
      'the BrightRun output channel',
      () => workbench.outputChannels(),
      (names) => names.includes('BrightRun'),
    );
    const line = await eventually(
      'the activation time in the BrightRun log',
      async () => activationLine(server.vscodeLogsDir),
      (l) => l !== undefined,
    );
    const ms = Number(ACTIVATED.exec(line!)![1]);
    expect(Number.isFinite(ms)).toBe(true);
    expect(ms).toBeGreaterThan(0);
    console.log(`BrightRun activation in the real editor: ${line}`);
  });
});
