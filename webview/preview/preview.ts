// Look at the panels without VS Code: serves the built bundles with a fake host playing recorded runs, and
// takes screenshots of each panel in the dark, light and high-contrast themes into artifacts/screenshots/.
//   npm run build && npm run preview:webviews            screenshots
//   npm run preview:webviews -- --serve                  keep serving; open the printed URLs in a browser
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compactHistory } from '../../src/shared/monitorHistory';
import { launchChromium } from './browser';
import type { Scenario } from './fakeHost';
import { brokenConfig, compareRuns, launchInit, launchTemplates, logTail, monitorSummary, recordedRun, recoveredRun } from './scenarios';
import { spendMessage } from './spendScenario';
import { startPreviewServer } from './server';
import { trackingScenarios } from './trackingScenario';
import type { ThemeName } from './themes';

const root = resolve(import.meta.dirname, '..', '..');

function scenarios(): Record<string, Scenario> {
  const running = recordedRun({ steps: 400, upTo: 236 });
  const finished = recordedRun({ steps: 400 });
  const dpo = recordedRun({ steps: 240, upTo: 170, preference: true, seed: 4 });
  const dpoSummary = monitorSummary(dpo, { runId: 'order-intent-dpo-20260112-0930', name: 'order-intent · DPO · Qwen2.5-1.5B' });
  const dpoLaunch = launchInit();
  const recovered = recoveredRun();
  return {
    monitor: { panel: 'monitor', init: { type: 'init', run: monitorSummary(running), history: compactHistory(running), logTail: logTail(running) } },
    'monitor-done': { panel: 'monitor', init: { type: 'init', run: monitorSummary(finished), history: compactHistory(finished), logTail: logTail(finished) } },
    'monitor-recovered': {
      panel: 'monitor',
      init: {
        type: 'init',
        run: monitorSummary(recovered, { state: 'running', canCancel: true }),
        history: compactHistory(recovered),
        logTail: logTail(recovered),
      },
    },
    'monitor-dpo': { panel: 'monitor', init: { type: 'init', run: dpoSummary, history: compactHistory(dpo), logTail: logTail(dpo) } },
    launch: { panel: 'launch', init: launchInit() },
    'launch-dpo': {
      panel: 'launch',
      init: {
        ...dpoLaunch,
        config: { ...dpoLaunch.config, datasets: { train: 'data/prefs-train.jsonl' }, method: 'dpo', preference: { beta: 0.2, lossType: 'ipo' } },
      },
    },
    'launch-template': {
      panel: 'launch',
      init: { ...launchInit(), config: launchTemplates()[0].config, fromTemplate: launchTemplates()[0].path },
      after: [{ type: 'templates', templates: launchTemplates() }],
    },
    'launch-errors': { panel: 'launch', init: { ...launchInit(), configPath: '/workspace/broken.brightrun.json', config: brokenConfig() } },
    compare: { panel: 'compare', init: { type: 'init', runs: compareRuns() } },
    ...trackingScenarios(),
    spend: { panel: 'spend', init: spendMessage() },
  };
}

async function main() {
  const all = scenarios();
  const built = Object.fromEntries(Object.entries(all).filter(([, s]) => existsSync(join(root, 'dist', 'webview', `${s.panel}.js`))));
  if (Object.keys(built).length === 0) throw new Error('No webview bundles in dist/webview: run `npm run build` first.');
  const { url, server } = await startPreviewServer(root, built);
  if (process.argv.includes('--serve')) {
    for (const name of Object.keys(built)) console.log(`${url}/${name}?theme=dark   (also light, high-contrast)`);
    return;
  }
  const out = join(root, 'artifacts', 'screenshots');
  mkdirSync(out, { recursive: true });
  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    for (const theme of ['dark', 'light', 'high-contrast'] as ThemeName[]) {
      for (const name of Object.keys(built)) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.on('pageerror', (error) => problems.push(`${name}/${theme}: ${error.message}`));
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(`${name}/${theme}: ${message.text()}`);
        });
        await page.goto(`${url}/${name}?theme=${theme}`);
        // Rendered once the host's init has been drawn (charts have paths, forms have fields).
        await page.waitForSelector('[data-ready="true"]', { timeout: 10_000 }).catch(() => problems.push(`${name}/${theme}: never became ready`));
        await page.waitForTimeout(300);
        const file = join(out, `${name}-${theme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(`wrote ${file}`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
