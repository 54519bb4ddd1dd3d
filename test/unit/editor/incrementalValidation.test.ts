// The editor's path from character edits to the incremental validator: after any sequence of edits (several
// per event, as multi-cursor produces), the findings and statistics must equal a fresh validation of the
// final text. This is what keeps the Problems panel right without re-scanning the document.
import { describe, expect, it } from 'vitest';
import { DocumentValidator, estimateCounter } from '../../../src/core/dataset';
import { LineMirror, splitLines, type TextChange } from '../../../src/vscode/validation/lineMirror';

const chat = (u: string, a: string) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: u },
      { role: 'assistant', content: a },
    ],
  });
const start = [chat('a', 'b'), chat('c', 'd'), chat('a', 'b'), '{"messages":[{"role":"user","contents":"x"}]}', ''].join('\n');
const pieces = ['', ',', '"', '}', '\n', chat('e', 'f'), '\n' + chat('a', 'b'), 'role', '{"prompt":"p","completion":"c"}', ' '];

function applyToText(text: string, change: TextChange): string {
  const lines = splitLines(text);
  const offset = (line: number, ch: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + Math.min(ch, lines[line].length);
  return text.slice(0, offset(change.startLine, change.startCharacter)) + change.text + text.slice(offset(change.endLine, change.endCharacter));
}

describe('incremental validation through the line mirror', () => {
  it('matches a full re-validation after hundreds of random multi-change events', () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const options = { maxSeqLen: 30, tokenCounter: estimateCounter() };
    let text = start;
    const mirror = new LineMirror(splitLines(text));
    const incremental = new DocumentValidator(options);
    incremental.reset(splitLines(text));
    for (let event = 0; event < 300; event++) {
      // Two changes per event, bottom one first, each range in the text left by the previous one.
      const count = 1 + random(2);
      const changes: TextChange[] = [];
      let scratch = text;
      for (let i = 0; i < count; i++) {
        const lines = splitLines(scratch);
        const l1 = random(lines.length);
        const l2 = Math.min(lines.length - 1, l1 + random(2));
        const c1 = random(lines[l1].length + 1);
        const c2 = l2 === l1 ? c1 + random(lines[l1].length - c1 + 1) : random(lines[l2].length + 1);
        const change = { startLine: l1, startCharacter: c1, endLine: l2, endCharacter: c2, text: pieces[random(pieces.length)] };
        changes.push(change);
        scratch = applyToText(scratch, change);
      }
      for (const change of changes) {
        const edit = mirror.apply(change);
        incremental.applyChange(edit.startLine, edit.removedCount, edit.insertedLines);
      }
      text = scratch;
      if (event % 25 === 0 || event === 299) {
        const fresh = new DocumentValidator(options);
        fresh.reset(splitLines(text));
        expect(incremental.findings(), `after event ${event}`).toEqual(fresh.findings());
        expect(incremental.stats()).toEqual(fresh.stats());
      }
    }
  });
});
