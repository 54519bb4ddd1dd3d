// Spend panel entry (bundled to dist/webview/spend.js and spend.css by esbuild.mjs).
import '@vscode/codicons/dist/codicon.css';
import '../common/base.css';
import './spend.css';
import { createRoot } from 'react-dom/client';
import { vscodeApi } from '../common/vscodeApi';
import { SpendApp } from './App';
import type { SpendPersistedState } from '../../../src/shared/spendProtocol';

const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
createRoot(root).render(<SpendApp api={vscodeApi<SpendPersistedState>()} />);
