// Form rows: a label, the control, its one-line explanation and, when the value is wrong, the schema's message
// right under it.
import type { ReactNode } from 'react';
import { VscodeOption, VscodeSingleSelect, VscodeTextfield } from '@vscode-elements/react-elements';

export function Field(props: { id: string; label: string; help?: string; error?: string; children: ReactNode }) {
  return (
    <div className="br-field" data-field={props.id}>
      <label className="br-field-label" htmlFor={`field-${props.id}`}>
        {props.label}
      </label>
      {props.children}
      {props.error !== undefined ? (
        <div className="br-field-error" data-testid={`error-${props.id}`}>
          <span className="codicon codicon-error" aria-hidden="true" /> {props.error}
        </div>
      ) : (
        props.help !== undefined && <div className="br-field-help">{props.help}</div>
      )}
    </div>
  );
}

export function TextInput(props: {
  id: string;
  value: string;
  placeholder?: string;
  invalid?: boolean;
  onChange: (text: string) => void;
  onBlur?: () => void;
}) {
  return (
    <VscodeTextfield
      id={`field-${props.id}`}
      data-testid={`input-${props.id}`}
      value={props.value}
      placeholder={props.placeholder}
      invalid={props.invalid ?? false}
      onInput={(e) => props.onChange((e.target as HTMLInputElement).value)}
      onBlur={props.onBlur}
    />
  );
}

export function Select(props: {
  id: string;
  value: string;
  options: { value: string; label: string; description?: string }[];
  invalid?: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <VscodeSingleSelect
      id={`field-${props.id}`}
      data-testid={`input-${props.id}`}
      value={props.value}
      invalid={props.invalid ?? false}
      onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
    >
      {props.options.map((option) => (
        <VscodeOption key={option.value} value={option.value} description={option.description} selected={option.value === props.value}>
          {option.label}
        </VscodeOption>
      ))}
    </VscodeSingleSelect>
  );
}
