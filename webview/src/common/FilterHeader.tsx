// A section's header line: what the section shows on the left, a checkbox on the right that narrows it to the
// rows that matter (differing hyper-parameters, differing answers).
import type { ReactNode } from 'react';
import { VscodeCheckbox } from '@vscode-elements/react-elements';

export function FilterHeader(props: {
  title: ReactNode;
  filterLabel: string;
  testId: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  marginBottom: number;
}) {
  return (
    <div className="br-header" style={{ marginBottom: props.marginBottom }}>
      <div className="br-label">{props.title}</div>
      <div className="br-spacer" />
      <VscodeCheckbox
        checked={props.checked}
        label={props.filterLabel}
        data-testid={props.testId}
        onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)}
      />
    </div>
  );
}
