// The HTML a panel gets in the preview: the same shape the extension host writes (root div, the panel's CSS as
// the codicon stylesheet, the bundle), with a theme's --vscode-* variables and the fake host in front.
import { THEMES, type ThemeName } from './themes';
import { fakeHostScript, type Scenario } from './fakeHost';

export function panelHtml(scenario: Scenario, theme: ThemeName): string {
  const { bodyClass, vars } = THEMES[theme];
  const style = Object.entries(vars)
    .map(([name, value]) => `${name}: ${value.replace(/"/g, '&quot;')}`)
    .join('; ');
  return `<!doctype html>
<html lang="en" style="${style}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link id="vscode-codicon-stylesheet" rel="stylesheet" href="/dist/webview/${scenario.panel}.css">
<title>${scenario.panel} (${theme})</title>
</head>
<body class="${bodyClass}" data-vscode-theme-kind="${bodyClass}">
<div id="root"></div>
<script>${fakeHostScript(scenario)}</script>
<script src="/dist/webview/${scenario.panel}.js"></script>
</body>
</html>`;
}
