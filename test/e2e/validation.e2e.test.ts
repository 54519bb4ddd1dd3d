// Dataset validation in the real editor: the packaged extension activates on a JSONL file, its findings show
// in the Problems panel at the lines the CLI reports, and a quick fix edits the file and clears its finding.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ProblemRow, eventually, makeWorkspace, repoRoot, useSession } from './harness';

const chat = (user: string, assistant: string) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: user },
      { role: 'assistant', content: assistant },
    ],
  });

// A small file with two certain fixes: a misspelled key on line 2 and a duplicate of line 1 on line 3.
const fixable =
  [
    chat('Is the Glow lamp dimmable?', 'Yes, in five steps.'),
    JSON.stringify({
      messages: [
        { role: 'user', contents: 'Is the Breeze fan quiet?' },
        { role: 'assistant', content: 'Yes, 30 dB.' },
      ],
    }),
    chat('Is the Glow lamp dimmable?', 'Yes, in five steps.'),
    chat('Does the Frost fridge hum?', 'Barely: 35 dB.'),
  ].join('\n') + '\n';

interface CliFile {
  format: string;
  examples: number;
  findings: CliFinding[];
}

interface CliFinding {
  line: number;
  column: number;
  code: string;
  severity: string;
  message: string;
}

function cliReport(file: string): CliFile {
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'validate', '--json', file], {
      encoding: 'utf8',
    });
  } catch (error) {
    // Exit 1 means "the file has errors", which is what a broken sample is for; the JSON is still on stdout.
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    if (failed.status !== 1 || !failed.stdout) throw new Error(`brightrun validate failed: ${failed.stderr ?? error}`, { cause: error });
    stdout = failed.stdout;
  }
  const report = JSON.parse(stdout) as { files: CliFile[] };
  return report.files[0];
}

const key = (p: { line: number; column: number; code: string }) => `${p.line}:${p.column}:${p.code}`;

/** The problem counts the editor's summary ends with, in its words: "1 error, 2 warnings, 1 info" or "no problems". */
function problemWords(findings: CliFinding[]): string {
  const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
  const parts = [
    [count('error'), 'error', 'errors'],
    [count('warning'), 'warning', 'warnings'],
    [count('info') + count('information'), 'info', 'infos'],
  ] as const;
  const words = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return words.length > 0 ? words.join(', ') : 'no problems';
}

describe('dataset validation in VS Code', () => {
  const workspace = makeWorkspace({ 'fixable.jsonl': fixable });
  cpSync(join(repoRoot, 'samples', 'broken.jsonl'), join(workspace, 'broken.jsonl'));
  const session = useSession(() => ({ workspace, theme: 'Default Dark Modern' }));

  const problemsOf = async (file: string): Promise<ProblemRow[]> => (await session().workbench.readProblems()).filter((p) => p.file === file);

  /**
   * Waits for the summary CodeLens of the active editor to describe `file` as saved (the CLI's example count
   * and problem counts, infos included) and returns its text. Both datasets stay open in tabs meanwhile, so
   * the lens must follow its own document, not the other one.
   */
  const lensOfSavedFile = async (file: string): Promise<string> => {
    const { workbench } = session();
    const tabs = await workbench.page.locator('.tabs-container .tab').evaluateAll((els) => els.map((el) => el.getAttribute('data-resource-name')));
    expect(tabs).toEqual(expect.arrayContaining(['broken.jsonl', file]));
    const saved = cliReport(join(workspace, file));
    const expected = `${saved.examples} example${saved.examples === 1 ? '' : 's'}`;
    const problems = problemWords(saved.findings);
    // Both lenses of a line share one decoration: "<summary> | Re-validate".
    const summaries = await eventually(
      `the CodeLens to say "${expected} … ${problems}"`,
      async () => (await workbench.codeLensTexts()).map((t) => t.split(' | ')[0]),
      (texts) => texts.some((t) => t.includes(` ${expected} · `) && t.endsWith(` · ${problems}`)),
    );
    return summaries.find((t) => t.includes(` ${expected} · `))!;
  };

  it('activates on opening a .jsonl file', async () => {
    const { workbench } = session();
    expect(await workbench.outputChannels()).not.toContain('BrightRun');
    await workbench.openFile('broken.jsonl');
    const channels = await eventually(
      'the BrightRun output channel',
      () => workbench.outputChannels(),
      (names) => names.includes('BrightRun'),
    );
    expect(channels).toContain('BrightRun');
  });

  it('shows the findings of a broken file in the Problems panel at the lines the CLI reports', async () => {
    const { workbench } = session();
    const expected = cliReport(join(workspace, 'broken.jsonl')).findings;
    expect(expected.length).toBeGreaterThan(5);
    await workbench.openFile('broken.jsonl');
    const problems = await eventually(
      'the findings of broken.jsonl in the Problems panel',
      () => problemsOf('broken.jsonl'),
      (rows) => rows.length >= expected.length,
    );
    expect(problems.map(key).sort()).toEqual(expected.map(key).sort());
    for (const finding of expected) {
      const row = problems.find((p) => key(p) === key(finding))!;
      expect(row.severity, `severity of ${key(finding)}`).toBe(finding.severity === 'information' ? 'info' : finding.severity);
      expect(row.message, `message of ${key(finding)}`).toBe(finding.message);
    }
    await workbench.screenshot('validation-problems-dark');
    await workbench.setTheme('Default Light Modern');
    await workbench.screenshot('validation-problems-light');
    await workbench.setTheme('Default Dark Modern');
  });

  it("summarises the file in a CodeLens and shows a line's tokens on hover", async () => {
    const { workbench } = session();
    const report = cliReport(join(workspace, 'broken.jsonl'));
    await workbench.openFile('broken.jsonl');
    const lenses = await eventually(
      'the summary CodeLens',
      () => workbench.codeLensTexts(),
      (texts) => texts.some((t) => t.includes(`${report.examples} examples`)),
    );
    expect(lenses.join(' ')).toContain(report.format);
    // Every severity the Problems panel shows, infos included ("12 errors, 6 warnings, 1 info").
    expect(report.findings.some((f) => f.severity === 'info')).toBe(true);
    expect(lenses.join(' ')).toContain(` · ${problemWords(report.findings)}`);
    // Line 1 is a valid two-turn example: its hover counts its tokens.
    const hover = await workbench.hoverText(1, 3, 'validation-hover-dark');
    expect(hover).toMatch(/tokens?/i);
  });

  it('renames a misspelled key with a quick fix and the finding disappears', async () => {
    const { workbench } = session();
    await workbench.openFile('fixable.jsonl');
    const before = await eventually(
      'a finding on the misspelled key',
      () => problemsOf('fixable.jsonl'),
      (rows) => rows.some((p) => p.line === 2),
    );
    const typo = before.find((p) => p.line === 2)!;
    await workbench.openFile('fixable.jsonl');
    await workbench.applyQuickFix(typo.line, typo.column, 'Rename "contents" to "content"');
    await eventually(
      'the finding on line 2 to go',
      () => problemsOf('fixable.jsonl'),
      (rows) => rows.every((p) => p.line !== 2),
    );
    await workbench.save();
    const lines = readFileSync(join(workspace, 'fixable.jsonl'), 'utf8').split('\n');
    expect(lines[1]).toContain('"content":"Is the Breeze fan quiet?"');
    expect(lines[1]).not.toContain('contents');
    const summary = await lensOfSavedFile('fixable.jsonl');
    expect(summary).toContain('4 examples');
  });

  it('deletes a duplicate line with a quick fix', async () => {
    const { workbench } = session();
    await workbench.openFile('fixable.jsonl');
    const rows = await eventually(
      'the duplicate finding on line 3',
      () => problemsOf('fixable.jsonl'),
      (found) => found.some((p) => p.line === 3 && p.code === 'duplicate_example'),
    );
    const duplicate = rows.find((p) => p.line === 3 && p.code === 'duplicate_example')!;
    await workbench.openFile('fixable.jsonl');
    await workbench.applyQuickFix(duplicate.line, duplicate.column, /Delete this duplicate of line 1/);
    await eventually(
      'no duplicate finding left',
      () => problemsOf('fixable.jsonl'),
      (found) => found.every((p) => p.code !== 'duplicate_example'),
    );
    await workbench.save();
    const lines = readFileSync(join(workspace, 'fixable.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('Frost fridge');
    // The file's summary in the status bar follows the edit.
    await eventually(
      'the status bar summary to count 3 examples',
      () => workbench.statusBarTexts(),
      (texts) => texts.some((t) => /\b3 ex/.test(t)),
    );
    // So does its CodeLens, with two datasets open (broken.jsonl in the other tab), and it counts the same
    // problems as the CLI on the saved file, infos included.
    const summary = await lensOfSavedFile('fixable.jsonl');
    expect(summary).toContain('3 examples');
    await workbench.screenshot('validation-after-quick-fixes-dark');
  });
});
