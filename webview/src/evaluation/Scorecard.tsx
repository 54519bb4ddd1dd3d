// The numbers of a report: base model against adapter, the better side marked, and the quality gates.
import { betterSide, formatChange, formatScore, gatesSummary, scorecardRows } from '../../../src/shared/evaluationProtocol';
import type { EvalReport } from '../../../src/contracts/evalReport';

export function Scorecard({ report }: { report: EvalReport }) {
  const rows = scorecardRows(report);
  return (
    <section className="br-card" aria-label="Scorecard">
      <div className="br-label">Scorecard</div>
      <table className="br-table br-scorecard" data-testid="scorecard">
        <thead>
          <tr>
            <th />
            <th className="br-num">Base model</th>
            <th className="br-num">Adapter</th>
            <th className="br-num">Change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const better = betterSide(row);
            return (
              <tr key={row.key} data-key={row.key} data-better={better ?? 'none'}>
                <th scope="row">{row.label}</th>
                <td className={`br-num${better === 'base' ? ' br-better' : ''}`}>{formatScore(row.base, row.unit)}</td>
                <td className={`br-num${better === 'adapter' ? ' br-better' : ''}`}>{formatScore(row.adapter, row.unit)}</td>
                <td className={`br-num ${better === 'adapter' ? 'br-ok' : better === 'base' ? 'br-error-text' : 'br-muted'}`}>
                  {formatChange(row)}
                  {better !== null && (
                    <span
                      className={`codicon codicon-${better === 'adapter' ? 'thumbsup' : 'thumbsdown'}`}
                      title={better === 'adapter' ? 'the adapter is better' : 'the base model is better'}
                      aria-label={better === 'adapter' ? 'adapter better' : 'base better'}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function Gates({ report }: { report: EvalReport }) {
  const failed = report.gates.filter((gate) => !gate.passed).length;
  return (
    <section className="br-card" aria-label="Quality gates">
      <div className="br-label">Quality gates</div>
      <div className={`br-gates-summary ${failed ? 'br-error-text' : 'br-ok'}`} data-testid="gates-summary">
        <span className={`codicon codicon-${failed ? 'error' : report.gates.length ? 'pass-filled' : 'info'}`} aria-hidden="true" /> {gatesSummary(report)}
      </div>
      <ul className="br-gates" data-testid="gates">
        {report.gates.map((gate) => (
          <li key={gate.name} data-gate={gate.name} data-passed={gate.passed ? 'true' : 'false'}>
            <span
              className={`codicon codicon-${gate.passed ? 'check' : 'close'} ${gate.passed ? 'br-ok' : 'br-error-text'}`}
              aria-label={gate.passed ? 'passed' : 'failed'}
            />
            <span className="br-mono">{gate.name}</span>
            <span className="br-muted">{gate.detail}</span>
          </li>
        ))}
      </ul>
      {report.gates.length === 0 && <div className="br-muted">Set "gates" in the run config to check thresholds.</div>}
    </section>
  );
}
