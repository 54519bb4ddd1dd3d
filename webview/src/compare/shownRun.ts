// One run as Compare shows it: its data, its history for the charts, and the colour and label that tell it apart
// in the charts and the tables alike.
import type { CompareRun } from '../../../src/shared/compareProtocol';
import type { RunHistory } from '../common/runHistory';

export interface ShownRun {
  run: CompareRun;
  history: RunHistory;
  color: string;
  label: string;
}
