// Read-only preview of a dataset's first examples, rendered as conversations: a virtual Markdown document
// (scheme `brightrun-preview`) opened in the Markdown preview. Reads only the head of the file, so a 200 MB
// dataset previews instantly.
import * as vscode from 'vscode';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { basename } from 'node:path';
import { renderPreview, type PreviewLine } from './previewMarkdown';

export const PREVIEW_SCHEME = 'brightrun-preview';
const PREVIEW_EXAMPLES = 20;

export class DatasetPreviewProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(uri.query, true);
    const { lines, more } = await readHead(source.fsPath, PREVIEW_EXAMPLES);
    return renderPreview(basename(source.fsPath), lines, more);
  }
}

export function previewUri(source: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${basename(source.path)}.preview.md`, query: source.toString() });
}

export async function openPreview(source: vscode.Uri): Promise<void> {
  const uri = previewUri(source);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // Without the built-in Markdown extension, the Markdown source is still readable.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  }
}

async function readHead(path: string, count: number): Promise<{ lines: PreviewLine[]; more: boolean }> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  const lines: PreviewLine[] = [];
  let number = 0;
  let more = false;
  try {
    for await (const raw of reader) {
      number++;
      const text = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      if (lines.length === count) {
        more = true;
        break;
      }
      lines.push({ line: number, text });
    }
  } finally {
    reader.close();
    stream.destroy();
  }
  return { lines, more };
}
