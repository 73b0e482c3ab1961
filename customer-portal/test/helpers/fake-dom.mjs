/**
 * Just enough of a DOM for the portal's render helpers, with no browser and no
 * dependency. Writing markup (`innerHTML`, `outerHTML`, `insertAdjacentHTML`) throws, so a
 * helper that tried would fail its test; text is kept as text nodes.
 */

class FakeText {
  constructor(data) {
    this.nodeType = 3;
    this.data = String(data);
  }
  get textContent() {
    return this.data;
  }
}

function forbidMarkup() {
  throw new Error('markup assignment is forbidden in the portal');
}

export class FakeElement {
  constructor(tagName) {
    this.nodeType = 1;
    this.tagName = tagName.toUpperCase();
    this.attributes = new Map();
    this.childNodes = [];
    this.listeners = {};
    this.style = {};
    this.hidden = false;
    this.disabled = false;
  }
  set innerHTML(_) {
    forbidMarkup();
  }
  set outerHTML(_) {
    forbidMarkup();
  }
  insertAdjacentHTML() {
    forbidMarkup();
  }
  get className() {
    return this.attributes.get('class') ?? '';
  }
  set className(v) {
    this.attributes.set('class', String(v));
  }
  get textContent() {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  set textContent(v) {
    this.childNodes = [new FakeText(v ?? '')];
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }
  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  removeAttribute(name) {
    this.attributes.delete(name);
  }
  appendChild(node) {
    if (!(node instanceof FakeElement || node instanceof FakeText)) throw new TypeError('not a node');
    this.childNodes.push(node);
    return node;
  }
  replaceChildren(...nodes) {
    this.childNodes = [];
    for (const n of nodes) this.appendChild(typeof n === 'string' ? new FakeText(n) : n);
  }
  focus() {
    this.focused = true;
  }
  addEventListener(type, fn) {
    (this.listeners[type] ??= []).push(fn);
  }
  get children() {
    return this.childNodes.filter((c) => c instanceof FakeElement);
  }
  /** Every element below this one, depth first. */
  *descendants() {
    for (const c of this.children) {
      yield c;
      yield* c.descendants();
    }
  }
  /** Every text node below this one. */
  *textNodes() {
    for (const c of this.childNodes) {
      if (c instanceof FakeText) yield c;
      else yield* c.textNodes();
    }
  }
  findByTestId(id) {
    return [...this.descendants()].filter((e) => e.getAttribute('data-testid') === id);
  }
}

export const fakeDocument = {
  createElement: (tag) => new FakeElement(tag),
  createTextNode: (data) => new FakeText(data),
};

/** Install the fake document globally (render helpers read `document` when called). */
export function installFakeDom() {
  globalThis.document = fakeDocument;
}

/** A sessionStorage stand-in. */
export function installFakeStorage() {
  const data = new Map();
  globalThis.sessionStorage = {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
    clear: () => data.clear(),
  };
  return globalThis.sessionStorage;
}
