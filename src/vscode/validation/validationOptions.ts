// The current ValidateOptions, from the settings plus the token counter they name. The counter is loaded once
// per tokenizer setting (gpt-tokenizer's tables or a tokenizer.json take a moment) and shared by every
// document, the disk validation and the Datasets view.
import type * as vscode from 'vscode';
import type { TokenCounter, ValidateOptions } from '../../contracts/dataset';
import type { ValidationSettings } from '../settings';
import { optionsKey } from '../datasets/statsCache';
import { loadTokenCounter } from './tokenizerLoader';

export class ValidationOptionsSource {
  private value: ValidationSettings;
  private counter: { tokenizer: string; promise: Promise<TokenCounter> } | undefined;

  constructor(
    private readonly read: () => ValidationSettings,
    private readonly log: vscode.LogOutputChannel,
    private readonly warn: (message: string) => void,
  ) {
    this.value = read();
  }

  settings(): ValidationSettings {
    return this.value;
  }

  reload(): void {
    this.value = this.read();
  }

  /** Identity of the settings that shape results (cache key of the Datasets view). */
  key(): string {
    return optionsKey(this.value);
  }

  async current(): Promise<ValidateOptions> {
    const settings = this.value;
    return { maxSeqLen: settings.maxSeqLen, severityOverrides: settings.severity, tokenCounter: await this.counterFor(settings.tokenizer) };
  }

  private counterFor(tokenizer: string): Promise<TokenCounter> {
    if (this.counter?.tokenizer !== tokenizer) {
      const promise = loadTokenCounter(tokenizer).then((counter) => {
        this.log.info(`Token counts: ${counter.name}`);
        if (counter.note) this.warn(counter.note);
        return counter;
      });
      this.counter = { tokenizer, promise };
    }
    return this.counter.promise;
  }
}
