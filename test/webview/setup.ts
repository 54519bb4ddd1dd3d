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

  // Form-associated custom elements: jsdom's ElementInternals has no validity API.
  const proto = HTMLElement.prototype as unknown as Loose;
  const attach = proto.attachInternals as ((this: HTMLElement) => Loose) | undefined;
  proto.attachInternals = function attachInternals(this: HTMLElement) {
    const internals: Loose = attach ? attach.call(this) : {};
    for (const name of ['setValidity', 'setFormValue']) if (typeof internals[name] !== 'function') internals[name] = () => {};
    for (const name of ['checkValidity', 'reportValidity']) if (typeof internals[name] !== 'function') internals[name] = () => true;
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
