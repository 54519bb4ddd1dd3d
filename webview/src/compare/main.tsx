// Compare panel entry (bundled to dist/webview/compare.js and compare.css by esbuild.mjs).
import '@vscode/codicons/dist/codicon.css';
import '../common/base.css';
import { createRoot } from 'react-dom/client';
import { vscodeApi } from '../common/vscodeApi';
import { CompareApp, type CompareViewState } from './App';

const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
createRoot(root).render(<CompareApp api={vscodeApi<CompareViewState>()} />);
