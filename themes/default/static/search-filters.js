// The search page's filters: built once from the site's vocabulary into
// #search-filters, read into a search's state and set from one, and the
// counts beside each choice. Only the count text ever changes after the
// build, so focus stays where it is.

import { SINGLE, addressOf, filterCount, listOf, withoutFilters } from './search-state.js';
import { clear, el, safeId, text } from './search-dom.js';

/** Where the filters sit beside the results (as in style.css). */
const WIDE = '(min-width: 48.0625em)';

/**
 * Builds the filters into `box` from `vocabulary` (`{ themes,
 * authorities, surveys, years }`, each `[{ value, label, count }]`).
 */
export function buildFilters(box, vocabulary) {
  clear(box);
  const details = el('details', 'search-filters__details');
  const summary = el('summary', 'search-filters__summary');
  const summaryText = el('span', 'search-filters__summary-text');
  summaryText.textContent = 'Filter results';
  summary.appendChild(summaryText);
  summary.appendChild(text(' '));
  summary.appendChild(el('span', 'search-filters__selected'));
  details.appendChild(summary);
  const body = el('div', 'search-filters__body');

  const themes = sortedByLabel(vocabulary.themes || []);
  if (themes.length) {
    const boxes = el('div', 'checkboxes');
    for (const item of themes) boxes.appendChild(choice('checkbox', 'theme', item, `search-theme-${item.value}`));
    body.appendChild(fieldset('Theme', boxes));
  }
  for (const single of SINGLE) {
    const items = single.list === 'years' ? vocabulary.years || [] : sortedByLabel(vocabulary[single.list] || []);
    if (!items.length) continue;
    body.appendChild(single.kind === 'radios' ? radios(single, items) : select(single, items));
  }

  const clearP = el('p', 'search-filters__clear');
  const clearLink = el('a');
  clearLink.setAttribute('data-clear-filters', '');
  clearLink.textContent = 'Clear filters';
  clearP.appendChild(clearLink);
  body.appendChild(clearP);

  details.appendChild(body);
  box.appendChild(details);
  // Open beside the results on wide screens; on phones and tablets
  // folded away above the results (the summary says how many are chosen).
  details.open = Boolean(window.matchMedia && window.matchMedia(WIDE).matches);
}

function fieldset(legendText, content) {
  const set = el('fieldset', 'fieldset search-filters__group');
  const legend = el('legend', 'fieldset__legend');
  legend.textContent = legendText;
  set.appendChild(legend);
  set.appendChild(content);
  return set;
}

function radios(single, items) {
  const group = el('div', 'radios');
  group.appendChild(choice('radio', single.param, { value: '', label: single.any }, `search-${single.param}-any`));
  for (const item of items) group.appendChild(choice('radio', single.param, item, `search-${single.param}-${item.value}`));
  return fieldset(single.legend, group);
}

function select(single, items) {
  const group = el('div', 'search-filters__group');
  const id = `search-${single.param}`;
  const label = el('label', 'label search-filters__label');
  label.htmlFor = id;
  label.textContent = single.legend;
  group.appendChild(label);
  const control = el('select', 'select');
  control.id = id;
  control.name = single.param;
  const any = el('option');
  any.value = '';
  any.textContent = single.any;
  control.appendChild(any);
  for (const item of items) {
    const option = el('option');
    option.value = item.value;
    option.setAttribute('data-label', item.label);
    option.textContent = item.label;
    control.appendChild(option);
  }
  group.appendChild(control);
  return group;
}

/** A checkbox or radio with its label and a place for its count. */
function choice(type, name, item, id) {
  const wrapper = el('div', type === 'checkbox' ? 'checkboxes__item' : 'radios__item');
  const control = el('input', type === 'checkbox' ? 'checkboxes__input' : 'radios__input');
  control.type = type;
  control.name = name;
  control.value = item.value;
  control.id = safeId(id);
  const label = el('label', type === 'checkbox' ? 'checkboxes__label' : 'radios__label');
  label.htmlFor = control.id;
  label.appendChild(text(`${item.label} `));
  if (item.value) {
    const count = el('span', 'search-filters__count');
    count.setAttribute('data-count-for', `${name}:${item.value}`);
    label.appendChild(count);
  }
  wrapper.appendChild(control);
  wrapper.appendChild(label);
  return wrapper;
}

function sortedByLabel(items) {
  return items.slice().sort((a, b) => a.label.localeCompare(b.label, 'en-GB') || (a.value < b.value ? -1 : 1));
}

/** The query in `input` and the filters chosen in `box`, as a state
 *  (without `exact`, which the page keeps: it is not a control). */
export function readForm(input, box) {
  const state = { q: input.value, themes: [] };
  for (const control of box.querySelectorAll('input[name="theme"]')) {
    if (control.checked) state.themes.push(control.value);
  }
  for (const single of SINGLE) {
    state[single.param] = '';
    for (const control of box.querySelectorAll(`[name="${single.param}"]`)) {
      if (control.type !== 'radio' || control.checked) state[single.param] = control.value || '';
    }
  }
  return state;
}

/** Sets the query and the filters to `state`. */
export function writeForm(input, box, state) {
  input.value = state.q;
  for (const control of box.querySelectorAll('input[name="theme"]')) {
    control.checked = state.themes.indexOf(control.value) >= 0;
  }
  for (const single of SINGLE) {
    for (const control of box.querySelectorAll(`[name="${single.param}"]`)) {
      // Radios are checked one by one: a RadioNodeList does not check
      // the radio whose value is empty when given ''.
      if (control.type === 'radio') control.checked = control.value === state[single.param];
      else control.value = state[single.param];
    }
  }
  updateFilterSummary(box, state);
}

/** "(2 selected)" beside the filters' summary, and the clear link. */
export function updateFilterSummary(box, state) {
  const n = filterCount(state);
  const selected = box.querySelector('.search-filters__selected');
  if (selected) selected.textContent = n > 0 ? `(${n} selected)` : '';
  const clearLink = box.querySelector('a[data-clear-filters]');
  if (clearLink) {
    clearLink.href = addressOf(withoutFilters(state), location.pathname);
    clearLink.parentNode.hidden = n === 0;
  }
}

/** Shows how many matches each choice has (`counts[list][value]`); no
 *  counts at all when `counts` is null. */
export function showCounts(box, counts) {
  for (const span of box.querySelectorAll('[data-count-for]')) {
    const key = span.getAttribute('data-count-for');
    const at = key.indexOf(':');
    const list = listOf(key.slice(0, at));
    const value = key.slice(at + 1);
    clear(span);
    if (!counts) {
      span.parentNode.parentNode.classList.remove('search-filters__item--none');
      continue;
    }
    const n = (counts[list] && counts[list][value]) || 0;
    span.appendChild(text(`(${n}`));
    const hidden = el('span', 'visually-hidden');
    hidden.textContent = n === 1 ? ' case study' : ' case studies';
    span.appendChild(hidden);
    span.appendChild(text(')'));
    span.parentNode.parentNode.classList.toggle('search-filters__item--none', n === 0);
  }
  for (const single of SINGLE) {
    const control = box.querySelector(`select[name="${single.param}"]`);
    if (!control) continue;
    for (const option of control.options) {
      if (!option.value) continue;
      const label = option.getAttribute('data-label');
      const n = counts ? (counts[single.list] && counts[single.list][option.value]) || 0 : -1;
      option.textContent = n < 0 ? label : `${label} (${n})`;
    }
  }
}
