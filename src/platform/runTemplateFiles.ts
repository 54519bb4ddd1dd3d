// The files behind Save as Template, shared by the editor and the command line: what a run's local copy says about
// it (its config.json as the trainer got it, its record), and writing the template file, atomically and never over
// an existing file unless asked.
import { randomBytes } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TrainerConfig } from '../contracts/trainerConfig';
import { RecoverySettings } from '../contracts/recovery';
import type { RunInfo } from '../core/runs/runInfo';
import type { RunForTemplate } from '../core/config/templateFromRun';

/** Refused: the run cannot give a template (not completed, or its local copy lacks its config). */
export class TemplateSourceError extends Error {}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TemplateSourceError(`${path} cannot be read: ${(error as Error).message}`);
  }
}

/** The run's settings from its local copy (mirror): config.json, and record.json for its recovery settings. */
export async function readRunForTemplate(run: RunInfo): Promise<RunForTemplate> {
  if (run.state !== 'completed') throw new TemplateSourceError(`run ${run.id} is ${run.state}: only a completed run is saved as a template`);
  const configPath = join(run.mirrorDir, 'config.json');
  const trainer = TrainerConfig.safeParse(await readJson(configPath));
  if (!trainer.success) throw new TemplateSourceError(`run ${run.id} has no readable config.json in its local copy (${configPath})`);
  const record = (await readJson(join(run.mirrorDir, 'record.json'))) as { recovery?: unknown } | undefined;
  const recovery = RecoverySettings.safeParse(record?.recovery ?? {});
  return {
    id: run.id,
    name: run.config.name,
    project: run.config.project,
    preset: run.config.preset,
    baseModel: run.config.baseModel,
    host: run.host,
    pricePerGpuHour: run.pricePerGpuHour,
    budgetUsd: run.budgetUsd,
    ...(recovery.success ? { recovery: recovery.data } : {}),
    trainer: trainer.data,
    evalLoss: run.evalLoss,
  };
}

/** The template file's text: two-space JSON and a final newline, like a run config written by the form. */
export function templateFileText(template: Record<string, unknown>): string {
  return JSON.stringify(template, null, 2) + '\n';
}

/** Writes the file whole or not at all; 'exists' (nothing written) when there is one and `overwrite` is off. */
export async function writeTemplateFile(path: string, text: string, overwrite: boolean): Promise<'written' | 'exists'> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, text, 'utf8');
  try {
    if (overwrite) {
      await rename(temp, path);
      return 'written';
    }
    // link() refuses an existing name: no window in which another writer's file could be replaced.
    await link(temp, path);
    return 'written';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
}
