// `brightrun template save RUN [--out FILE] [--name NAME] [--description TEXT] [--force]`: writes a completed run's
// settings as a template, NAME.brightrun.json, with its datasets as variables; `brightrun train FILE --set
// train=...` makes a run from it. By default the file goes beside the run config the run was launched from (its
// relative paths stay right), else into the current folder; an existing file is kept unless --force.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError, type CommandHandler } from './commandArgs';
import { withNamedRun } from './namedRun';
import { templateFileStem, templateFromRun } from '../core/config/templateFromRun';
import { readRunForTemplate, templateFileText, TemplateSourceError, writeTemplateFile } from '../platform/runTemplateFiles';
import { escapeForTerminal as shown } from './terminalText';

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

async function save(name: string | undefined, args: Parameters<CommandHandler>[0]): Promise<number> {
  if (!name) throw new UsageError('name the run to save as a template: its id, a unique prefix of it, or `last`');
  return withNamedRun('template', name, async ({ info }) => {
    let run;
    try {
      run = await readRunForTemplate(info);
    } catch (error) {
      if (!(error instanceof TemplateSourceError)) throw error;
      console.error(`brightrun template: ${shown(error.message)}`);
      return 2;
    }
    const templateName = args.value('name') ?? info.config.name ?? info.id;
    const configDir = info.configFile ? dirname(resolve(info.configFile)) : null;
    const out = args.value('out');
    let path: string;
    if (out !== undefined) path = isFolder(out) ? join(resolve(out), `${templateFileStem(templateName)}.brightrun.json`) : resolve(out);
    else path = join(configDir && isFolder(configDir) ? configDir : process.cwd(), `${templateFileStem(templateName)}.brightrun.json`);
    if (!path.endsWith('.brightrun.json'))
      throw new UsageError(`--out ${out}: a template file is named NAME.brightrun.json (the editor finds it by that ending)`);
    if (!isFolder(dirname(path))) throw new UsageError(`--out ${out}: the folder ${dirname(path)} does not exist`);
    const template = templateFromRun(
      run,
      { configDir: configDir && existsSync(configDir) ? configDir : null, templateDir: dirname(path), projectDir: process.cwd() },
      { name: templateName, description: args.value('description') },
    );
    const written = await writeTemplateFile(path, templateFileText(template), args.flag('force'));
    if (written === 'exists') {
      console.error(`brightrun template: ${shown(path)} exists; nothing was written (--force replaces it, --out names another file)`);
      return 1;
    }
    const variables = Object.keys((template.template as { variables: Record<string, unknown> }).variables);
    console.log(`Template "${shown(templateName)}" of run ${info.id} written to ${shown(path)}`);
    console.log(`Make a run from it with: brightrun train ${shown(path)} ${variables.map((v) => `--set ${v}=...`).join(' ')}`);
    return 0;
  });
}

export const run: CommandHandler = async (args) => {
  const [action, name] = args.positionals;
  if (action === 'save') return save(name, args);
  throw new UsageError(`unknown template action '${action}': use \`brightrun template save RUN\``);
};
