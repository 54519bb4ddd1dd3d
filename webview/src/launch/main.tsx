// Launch form entry (bundled to dist/webview/launch.js and launch.css by esbuild.mjs).
import '@vscode/codicons/dist/codicon.css';
import '../common/base.css';
import './launch.css';
import { createRoot } from 'react-dom/client';
import { vscodeApi } from '../common/vscodeApi';
import { LaunchApp } from './App';
import type { LaunchPersistedState } from '../../../src/shared/launchProtocol';

const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
createRoot(root).render(<LaunchApp api={vscodeApi<LaunchPersistedState>()} />);
