// Where the first render of a long history spends its time: a CPU profile of the page (CDP Profiler) around one
// init message, summed by function (self time), with marks taken from outside the product: the message posted
// (postMessage returned: the structured clone's serialisation), its arrival (a capturing listener, which runs before
// the panel's), the loss line drawn and every chart drawn (MutationObserver). The bundle is built unminified (React
// still in its production build) so the functions keep their names. Not a benchmark: see run.ts for the figures.
//   npx tsx bench/monitor/profile.ts [--steps 100000] [--top 30]
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildMonitorBundle } from './bundle';
import { compactHistory } from '../../src/shared/monitorHistory';
import { launchChromium } from '../../webview/preview/browser';
import { monitorSummary, recordedRun } from '../../webview/preview/scenarios';
import { startPreviewServer } from '../../webview/preview/server';

const root = resolve(import.meta.dirname, '..', '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const STEPS = arg('steps', 100_000);
const TOP = arg('top', 30);
/** Renders before the profiled one (warm-up, and the marks' spread). */
const RENDERS = arg('renders', 4);
/** Points a drawn line has at least (fewer for a short history). */
const POINTS = Math.min(300, STEPS);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** In the page: posts the init message kept in window.benchInit; resolves with the marks, in ms from the post. */
const RENDER = `(points) => new Promise((resolve) => {
  const marks = {};
  const t0 = performance.now();
  const count = (s) => ((s && s.querySelector('path.recharts-line-curve') && s.querySelector('path.recharts-line-curve').getAttribute('d')) || '').split(/[ML]/).length - 1;
  window.addEventListener('message', () => (marks.arrived = performance.now() - t0), { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (marks.loss === undefined && count(document.querySelector('section[aria-label="Loss"]')) >= points) {
      marks.loss = performance.now() - t0;
      // The frame that paints it.
      requestAnimationFrame(() => setTimeout(() => (marks.painted = performance.now() - t0), 0));
    }
    const sections = [...document.querySelectorAll('section.br-chart')];
    if (sections.length >= 6 && sections.every((s) => count(s) >= points)) {
      marks.all = performance.now() - t0;
      observer.disconnect();
      resolve(marks);
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  window.postMessage(window.benchInit, '*');
  marks.posted = performance.now() - t0;
})`;

function selfTimes(profile: Profile): [string, number][] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return [...self.entries()].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
}

async function main() {
  const outdir = await buildMonitorBundle(root, { minify: false });
  const empty = recordedRun({ steps: 10, upTo: 0 });
  const scenarios = {
    'bench-empty': {
      panel: 'monitor' as const,
      init: { type: 'init', run: monitorSummary(empty, { runId: 'bench' }), history: compactHistory([]), logTail: [] },
    },
  };
  const { url, server } = await startPreviewServer(root, scenarios, outdir);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const long = recordedRun({ steps: STEPS, gpu: true, secondsPerStep: 0.5 }).filter((e) => e.type !== 'done');
  const init = { type: 'init', run: monitorSummary(long), history: compactHistory(long), logTail: [] };
  const cdp = await page.context().newCDPSession(page);
  try {
    const all: Record<string, number>[] = [];
    for (let round = 0; round <= RENDERS; round++) {
      await page.goto(`${url}/bench-empty?theme=dark`);
      await page.waitForSelector('[data-ready="true"]');
      // Handed to the page first, so the profile holds the product's work only.
      await page.evaluate((message) => ((window as unknown as { benchInit: unknown }).benchInit = message), init);
      const profiled = round === RENDERS;
      if (profiled) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      const marks = (await page.evaluate(`(${RENDER})(${POINTS})`)) as Record<string, number>;
      // Let the paint mark land.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
      console.log(
        `render ${round + 1}: ${Object.entries(marks)
          .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
          .join(', ')}`,
      );
      if (round > 0) all.push(marks);
      if (profiled) {
        const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
        const rows = selfTimes(profile);
        console.log(`busy ${rows.reduce((sum, [, v]) => sum + v, 0).toFixed(0)} ms in the profile; self time by function:`);
        for (const [k, v] of rows.slice(0, TOP)) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
      }
    }
    // The least of each mark: the render with the least interference from other work on the machine.
    const least = (k: string) => Math.min(...all.map((m) => m[k] ?? Infinity)).toFixed(0);
    console.log(`least over renders 2-${RENDERS + 1}: ${['posted', 'arrived', 'loss', 'painted', 'all'].map((k) => `${k} ${least(k)} ms`).join(', ')}`);
  } finally {
    await browser.close();
    server.close();
    await rm(outdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
