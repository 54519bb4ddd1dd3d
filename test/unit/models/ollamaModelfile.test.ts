// The Ollama Modelfile: template families recognised from real and hand-written Jinja chat templates, their Go
// templates, stop tokens from the tokenizer, and the rendered file (quoting, notes, system prompt).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chatTemplateOf,
  commonSystemPrompt,
  defaultOllamaName,
  defaultSystemPrompt,
  detectTemplateFamily,
  eosTokenOf,
  ollamaCreateCommand,
  ollamaNameProblem,
  ollamaTemplate,
  renderModelfile,
  stopTokens,
} from '../../../src/core/models/ollamaModelfile';
import { smolLM2Folder } from '../dataset/modelFolders';
import { missingParts } from '../../realParts';

// Hand-written samples of each family's Jinja template, as their tokenizer_config.json files carry them (abridged).
const LLAMA3 =
  "{{- bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";
const MISTRAL =
  "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}";
const GEMMA =
  "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}";
const PHI3 =
  "{% for message in messages %}{% if message['role'] == 'system' %}{{'<|system|>\\n' + message['content'] + '<|end|>\\n'}}{% elif message['role'] == 'user' %}{{'<|user|>\\n' + message['content'] + '<|end|>\\n'}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>\\n' + message['content'] + '<|end|>\\n'}}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% else %}{{ eos_token }}{% endif %}";
const QWEN =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const ALPACA = "{% for message in messages %}{% if message['role'] == 'user' %}{{ '### Instruction:\\n' + message['content'] }}{% endif %}{% endfor %}";

describe('template families', () => {
  it.each([
    ['Llama 3', LLAMA3, 'llama3'],
    ['Mistral', MISTRAL, 'mistral'],
    ['Gemma', GEMMA, 'gemma'],
    ['Phi-3', PHI3, 'phi3'],
    ['Qwen (ChatML)', QWEN, 'chatml'],
    ['Alpaca-style', ALPACA, 'unknown'],
    ['no template', null, 'unknown'],
  ] as const)('%s is recognised by its markers', (_, template, family) => {
    expect(detectTemplateFamily(template)).toBe(family);
  });

  it('each Go template walks .Messages and ends with the assistant turn opened', () => {
    expect(ollamaTemplate('chatml')).toBe('{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n');
    expect(ollamaTemplate('llama3')).toMatch(/<\|start_header_id\|>\{\{ \.Role \}\}<\|end_header_id\|>\n\n\{\{ \.Content \}\}<\|eot_id\|>/);
    expect(ollamaTemplate('llama3').endsWith('<|start_header_id|>assistant<|end_header_id|>\n\n')).toBe(true);
    expect(ollamaTemplate('mistral')).toContain('[INST] {{ if and $.System (eq (len (slice $.Messages $i)) 1) }}{{ $.System }}');
    expect(ollamaTemplate('gemma').endsWith('<start_of_turn>model\n')).toBe(true);
    expect(ollamaTemplate('phi3')).toContain('<|{{ .Role }}|>\n{{ .Content }}<|end|>');
    for (const family of ['chatml', 'llama3', 'mistral', 'gemma', 'phi3', 'unknown'] as const) {
      const template = ollamaTemplate(family);
      expect(template).toContain('.Messages');
      // Balanced actions: every {{ has its }}, and each range/if is closed by an end.
      expect(template.split('{{').length).toBe(template.split('}}').length);
      const opened = (template.match(/\{\{-? ?(range|if) /g) ?? []).length;
      expect((template.match(/\{\{-? ?end ?-?\}\}/g) ?? []).length).toBe(opened);
    }
  });

  it('stop tokens: the family end-of-turn tokens and the eos, each once', () => {
    expect(stopTokens('chatml', '<|im_end|>')).toEqual(['<|im_start|>', '<|im_end|>']);
    expect(stopTokens('llama3', '<|end_of_text|>')).toEqual(['<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>', '<|end_of_text|>']);
    expect(stopTokens('mistral', '</s>')).toEqual(['[INST]', '[/INST]', '</s>']);
    expect(stopTokens('gemma', '<eos>')).toEqual(['<start_of_turn>', '<end_of_turn>', '<eos>']);
    expect(stopTokens('phi3', '<|endoftext|>')).toEqual(['<|end|>', '<|user|>', '<|assistant|>', '<|endoftext|>']);
    expect(stopTokens('unknown', null)).toEqual(['### user:']);
  });

  it("reads the eos and the template from tokenizer_config.json's shapes", () => {
    expect(eosTokenOf({ eos_token: '</s>' })).toBe('</s>');
    expect(eosTokenOf({ eos_token: { content: '<|im_end|>', special: true } })).toBe('<|im_end|>');
    expect(eosTokenOf({})).toBeNull();
    expect(chatTemplateOf({ chat_template: QWEN })).toBe(QWEN);
    expect(
      chatTemplateOf({
        chat_template: [
          { name: 'tool_use', template: 'T' },
          { name: 'default', template: 'D' },
        ],
      }),
    ).toBe('D');
    expect(chatTemplateOf({ chat_template: 42 })).toBeNull();
  });

  it("keeps a template's own default system prompt (Qwen's)", () => {
    expect(defaultSystemPrompt(QWEN, 'chatml')).toBe('You are a helpful assistant.');
    expect(defaultSystemPrompt(LLAMA3, 'llama3')).toBeNull();
  });
});

describe.skipIf(missingParts({ 'SmolLM2-135M-Instruct in .cache/models': smolLM2Folder().present }, 'bash scripts/setup-model.sh'))(
  "SmolLM2's real chat template",
  () => {
    const dir = smolLM2Folder().dir;
    const template = readFileSync(join(dir, 'chat_template.jinja'), 'utf8');
    const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));

    it('is ChatML with its SmolLM system prompt, and stops at <|im_end|>', () => {
      const rendered = renderModelfile({
        comment: 'test',
        from: '/m/SmolLM2.gguf',
        adapter: '/a/adapter.gguf',
        chatTemplate: template,
        eosToken: eosTokenOf(config),
      });
      expect(rendered.family).toBe('chatml');
      expect(rendered.stops).toEqual(['<|im_start|>', '<|im_end|>']);
      expect(rendered.system).toBe('You are a helpful AI assistant named SmolLM, trained by Hugging Face');
      expect(rendered.notes).toEqual([]);
      expect(rendered.text).toContain('SYSTEM """You are a helpful AI assistant named SmolLM, trained by Hugging Face"""\n');
    });
  },
);

describe('the Modelfile', () => {
  it('has FROM, ADAPTER, TEMPLATE and one PARAMETER stop per token, in that order', () => {
    const { text } = renderModelfile({
      comment: 'Run r1\nsecond line',
      from: '/models/base',
      adapter: '/runs/r1/adapter',
      chatTemplate: LLAMA3,
      eosToken: '<|eot_id|>',
    });
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual(['# Run r1', '# second line', 'FROM /models/base', 'ADAPTER /runs/r1/adapter']);
    expect(text).toContain(`TEMPLATE """${ollamaTemplate('llama3')}"""\n`);
    expect(lines.filter((l) => l.startsWith('PARAMETER stop'))).toEqual([
      'PARAMETER stop "<|start_header_id|>"',
      'PARAMETER stop "<|end_header_id|>"',
      'PARAMETER stop "<|eot_id|>"',
    ]);
    expect(text).not.toContain('SYSTEM');
  });

  it('a merged model has no ADAPTER; a given system prompt wins over the default; paths with spaces are quoted', () => {
    const { text, system } = renderModelfile({
      comment: 'c',
      from: '/my models/merged',
      adapter: null,
      chatTemplate: QWEN,
      eosToken: '<|im_end|>',
      system: 'Answer as Ada.',
    });
    expect(text).toContain('FROM "/my models/merged"\n');
    expect(text).not.toContain('ADAPTER');
    expect(system).toBe('Answer as Ada.');
  });

  it('an unknown template gets the generic one and a note in the file', () => {
    const rendered = renderModelfile({ comment: 'c', from: '/m', adapter: '/a', chatTemplate: ALPACA, eosToken: '</s>' });
    expect(rendered.family).toBe('unknown');
    expect(rendered.notes[0]).toMatch(/none of ChatML, Llama 3, Mistral, Gemma or Phi-3/);
    expect(rendered.text).toContain(`# NOTE: ${rendered.notes[0]}`);
    expect(rendered.text).toContain('### {{ .Role }}:');
    expect(rendered.stops).toEqual(['### user:', '</s>']);
  });

  it('refuses a path Ollama could not read back', () => {
    expect(() => renderModelfile({ comment: 'c', from: '/m/"quoted"', adapter: null, chatTemplate: null, eosToken: null })).toThrow(/double quote/);
  });
});

describe('names and the create command', () => {
  it('derives a valid model name from a run label', () => {
    expect(defaultOllamaName('Support Bot v2!')).toBe('support-bot-v2');
    expect(defaultOllamaName('20261203-063127-c55eac')).toBe('20261203-063127-c55eac');
    expect(defaultOllamaName('???')).toBe('brightrun-model');
    expect(ollamaNameProblem(defaultOllamaName('Support Bot v2!'))).toBeNull();
  });

  it('accepts namespace/name:tag and refuses spaces and slashes at the ends', () => {
    expect(ollamaNameProblem('me/support-bot:v2')).toBeNull();
    expect(ollamaNameProblem('support bot')).toMatch(/not an Ollama model name/);
    expect(ollamaNameProblem('/x')).not.toBeNull();
  });

  it('quotes the command for a shell', () => {
    expect(ollamaCreateCommand('bot', '/runs/r1/ollama/Modelfile')).toBe('ollama create bot -f /runs/r1/ollama/Modelfile');
    expect(ollamaCreateCommand('bot', "/my runs/it's/Modelfile")).toBe("ollama create bot -f '/my runs/it'\\''s/Modelfile'");
  });
});

describe('the system prompt of the training data', () => {
  const chat = (system: string | null, user = 'hi') =>
    JSON.stringify({
      messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: user }, { role: 'assistant', content: 'ok' }],
    });

  it('is kept when at least 80% of the examples share it (chat, sharegpt and alpaca)', () => {
    const lines = [...Array.from({ length: 8 }, () => chat('You are Lumo.')), chat(null), chat('Other.'), ''];
    expect(commonSystemPrompt(lines)).toBe('You are Lumo.');
    const sharegpt = JSON.stringify({
      conversations: [
        { from: 'system', value: 'Be brief.' },
        { from: 'human', value: 'hi' },
      ],
    });
    expect(commonSystemPrompt([sharegpt, sharegpt])).toBe('Be brief.');
    expect(commonSystemPrompt([JSON.stringify({ instruction: 'x', output: 'y', system: 'Alpaca sys' })])).toBe('Alpaca sys');
  });

  it('is none when the examples disagree, have none, or do not parse', () => {
    expect(commonSystemPrompt([chat('A'), chat('A'), chat('B'), chat(null)])).toBeNull();
    expect(commonSystemPrompt([chat(null)])).toBeNull();
    expect(commonSystemPrompt(['{not json', chat('A')])).toBeNull();
    expect(commonSystemPrompt([])).toBeNull();
  });
});
