// The search page's words: counts, the page title, the filters in a
// sentence and what the client searched instead of what was typed. Pure
// functions of their arguments (no DOM, no page state), so what the page
// says can be tested without a browser.

/** `1 case study`, `2 case studies`. */
export function caseStudies(n) {
  return `${n} case stud${n === 1 ? 'y' : 'ies'}`;
}

/** `a`, `a and b`, `a, b and c`. */
function joinAnd(items) {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** In curly quotes, as the count line shows a query. */
export function quoted(words) {
  return `\u201c${words}\u201d`;
}

/**
 * The page's <title> for a query, following GOV.UK's search pages:
 * `housing – Search – Practice Bank`, or `Search – Practice Bank` with no
 * query.
 */
export function pageTitle(query, siteTitle) {
  const words = query.trim().replace(/\s+/g, ' ');
  return `${words ? `${words} \u2013 ` : ''}Search \u2013 ${siteTitle}`;
}

/**
 * The filters in words, for a count with no query: `in Housing, from
 * Oldham`. Themes combine with AND, so two or more say so. `labelOf(list,
 * value)` names a value of `themes`, `authorities`, `surveys` or `years`.
 */
export function describeFilters(state, labelOf) {
  const parts = [];
  let themes = state.themes.map((value) => labelOf('themes', value));
  // "in both Education and school and Housing" reads as three themes:
  // labels that hold an "and" are quoted when there are several.
  if (themes.length > 1 && themes.some((label) => /\band\b/.test(label))) {
    themes = themes.map(quoted);
  }
  if (themes.length === 1) parts.push(`in ${themes[0]}`);
  else if (themes.length > 1) parts.push(`in ${themes.length === 2 ? 'both' : 'all of'} ${joinAnd(themes)}`);
  if (state.authority) parts.push(`from ${labelOf('authorities', state.authority)}`);
  if (state.survey) parts.push(`in the ${labelOf('surveys', state.survey)} survey`);
  if (state.year) parts.push(`from ${labelOf('years', state.year)}`);
  return parts.join(', ');
}

/**
 * What the client searched besides the words typed: the `plan` its results
 * carry, `{ corrections: [{ typed, searched }], expansions: [{ typed, with
 * }] }`. A client without typo correction or glossary has no plan, which is
 * the same as an empty one.
 */
export function planOf(results) {
  const plan = (results && results.plan) || {};
  return {
    corrections: Array.isArray(plan.corrections) ? plan.corrections : [],
    expansions: Array.isArray(plan.expansions) ? plan.expansions : [],
  };
}

/**
 * A line of text with some of it emphasised: `[{ text, strong }]`. The
 * page shows it with <strong> and the status region reads it as plain
 * text (`plainText`), so both say the same words.
 */
export function plainText(parts) {
  return parts.map((part) => part.text).join('');
}

/**
 * "Showing results for **safeguarding training**": the query with each
 * corrected word replaced by the words searched instead; null when
 * nothing was corrected.
 */
export function correctionLine(query, corrections) {
  if (!corrections.length) return null;
  const instead = {};
  for (const correction of corrections) {
    instead[String(correction.typed).toLowerCase()] = joinOr(correction.searched || []);
  }
  const words = wordsOf(query.trim()).map((word) =>
    word.core && instead[word.core.toLowerCase()] ? word.before + instead[word.core.toLowerCase()] + word.after : word.whole,
  );
  return [
    { text: 'Showing results for ', strong: false },
    { text: words.join(''), strong: true },
  ];
}

/**
 * "Also searched for **unaccompanied asylum seeking children** and
 * **unaccompanied minors** (for UASC)", one group per expanded word, in
 * the case it was typed in; null when nothing was expanded.
 */
export function expansionLine(query, expansions) {
  const groups = expansions.filter((expansion) => expansion.with && expansion.with.length);
  if (!groups.length) return null;
  const parts = [{ text: 'Also searched for ', strong: false }];
  groups.forEach((expansion, i) => {
    if (i > 0) parts.push({ text: '; ', strong: false });
    expansion.with.forEach((words, j) => {
      if (j > 0) parts.push({ text: j === expansion.with.length - 1 ? ' and ' : ', ', strong: false });
      parts.push({ text: words, strong: true });
    });
    parts.push({ text: ` (for ${asTyped(query, expansion.typed)})`, strong: false });
  });
  return parts;
}

/** `a`, `a or b`, `a, b or c`: the words one typed word was searched as. */
function joinOr(items) {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** `word` as it was written in `query` (`UASC` for `uasc`), or as given. */
function asTyped(query, word) {
  const wanted = String(word).toLowerCase();
  for (const part of wordsOf(query)) {
    if (part.core.toLowerCase() === wanted) return part.core;
  }
  return String(word);
}

/**
 * `query` cut at white space, keeping the spaces: each piece is its word
 * (`core`) with the punctuation `before` and `after` it, so replacing a
 * core keeps the rest of the query as typed. Letters outside ASCII count
 * as word characters; the pattern avoids `\p{L}`, which browsers of 2019
 * do not all know.
 */
function wordsOf(query) {
  return query.split(/(\s+)/).map((whole) => {
    const match = /^([^0-9A-Za-z\u00C0-\uFFFF]*)(.*?)([^0-9A-Za-z\u00C0-\uFFFF]*)$/.exec(whole);
    return { whole, before: match[1], core: match[2], after: match[3] };
  });
}
