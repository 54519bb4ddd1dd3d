// Colours come from the --vscode-* variables VS Code sets on the page, so every theme (light, dark, high
// contrast) works. SVG presentation attributes cannot use var(), so chart colours are resolved to values and
// re-resolved when VS Code switches theme (it changes the body class and the variables on <html>).
import { useEffect, useState } from 'react';

export interface ChartColors {
  foreground: string;
  grid: string;
  series: string[];
  train: string;
  eval: string;
  warning: string;
  error: string;
  font: string;
}

const SERIES_VARS = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
];
// Used only when a variable is absent (a host that sets none): VS Code's own dark-theme chart colours.
const FALLBACK_SERIES = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

export function readChartColors(): ChartColors {
  const style = getComputedStyle(document.documentElement);
  const series = SERIES_VARS.map((name, i) => cssVar(style, name, FALLBACK_SERIES[i]));
  return {
    foreground: cssVar(style, '--vscode-charts-foreground', cssVar(style, '--vscode-foreground', '#cccccc')),
    grid: cssVar(style, '--vscode-charts-lines', cssVar(style, '--vscode-widget-border', '#80808050')),
    series,
    train: series[0],
    eval: series[1],
    warning: cssVar(style, '--vscode-editorWarning-foreground', '#cca700'),
    error: cssVar(style, '--vscode-errorForeground', '#f14c4c'),
    font: cssVar(style, '--vscode-font-family', 'sans-serif'),
  };
}

export function useChartColors(): ChartColors {
  const [colors, setColors] = useState(readChartColors);
  useEffect(() => {
    const observer = new MutationObserver(() => setColors(readChartColors()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  return colors;
}
