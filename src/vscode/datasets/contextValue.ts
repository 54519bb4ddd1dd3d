// The `contextValue` of a Datasets view item, which package.json menus match with `viewItem =~ /.../`:
// `dataset:<format>[:errors|:warnings]`, e.g. `dataset:sharegpt:errors`. Every menu for datasets matches
// /^dataset:/ (or /dataset/); "Convert" matches only the formats it can convert.
import type { DatasetStats } from '../../contracts/dataset';

export function datasetContextValue(entry: { stats?: Pick<DatasetStats, 'format' | 'errors' | 'warnings'> }): string {
  const format = entry.stats?.format ?? 'unknown';
  if (entry.stats && entry.stats.errors > 0) return `dataset:${format}:errors`;
  if (entry.stats && entry.stats.warnings > 0) return `dataset:${format}:warnings`;
  return `dataset:${format}`;
}
