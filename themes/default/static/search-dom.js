// The search page's small DOM helpers, shared by its modules. Nodes are
// made one by one, never from HTML strings, so text from the index stays
// text.

export function el(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

export function text(value) {
  return document.createTextNode(value);
}

export function link(href, label) {
  const a = el('a');
  a.href = href;
  a.textContent = label;
  return a;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** The nearest of `node` and its ancestors that matches `selector`. */
export function closest(node, selector) {
  while (node && node.nodeType === 1) {
    if (node.matches(selector)) return node;
    node = node.parentNode;
  }
  return null;
}

/** A click meant for a new tab or window, which links handle themselves. */
export function isModified(event) {
  return event.button > 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
}

export function hasOwn(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** An id from a value (slugs are already safe; anything else is made so). */
export function safeId(value) {
  return String(value).replace(/[^A-Za-z0-9_-]/g, '_');
}
