// Converts a dataset file on disk (to openai-chat, or between the preference formats), streaming: lines are read and converted in batches and
// written to a temporary file that replaces the target only when complete (no half-written dataset, even for
// a 200 MB file). The per-example conversion is the validator's (convertToOpenAiChat, convertPreference).
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { convertToOpenAiChat, type ConversionResult } from '../../core/dataset';
import type { DatasetFormat } from '../../contracts/trainerConfig';

export interface FileConversion {
  converted: number;
  skipped: { line: number; reason: string }[];
  sourceFormats: DatasetFormat[];
}

const BATCH_LINES = 5000;

export function convertFileToOpenAiChat(sourcePath: string, targetPath: string): Promise<FileConversion> {
  return convertFile(sourcePath, targetPath, convertToOpenAiChat);
}

/** `convert` turns a batch of lines into converted lines (see core/dataset/convert.ts). */
export async function convertFile(sourcePath: string, targetPath: string, convert: (lines: readonly string[]) => ConversionResult): Promise<FileConversion> {
  const temp = `${targetPath}.${process.pid}.tmp`;
  const out = createWriteStream(temp, { encoding: 'utf8' });
  // A write error (disk full, folder not writable) must reject, not hang on a 'drain' that never comes.
  const failed = new Promise<never>((_, reject) => out.on('error', reject));
  failed.catch(() => {});
  const settled = (event: string) => Promise.race([once(out, event), failed]);
  const input = createReadStream(sourcePath, { encoding: 'utf8' });
  const reader = createInterface({ input, crlfDelay: Infinity });
  const result: FileConversion = { converted: 0, skipped: [], sourceFormats: [] };
  let batch: string[] = [];
  let firstLine = 0; // 0-based line number of batch[0]

  const flush = async () => {
    const converted = convert(batch);
    for (const s of converted.skipped) result.skipped.push({ line: s.line + firstLine, reason: s.reason });
    for (const format of converted.sourceFormats) if (!result.sourceFormats.includes(format)) result.sourceFormats.push(format);
    result.converted += converted.lines.length;
    if (converted.lines.length > 0 && !out.write(`${converted.lines.join('\n')}\n`)) await settled('drain');
    firstLine += batch.length;
    batch = [];
  };

  try {
    for await (const line of reader) {
      batch.push(firstLine === 0 && batch.length === 0 ? line.replace(/^\uFEFF/, '') : line);
      if (batch.length >= BATCH_LINES) await flush();
    }
    await flush();
    out.end();
    await settled('finish');
    await rename(temp, targetPath);
    return result;
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  } finally {
    reader.close();
    input.destroy();
  }
}
