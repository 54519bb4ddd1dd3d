// Live validation against in-memory documents and a recording diagnostics sink: diagnostics on open, re-published
// once typing pauses (debounced), severity settings applied, and cleared when the document closes. The validator,
// the settings parsing and the token counter are the real ones.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DiagnosticsSink } from '../../../src/vscode/api/diagnostics';
import type { UriLike } from '../../../src/vscode/api/workspace';
import { readValidationSettings } from '../../../src/vscode/settings';
import type { PlainDiagnostic } from '../../../src/vscode/validation/diagnosticPlan';
import { LiveValidation } from '../../../src/vscode/validation/liveValidation';
import { ValidationOptionsSource } from '../../../src/vscode/validation/validationOptions';
import { RecordingLog } from './helpers/editorStandIns';
import { MemoryDocument, fileUri } from './helpers/memoryDocument';

const good = (n: number) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: `Question ${n}?` },
      { role: 'assistant', content: `Answer ${n}.` },
    ],
  });
const GOOD = good(1);
const BROKEN = '{"messages": [';

class RecordingSink implements DiagnosticsSink<UriLike> {
  readonly current = new Map<string, readonly PlainDiagnostic[]>();
  publishes = 0;
  deletes: string[] = [];
  set(uri: UriLike, diagnostics: readonly PlainDiagnostic[]): void {
    this.publishes += 1;
    this.current.set(uri.toString(), diagnostics);
  }
  delete(uri: UriLike): void {
    this.deletes.push(uri.toString());
    this.current.delete(uri.toString());
  }
  codesAt(uri: UriLike): { code?: string; line: number; severity: string }[] {
    return (this.current.get(uri.toString()) ?? []).map((d) => ({ code: d.code, line: d.range.startLine, severity: d.severity }));
  }
}

describe('live validation', () => {
  let settings: Record<string, unknown>;
  let sink: RecordingSink;
  let documents: MemoryDocument[];
  let live: LiveValidation<MemoryDocument>;
  let options: ValidationOptionsSource;

  beforeEach(() => {
    settings = { debounceMs: 300 };
    sink = new RecordingSink();
    documents = [];
    const log = new RecordingLog();
    options = new ValidationOptionsSource(
      () => readValidationSettings({ get: <T>(key: string) => settings[key] as T }).settings,
      log as never,
      () => {},
    );
    live = new LiveValidation(sink, options, log, { textDocuments: documents });
  });

  afterEach(() => {
    live.dispose();
    vi.useRealTimers();
  });

  async function open(text: string, path = '/data/train.jsonl', languageId = 'jsonl'): Promise<MemoryDocument> {
    const document = new MemoryDocument(fileUri(path), text, languageId);
    documents.push(document);
    await live.open(document);
    return document;
  }

  it('publishes the findings of a dataset as soon as it opens', async () => {
    const document = await open([GOOD, BROKEN, good(2)].join('\n'));
    expect(sink.codesAt(document.uri)).toEqual([{ code: 'invalid_json', line: 1, severity: 'error' }]);
    expect(live.stats(document.uri)?.examples).toBe(2);
  });

  it('leaves documents that are not datasets alone', async () => {
    const document = await open(BROKEN, '/notes/readme.md', 'markdown');
    expect(live.has(document.uri)).toBe(false);
    expect(sink.publishes).toBe(0);
  });

  it('re-publishes once typing pauses, once for a burst of edits', async () => {
    const document = await open([GOOD, good(2)].join('\n'));
    expect(sink.codesAt(document.uri)).toEqual([]);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const before = sink.publishes;
    live.change(document.replaceLine(0, BROKEN));
    vi.advanceTimersByTime(200);
    live.change(document.replaceLine(1, BROKEN));
    vi.advanceTimersByTime(299);
    expect(sink.publishes).toBe(before);
    // Quick fixes are withheld while the published diagnostics describe an older text.
    expect(live.fixesFor(document, 'any')).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sink.publishes).toBe(before + 1);
    expect(sink.codesAt(document.uri)).toEqual([
      { code: 'invalid_json', line: 0, severity: 'error' },
      { code: 'invalid_json', line: 1, severity: 'error' },
    ]);
  });

  it('follows inserted and removed lines', async () => {
    const document = await open([GOOD, BROKEN].join('\n'));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    live.change(document.edit({ line: 0, character: 0 }, { line: 0, character: 0 }, `${good(2)}\n${good(3)}\n`));
    vi.advanceTimersByTime(300);
    expect(sink.codesAt(document.uri)).toEqual([{ code: 'invalid_json', line: 3, severity: 'error' }]);
    live.change(document.edit({ line: 2, character: GOOD.length }, { line: 3, character: BROKEN.length }, ''));
    vi.advanceTimersByTime(300);
    expect(document.getText()).toBe([good(2), good(3), GOOD].join('\n'));
    expect(sink.codesAt(document.uri)).toEqual([]);
    expect(live.stats(document.uri)?.examples).toBe(3);
  });

  it('applies the severity settings, and new settings to open documents', async () => {
    settings.severity = { invalid_json: 'warning' };
    options.reload();
    const document = await open([GOOD, BROKEN].join('\n'));
    expect(sink.codesAt(document.uri)).toEqual([{ code: 'invalid_json', line: 1, severity: 'warning' }]);

    settings.severity = { invalid_json: 'off' };
    options.reload();
    await live.reconfigure();
    expect(sink.codesAt(document.uri)).toEqual([]);

    settings.severity = { invalid_json: 'info' };
    options.reload();
    await live.reconfigure();
    expect(sink.codesAt(document.uri)).toEqual([{ code: 'invalid_json', line: 1, severity: 'info' }]);
  });

  it('uses a new debounce delay after reconfiguring', async () => {
    const document = await open(GOOD);
    settings.debounceMs = 50;
    options.reload();
    await live.reconfigure();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const before = sink.publishes;
    live.change(document.replaceLine(0, BROKEN));
    vi.advanceTimersByTime(50);
    expect(sink.publishes).toBe(before + 1);
  });

  it('clears the diagnostics of a closed document and drops its pending publish', async () => {
    const document = await open([GOOD, BROKEN].join('\n'));
    const updated: string[] = [];
    live.onDidUpdate((uri) => updated.push(uri.toString()));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    live.change(document.replaceLine(0, BROKEN));
    document.isClosed = true;
    documents.splice(0);
    live.close(document);
    expect(sink.deletes).toEqual([document.uri.toString()]);
    expect(sink.current.has(document.uri.toString())).toBe(false);
    expect(live.has(document.uri)).toBe(false);
    expect(updated).toEqual([document.uri.toString()]);
    const publishes = sink.publishes;
    vi.advanceTimersByTime(1000);
    expect(sink.publishes).toBe(publishes);
  });
});
