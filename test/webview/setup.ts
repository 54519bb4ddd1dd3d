// The DOM pieces jsdom lacks and the vscode-elements web components (Lit) or recharts use. Each stub is the
// smallest thing that lets the real component run; none of them fakes behaviour a test asserts on.
// Only applies to tests that run in jsdom (`// @vitest-environment jsdom`).
type Loose = Record<string, unknown>;

if (typeof window !== 'undefined' && typeof HTMLElement !== 'undefined') {
  // Constructable stylesheets: Lit adopts its styles with replaceSync; jsdom cannot apply them anyway.
  const sheet = CSSStyleSheet.prototype as unknown as Loose;
  if (typeof sheet.replaceSync !== 'function') {
    sheet.replaceSync = function replaceSync() {};
    sheet.replace = async function replace(this: CSSStyleSheet) {
      return this;
    };
  }

  // Form-associated custom elements: jsdom's ElementInternals has no validity API. This is the standard's
  // behaviour (HTML, "ElementInternals" validity), so a component that copies its inner <input>'s validity
  // (jsdom's real constraint validation) reports it truthfully; form values are not submitted anywhere here.
  const proto = HTMLElement.prototype as unknown as Loose;
  const attach = proto.attachInternals as ((this: HTMLElement) => Loose) | undefined;
  proto.attachInternals = function attachInternals(this: HTMLElement) {
    const internals: Loose = attach ? attach.call(this) : {};
    if (typeof internals.setValidity !== 'function') addValidity(this, internals);
    if (typeof internals.setFormValue !== 'function') internals.setFormValue = () => {};
    return internals;
  };

  // The select components read their options' labels from innerText, which jsdom does not implement.
  if (!Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'innerText')) {
    Object.defineProperty(HTMLElement.prototype, 'innerText', {
      configurable: true,
      get(this: HTMLElement) {
        return this.textContent ?? '';
      },
      set(this: HTMLElement, value: string) {
        this.textContent = value;
      },
    });
  }

  // The page the extension host writes links the panel's CSS under this id; vscode-icon looks it up (and
  // warns, printing an element jsdom cannot inspect, when it is missing).
  if (document.getElementById('vscode-codicon-stylesheet') === null) {
    const link = document.createElement('link');
    link.id = 'vscode-codicon-stylesheet';
    link.rel = 'stylesheet';
    link.href = 'about:blank';
    document.head.appendChild(link);
  }

  // Layout never happens in jsdom, so nothing is ever resized: an observer that never fires is exact.
  const g = globalThis as unknown as Loose;
  if (typeof g.ResizeObserver === 'undefined') {
    g.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
  }
}

const VALIDITY_FLAGS = [
  'valueMissing',
  'typeMismatch',
  'patternMismatch',
  'tooLong',
  'tooShort',
  'rangeUnderflow',
  'rangeOverflow',
  'stepMismatch',
  'badInput',
  'customError',
] as const;

/** setValidity / validity / validationMessage / checkValidity / reportValidity as the HTML standard defines them. */
function addValidity(host: HTMLElement, internals: Record<string, unknown>): void {
  let flags: Record<string, boolean> = {};
  let message = '';
  const valid = () => !VALIDITY_FLAGS.some((flag) => flags[flag]);
  internals.setValidity = (given: Partial<Record<string, boolean>> = {}, text?: string) => {
    const next = Object.fromEntries(VALIDITY_FLAGS.map((flag) => [flag, Boolean(given[flag])]));
    if (VALIDITY_FLAGS.some((flag) => next[flag]) && !text) throw new TypeError('setValidity: a message is required when a flag is set');
    flags = next;
    message = VALIDITY_FLAGS.some((flag) => next[flag]) ? String(text) : '';
  };
  Object.defineProperty(internals, 'validity', {
    get: () => ({ ...Object.fromEntries(VALIDITY_FLAGS.map((flag) => [flag, Boolean(flags[flag])])), valid: valid() }),
  });
  Object.defineProperty(internals, 'validationMessage', { get: () => message });
  Object.defineProperty(internals, 'willValidate', { get: () => true });
  const check = () => {
    if (valid()) return true;
    host.dispatchEvent(new Event('invalid', { cancelable: true }));
    return false;
  };
  internals.checkValidity = check;
  internals.reportValidity = check;
}
