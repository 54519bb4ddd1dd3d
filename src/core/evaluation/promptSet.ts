// Prompt sets (`*.prompts.jsonl`: {"prompt", "reference"?} per line) are what `brightrun eval` answers, not
// training data: the Datasets view and live validation leave them out, so they are not reported as broken
// prompt/completion datasets. The trainer reads and checks them when an evaluation uses them.
export const PROMPT_SET_SUFFIX = '.prompts.jsonl';
export const PROMPT_SET_GLOB = `**/*${PROMPT_SET_SUFFIX}`;

export function isPromptSetPath(path: string): boolean {
  return path.toLowerCase().endsWith(PROMPT_SET_SUFFIX);
}
