// Evaluation panel entry (bundled to dist/webview/evaluation.js and evaluation.css by esbuild.mjs).
import '@vscode/codicons/dist/codicon.css';
import '../common/base.css';
import './evaluation.css';
import { createRoot } from 'react-dom/client';
import { vscodeApi } from '../common/vscodeApi';
import { EvaluationApp } from './App';
import type { EvaluationPersistedState } from '../../../src/shared/evaluationProtocol';

const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
createRoot(root).render(<EvaluationApp api={vscodeApi<EvaluationPersistedState>()} />);
