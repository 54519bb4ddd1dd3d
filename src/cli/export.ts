// `brightrun export RUN --ollama [--name NAME] [--out DIR] [--merged] [--gguf] [--adapter DIR]`: the adapter of a
// completed run as an Ollama model. Writes an export folder with a Modelfile (and a GGUF adapter or a merged model
// when asked), then runs `ollama create` when Ollama is installed, else prints the command to run.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError, type CommandHandler } from './commandArgs';
import { withNamedRun } from './namedRun';
import { escapeForTerminal as shown } from './terminalText';
import { LOCAL_HOST } from '../core/runs';
import { runLabel } from '../core/runs/runInfo';
import { defaultOllamaName, ollamaNameProblem } from '../core/models/ollamaModelfile';
import { defaultExportDir, exportToOllama, OllamaExportError } from '../platform/ollamaExport';

export const run: CommandHandler = async (args) => {
  if (!args.flag('ollama')) throw new UsageError('choose what to export to: --ollama (the only target so far)');
  const name = args.value('name');
  if (name !== undefined && ollamaNameProblem(name)) throw new UsageError(ollamaNameProblem(name)!);
  const adapterOption = args.value('adapter');
  if (adapterOption !== undefined && !existsSync(resolve(adapterOption, 'adapter_config.json'))) {
    throw new UsageError(`--adapter ${adapterOption} is not an adapter folder (no adapter_config.json)`);
  }
  return withNamedRun('export', args.positionals[0], async ({ info, hosts }) => {
    if (info.state !== 'completed' || !info.adapterPath) {
      console.error(`brightrun export: run ${shown(info.id)} is ${info.state} and has no adapter to export; only completed runs do.`);
      return 2;
    }
    const adapterDir = adapterOption !== undefined ? resolve(adapterOption) : info.host === LOCAL_HOST ? info.adapterPath : null;
    if (!adapterDir) {
      console.error(
        `brightrun export: the adapter of ${shown(info.id)} is on ${shown(info.host)} (${shown(info.adapterPath)}); Ollama needs it on this machine. ` +
          `Download it first (the editor's Download Adapter, or scp -r) and pass the copy: brightrun export ${shown(info.id)} --ollama --adapter DIR`,
      );
      return 2;
    }
    const label = runLabel(info);
    const request = {
      runId: info.id,
      runLabel: label,
      adapterDir,
      baseModel: info.config.baseModel,
      name: name ?? defaultOllamaName(label),
      outDir: resolve(args.value('out') ?? defaultExportDir(adapterDir)),
      mode: args.flag('merged') ? ('merged' as const) : ('adapter' as const),
      gguf: args.flag('gguf'),
      // The training data as the trainer read it, when it is on this machine.
      trainFile: info.host === LOCAL_HOST ? info.config.trainFile : null,
    };
    const session = await hosts.get(LOCAL_HOST);
    const runtime = await session.runtime();
    try {
      const result = await exportToOllama(request, {
        trainerTool: (argv) => session.host.exec([runtime.python, '-m', 'brightrun_trainer', ...argv], { env: runtime.env }),
        env: process.env,
        log: (line) => console.error(shown(line)),
      });
      for (const note of result.notes) console.error(`note: ${shown(note)}`);
      if (result.converter) console.log(`GGUF converter: ${shown(result.converter)}`);
      console.log(`Modelfile: ${shown(result.modelfile)}`);
      if (!result.ollama) {
        console.log('Ollama is not installed here (no `ollama` on PATH). Install it from https://ollama.com, then run:');
        console.log(`  ${shown(result.command)}`);
        return 0;
      }
      if (result.ollama.code !== 0) {
        console.error(`brightrun export: \`ollama create\` failed (exit ${result.ollama.code}); its output is above.`);
        return 1;
      }
      console.log(`Created the Ollama model ${shown(request.name)}. Try it: ollama run ${shown(request.name)}`);
      return 0;
    } catch (error) {
      if (error instanceof OllamaExportError && error.output) console.error(shown(error.output.trim()));
      console.error(`brightrun export: ${shown((error as Error).message)}`);
      return 1;
    }
  });
};
