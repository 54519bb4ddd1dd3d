// @vitest-environment jsdom
// Form validity in this tier is real: a vscode-elements text field reports its inner <input>'s constraint
// validation (jsdom's own) through ElementInternals, whose validity API setup.ts implements as the HTML standard
// says instead of answering "valid" whatever the value. The launch form's own rules are validateForm
// (configEdit.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { VscodeTextfield } from '@vscode-elements/react-elements';

afterEach(cleanup);

type Field = HTMLElement & {
  value: string;
  checkValidity(): boolean;
  reportValidity(): boolean;
  validity: ValidityState;
  validationMessage: string;
  updateComplete: Promise<boolean>;
};

async function field(props: Record<string, unknown>): Promise<Field> {
  const { container } = render(<VscodeTextfield data-testid="field" {...props} />);
  const element = container.querySelector('vscode-textfield') as Field;
  await act(async () => {
    await element.updateComplete;
  });
  return element;
}

function typeInto(element: Field, text: string): void {
  const input = element.shadowRoot!.querySelector('input')!;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

describe('text field validity', () => {
  it('a required empty field is invalid, and valid once filled', async () => {
    const element = await field({ required: true });
    let invalidEvents = 0;
    element.addEventListener('invalid', () => invalidEvents++);
    expect(element.checkValidity()).toBe(false);
    expect(element.validity.valueMissing).toBe(true);
    expect(element.validationMessage).not.toBe('');
    expect(invalidEvents).toBe(1);

    typeInto(element, 'HuggingFaceTB/SmolLM2-135M');
    expect(element.checkValidity()).toBe(true);
    expect(element.validity.valid).toBe(true);
    expect(element.validationMessage).toBe('');
  });

  it('follows the pattern constraint', async () => {
    const element = await field({ pattern: '[a-z]+/[a-z]+' });
    typeInto(element, 'not a model id');
    expect(element.checkValidity()).toBe(false);
    expect(element.validity.patternMismatch).toBe(true);
    typeInto(element, 'org/model');
    expect(element.checkValidity()).toBe(true);
  });

  it('an optional empty field is valid', async () => {
    const element = await field({});
    expect(element.checkValidity()).toBe(true);
  });
});
