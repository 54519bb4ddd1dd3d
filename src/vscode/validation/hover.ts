// Hover on a line of an open dataset: its token count (exact or approximate) and its turn structure.
import * as vscode from 'vscode';
import type { LiveValidation } from './liveValidation';
import { lineHoverText } from './summaryText';

export class LineTokensHover implements vscode.HoverProvider {
  constructor(private readonly live: LiveValidation) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const stats = this.live.stats(document.uri);
    const info = this.live.lineInfo(document.uri, position.line + 1);
    if (!stats || !info) return undefined;
    const text = lineHoverText(info, stats.tokensApproximate, stats.tokenizer, stats.maxSeqLen);
    return new vscode.Hover(new vscode.MarkdownString(text), document.lineAt(position.line).range);
  }
}
