// The run templates the launch form offers: every *.brightrun.json of the workspace with a `template` block, as
// the form starts from it (defaults filled in, paths re-anchored to the form's folder, the fields still to fill).
// Pure, so it is unit-tested; the files come from the workspace API (registerPanels.ts).
import { dirname } from 'node:path';
import { templateBlockOf, templateFormStart } from '../../core/config/fillTemplate';
import { validateRunConfig } from '../../contracts/validateRunConfig';
import type { TemplateEntry } from '../../shared/launchProtocol';
import { configRelativePath, rebaseConfigPaths } from './launchLogic';

export interface WorkspaceFile {
  path: string;
  text: string;
}

/** The workspace's *.brightrun.json files and their text, and word when one is created, changed or deleted. */
export interface TemplateFiles {
  list(): Promise<WorkspaceFile[]>;
  onDidChange(listener: () => void): { dispose(): void };
}

/** The template in one file, or null when the file is a plain run config (or not JSON at all). */
export function templateEntry(file: WorkspaceFile, baseDir: string, workspaceRoot: string): TemplateEntry | null {
  let raw: unknown;
  try {
    raw = JSON.parse(file.text.replace(/^\uFEFF/, ''));
  } catch {
    return null;
  }
  const block = templateBlockOf(raw);
  if (block === null) return null;
  const record = raw as Record<string, unknown>;
  const checked = validateRunConfig(record);
  const variables = Object.entries(typeof block.variables === 'object' && block.variables !== null ? block.variables : {}).map(([name, v]) => ({
    name,
    description: typeof v?.description === 'string' ? v.description : null,
    default: typeof v?.default === 'string' ? v.default : null,
  }));
  const start = templateFormStart(record);
  return {
    path: file.path,
    label: configRelativePath(workspaceRoot, file.path),
    name: typeof block.name === 'string' && block.name ? block.name : configRelativePath(workspaceRoot, file.path),
    description: typeof block.description === 'string' ? block.description : null,
    variables,
    config: rebaseConfigPaths(start.config, dirname(file.path), baseDir),
    unfilled: start.unfilled,
    ...(checked.ok ? {} : { problem: checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ') }),
  };
}

/** Every template among the files, by name. */
export function templateEntries(files: readonly WorkspaceFile[], baseDir: string, workspaceRoot: string): TemplateEntry[] {
  return files
    .map((file) => templateEntry(file, baseDir, workspaceRoot))
    .filter((entry): entry is TemplateEntry => entry !== null)
    .sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
}
