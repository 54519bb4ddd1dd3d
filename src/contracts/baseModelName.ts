// The base model reaches the training host as a command argument and in the trainer's config, so it is checked
// where it enters, in the run config: a Hugging Face Hub id (`org/name`, or a bare `name`), a folder path
// (starting with ./, ../, /, ~/ or a drive letter) or a `.gguf` file (any path ending in .gguf: no Hub id names a
// file, and the trainer converts it once into a cached model folder). Shell syntax and control characters are
// refused in all of them.
import type { z } from 'zod';
import { isWholePlaceholder } from './runTemplate';

/** True when baseModel names a folder (./x, ../x, /x, ~/x) or a .gguf file rather than a Hugging Face model id. */
export function isLocalModelPath(baseModel: string): boolean {
  return /^(\.{1,2}[\\/]|[\\/]|~[\\/])/.test(baseModel) || /^[A-Za-z]:[\\/]/.test(baseModel) || /\.gguf$/i.test(baseModel);
}

/** One part of a Hub id: letters, digits, '-', '_', '.', not starting or ending with '-' or '.', no '--' or '..'. */
const HUB_PART = /^(?!.*(?:--|\.\.))[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const HUB_ID_MAX = 96;
/** Characters a shell gives a meaning to; a model folder has no need for them. */
const SHELL_SYNTAX = /[`$;|&<>!*?"'{}[\]]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/** Why a baseModel value is refused, or null when it is a valid Hub id, folder path or .gguf file. */
export function baseModelProblem(value: string): string | null {
  if (isWholePlaceholder(value)) return null; // a template's variable, checked once filled
  const control = CONTROL.exec(value);
  if (control) return `holds a control character (${JSON.stringify(control[0])}): write the Hub id or folder path on one line`;
  if (isLocalModelPath(value)) {
    const shell = SHELL_SYNTAX.exec(value);
    return shell ? `the folder path holds '${shell[0]}', which a shell would interpret: rename the folder or use a link to it without that character` : null;
  }
  const parts = value.split('/');
  if (parts.length <= 2 && value.length <= HUB_ID_MAX && parts.every((p) => HUB_PART.test(p))) return null;
  return (
    `'${value}' is neither a Hugging Face model id ("org/name": letters, digits, '-', '_', '.'; at most ${HUB_ID_MAX} characters), ` +
    'a folder path (start it with ./, ../, / or ~/) nor a .gguf file'
  );
}

/** For the zod schema of the run config: reports at the field's own path. */
export function checkBaseModel(value: string, ctx: z.RefinementCtx): void {
  const problem = baseModelProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}
