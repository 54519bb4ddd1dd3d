// Quick fixes from the validator's certain fixes (remove a duplicate line, rename a misspelled key, drop a
// trailing comma). The first fix of each finding is the preferred one, so "Auto Fix" applies it.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, diagnosticKey, toRange } from './diagnostics';
import type { LiveValidation } from './liveValidation';
import { fixEdit } from './positions';

export class DatasetQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly live: LiveValidation) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const fixes = this.live.fixesFor(document, diagnosticKey(diagnostic));
      fixes.forEach((fix, index) => {
        let edit;
        try {
          edit = fixEdit(fix, document.lineCount, (line) => document.lineAt(line).text.length);
        } catch {
          return; // the line is gone; offering nothing beats editing the wrong place
        }
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = index === 0;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, toRange(edit.range), edit.newText);
        actions.push(action);
      });
    }
    return actions;
  }
}
