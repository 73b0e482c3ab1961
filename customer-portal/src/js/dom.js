/**
 * The only way the portal builds elements: `h()` sets text with `textContent` / text
 * nodes and attributes with `setAttribute`, so data from a customer or a server is
 * always text, never markup. Nothing in the portal assigns `innerHTML`.
 */

/**
 * Create an element. `props`: `class`, `text` (textContent), `testid` (data-testid),
 * `on<event>` functions, anything else as an attribute (true → empty, null/false → skipped).
 * Children: nodes, or strings/numbers that become text nodes; null/false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'testid') el.setAttribute('data-testid', value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  appendAll(el, children);
  return el;
}

function appendAll(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** The element with this data-testid (inside `root`), or null. */
export function byTestId(id, root = document) {
  return root.querySelector(`[data-testid="${id}"]`);
}

/** Replace an element's children with the given nodes/strings. */
export function fill(el, ...children) {
  el.replaceChildren();
  appendAll(el, children);
}

/**
 * Show a one-line status under a form or in a section: `kind` is info, success or error
 * (styled through `data-kind`); an empty message hides it. An error is an alert (a screen
 * reader reads it at once), anything else a polite status. Fields point at their status
 * line with `aria-describedby`, so the message is also read with the field, never as
 * part of its name.
 */
export function showStatus(el, message, kind = 'info') {
  if (!el) return;
  el.textContent = message ?? '';
  el.setAttribute('data-kind', kind);
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.hidden = !message;
}

/** Mark a field as holding a wrong value (or not): `aria-invalid` for assistive technology. */
export function markInvalid(input, invalid) {
  if (!input) return;
  if (invalid) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Disable a button while a call is in flight, with a label saying so; returns an undo. */
export function busy(button, label) {
  const before = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (label) button.textContent = label;
  return () => {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = before;
  };
}
