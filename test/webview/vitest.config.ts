// Component tests of the React panels, in jsdom. Own config so the panels' needs stay out of the other tiers:
// @lit/react must resolve to its browser build (its "node" build skips event listeners, as for server rendering),
// and jsdom needs a few DOM pieces the vscode-elements web components use (see setup.ts).
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  resolve: {
    alias: [{ find: /^@lit\/react$/, replacement: `${root}node_modules/@lit/react/development/index.js` }],
  },
  test: {
    include: ['test/webview/**/*.test.{ts,tsx}'],
    setupFiles: ['test/webview/setup.ts'],
    // Processed by vite (not loaded by node) so the alias above applies inside these packages too.
    server: { deps: { inline: [/@vscode-elements\/react-elements/, /@lit\/react/] } },
  },
});
