// Where automatic recovery restarted the run, as markers on the loss chart: a line at the step each attempt resumed
// from (its checkpoint), labelled with the attempt and why it was needed.
import type { RecoveryReason } from '../../../src/contracts/events';
import type { ChartMarker } from '../common/MetricChart';
import type { RunHistory } from '../common/runHistory';

const REASON_WORDS: Record<RecoveryReason, string> = {
  oom: 'out of memory',
  killed: 'trainer killed',
  host_lost: 'host lost',
};

export function attemptMarkers(history: RunHistory): ChartMarker[] {
  return history.attempts.map((a) => ({ x: a.from_step, label: `attempt ${a.number}: ${REASON_WORDS[a.reason]}` }));
}
