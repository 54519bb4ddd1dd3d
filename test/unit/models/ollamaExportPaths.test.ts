// Where an export finds things on this machine: the base model (the path the trainer loaded, the config's value,
// a Hugging Face cache snapshot), the tokenizer's template and eos, the default export folder, executables on PATH.
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultExportDir, findLlamaCppScript, findOnPath, readTokenizerFacts, resolveLocalBase } from '../../../src/platform/ollamaExport';

function runWithAdapter(trainerBase: unknown, adapterBase: unknown): { root: string; adapter: string } {
  const root = mkdtempSync(join(tmpdir(), 'ollama-paths-'));
  const adapter = join(root, 'run', 'adapter');
  mkdirSync(adapter, { recursive: true });
  writeFileSync(join(root, 'run', 'config.json'), JSON.stringify({ base_model: trainerBase }));
  writeFileSync(join(adapter, 'adapter_config.json'), JSON.stringify({ base_model_name_or_path: adapterBase }));
  return { root, adapter };
}

describe('the base model on this machine', () => {
  it('prefers the .gguf file the trainer loaded over the folder it was imported into', () => {
    const { root, adapter } = runWithAdapter('', '');
    const gguf = join(root, 'SmolLM2.Q4.gguf');
    writeFileSync(gguf, 'GGUF');
    const imported = join(root, 'imported');
    mkdirSync(imported);
    writeFileSync(join(imported, 'config.json'), '{}');
    writeFileSync(join(root, 'run', 'config.json'), JSON.stringify({ base_model: gguf }));
    writeFileSync(join(adapter, 'adapter_config.json'), JSON.stringify({ base_model_name_or_path: imported }));
    expect(resolveLocalBase('./models/SmolLM2.Q4.gguf', adapter, {})).toEqual({ kind: 'gguf', path: gguf });
  });

  it('finds a Hub id in the Hugging Face cache (the snapshot refs/main names)', () => {
    const { root, adapter } = runWithAdapter('HuggingFaceTB/SmolLM2-135M-Instruct', 'HuggingFaceTB/SmolLM2-135M-Instruct');
    const repo = join(root, 'hub', 'models--HuggingFaceTB--SmolLM2-135M-Instruct');
    for (const rev of ['old', 'abc123']) {
      mkdirSync(join(repo, 'snapshots', rev), { recursive: true });
      writeFileSync(join(repo, 'snapshots', rev, 'config.json'), '{}');
    }
    mkdirSync(join(repo, 'refs'));
    writeFileSync(join(repo, 'refs', 'main'), 'abc123\n');
    const found = resolveLocalBase('HuggingFaceTB/SmolLM2-135M-Instruct', adapter, { HF_HUB_CACHE: join(root, 'hub') });
    expect(found).toEqual({ kind: 'folder', path: join(repo, 'snapshots', 'abc123') });
  });

  it('says what to do when the base model is not here', () => {
    const { adapter } = runWithAdapter('/gone/model', 'org/not-downloaded');
    expect(() => resolveLocalBase('org/not-downloaded', adapter, { HF_HUB_CACHE: '/nonexistent' })).toThrow(
      /The base model org\/not-downloaded is not on this machine .*hf download org\/not-downloaded.*--merged/,
    );
  });
});

describe('tokenizer facts', () => {
  it("reads chat_template.jinja before tokenizer_config.json's template, the first folder that has one", () => {
    const root = mkdtempSync(join(tmpdir(), 'ollama-tok-'));
    const [adapter, base] = [join(root, 'adapter'), join(root, 'base')];
    mkdirSync(adapter);
    mkdirSync(base);
    writeFileSync(join(adapter, 'tokenizer_config.json'), JSON.stringify({ eos_token: { content: '<|im_end|>' } }));
    writeFileSync(join(base, 'tokenizer_config.json'), JSON.stringify({ chat_template: 'from config', eos_token: '</s>' }));
    writeFileSync(join(base, 'chat_template.jinja'), '<|im_start|>from jinja');
    expect(readTokenizerFacts([adapter, base])).toEqual({ chatTemplate: '<|im_start|>from jinja', eosToken: '<|im_end|>' });
    expect(readTokenizerFacts([join(root, 'missing')])).toEqual({ chatTemplate: null, eosToken: null });
  });
});

describe('folders and executables', () => {
  it("puts the export beside a run's adapter/ folder, or beside a downloaded copy", () => {
    expect(defaultExportDir('/w/runs/r1/adapter')).toBe('/w/runs/r1/ollama');
    expect(defaultExportDir('/ws/adapters/r1/')).toBe('/ws/adapters/r1-ollama');
  });

  it('finds executables on PATH and llama.cpp scripts in LLAMA_CPP_DIR first', () => {
    const root = mkdtempSync(join(tmpdir(), 'ollama-bin-'));
    const [bin, llama] = [join(root, 'bin'), join(root, 'llama.cpp')];
    mkdirSync(bin);
    mkdirSync(llama);
    writeFileSync(join(bin, 'ollama'), '#!/bin/sh\n');
    writeFileSync(join(bin, 'not-executable'), '');
    chmodSync(join(bin, 'ollama'), 0o755);
    writeFileSync(join(bin, 'convert_lora_to_gguf.py'), '');
    writeFileSync(join(llama, 'convert_lora_to_gguf.py'), '');
    expect(findOnPath('ollama', { PATH: `/nonexistent:${bin}` })).toBe(join(bin, 'ollama'));
    expect(findOnPath('not-executable', { PATH: bin })).toBeNull();
    expect(findLlamaCppScript('convert_lora_to_gguf.py', { PATH: bin, LLAMA_CPP_DIR: llama })).toBe(join(llama, 'convert_lora_to_gguf.py'));
    expect(findLlamaCppScript('convert_lora_to_gguf.py', { PATH: bin })).toBe(join(bin, 'convert_lora_to_gguf.py'));
    expect(findLlamaCppScript('convert_hf_to_gguf.py', { PATH: bin })).toBeNull();
  });
});
