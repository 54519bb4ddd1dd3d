// Every prompt with the base model's and the adapter's answers side by side, the words that differ highlighted,
// the reference when there is one, and each answer's scores.
import { useMemo } from 'react';
import { FilterHeader } from '../common/FilterHeader';
import type { PromptResult } from '../../../src/contracts/evalReport';
import { wordDiff, type DiffPart } from './wordDiff';

function Text({ parts, label }: { parts: DiffPart[]; label: string }) {
  if (parts.length === 0) return <span className="br-muted">(empty answer)</span>;
  return (
    <>
      {parts.map((part, i) =>
        part.kind === 'changed' ? (
          <mark key={i} className={`br-diff-${label}`}>
            {part.text}
          </mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}

function Scores({ scores }: { scores: PromptResult['base_scores'] }) {
  const items = [
    scores.exact_match !== null ? (scores.exact_match ? 'exact match' : 'not exact') : null,
    scores.token_f1 !== null ? `F1 ${(scores.token_f1 * 100).toFixed(0)}%` : null,
    scores.rouge_l !== null ? `ROUGE-L ${(scores.rouge_l * 100).toFixed(0)}%` : null,
    scores.valid_json !== null ? (scores.valid_json ? 'valid JSON' : 'invalid JSON') : null,
    `${scores.length} word${scores.length === 1 ? '' : 's'}`,
  ].filter(Boolean);
  return <div className="br-scores br-muted">{items.join(' · ')}</div>;
}

function Answer({ item, index }: { item: PromptResult; index: number }) {
  const diff = useMemo(() => wordDiff(item.base, item.adapter), [item.base, item.adapter]);
  const same = item.base === item.adapter;
  return (
    <article className="br-card br-answer" data-testid={`answer-${index}`} data-same={same ? 'true' : 'false'}>
      <div className="br-prompt">
        <span className="br-muted">{index + 1}.</span> <span className="br-prompt-text">{item.prompt}</span>
        {same && <span className="br-muted"> · same answer</span>}
      </div>
      {item.system !== null && <div className="br-muted br-system">System: {item.system}</div>}
      {item.reference !== null && (
        <div className="br-reference">
          <span className="br-label">Reference</span>
          <div className="br-answer-text">{item.reference}</div>
        </div>
      )}
      <div className="br-side-by-side">
        <div>
          <span className="br-label">Base model</span>
          <div className="br-answer-text" data-testid="base-answer">
            <Text parts={diff.left} label="base" />
          </div>
          <Scores scores={item.base_scores} />
        </div>
        <div>
          <span className="br-label">Adapter</span>
          <div className="br-answer-text" data-testid="adapter-answer">
            <Text parts={diff.right} label="adapter" />
          </div>
          <Scores scores={item.adapter_scores} />
        </div>
      </div>
    </article>
  );
}

export function Answers(props: { items: PromptResult[]; onlyDifferent: boolean; onOnlyDifferent: (on: boolean) => void; source: string }) {
  const shown = props.items.map((item, index) => ({ item, index })).filter(({ item }) => !props.onlyDifferent || item.base !== item.adapter);
  const different = props.items.filter((item) => item.base !== item.adapter).length;
  return (
    <section aria-label="Answers">
      <FilterHeader
        title={`Answers · ${props.items.length} prompts from ${props.source} · ${different} answered differently`}
        filterLabel="Only different answers"
        testId="only-different"
        checked={props.onlyDifferent}
        onChange={props.onOnlyDifferent}
        marginBottom={6}
      />
      <div className="br-answers">
        {shown.map(({ item, index }) => (
          <Answer key={index} item={item} index={index} />
        ))}
      </div>
    </section>
  );
}
