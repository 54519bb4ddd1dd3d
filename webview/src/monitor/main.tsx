// Monitor panel entry (bundled to dist/webview/monitor.js and monitor.css by esbuild.mjs).
// The host page loads monitor.css with <link id="vscode-codicon-stylesheet"> (the web components' icons read
// that id) and monitor.js with a nonce, under a CSP that allows fonts and styles from the webview's cspSource.
import '@vscode/codicons/dist/codicon.css';
import '../common/base.css';
import { createRoot } from 'react-dom/client';
import { vscodeApi } from '../common/vscodeApi';
import { MonitorApp } from './App';
import type { MonitorViewState } from './App';

const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
createRoot(root).render(<MonitorApp api={vscodeApi<MonitorViewState>()} />);
