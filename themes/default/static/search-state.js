// The search page's state and the address that holds it.
//
// A search is `{ q, themes, authority, survey, year, exact }`, and its
// address is this page with them as parameters: `?q=housing
// &theme=housing&theme=education&authority=oldham
// &survey=your-life-beyond-care&year=2021&exact=1`. `exact` asks the client
// to search the words as typed, without correcting typos; it is set by
// "Search instead for ..." and belongs to that query only.
//
// The address is the state: typing replaces the current history entry
// (the first keystroke after a settled search adds one, so Back returns
// to that search); submitting the form, a filter and a link add an entry;
// Back and Forward restore the search.

/** The single-choice filters: URL parameter, client filter, `counts` list. */
export const SINGLE = [
  { param: 'authority', list: 'authorities', legend: 'Local authority', any: 'Any local authority', kind: 'select' },
  { param: 'survey', list: 'surveys', legend: 'Survey', any: 'Any survey', kind: 'radios' },
  { param: 'year', list: 'years', legend: 'Year', any: 'Any year', kind: 'select' },
];

/**
 * The search an address's query string describes. `known(list, value)`
 * says whether a filter value names something on this site: the others
 * are dropped, not searched for.
 */
export function readAddress(search, known) {
  const params = new URLSearchParams(search);
  const state = { q: params.get('q') || '', themes: [], exact: params.get('exact') === '1' };
  for (const theme of params.getAll('theme')) {
    if (known('themes', theme) && state.themes.indexOf(theme) < 0) state.themes.push(theme);
  }
  for (const single of SINGLE) {
    const value = params.get(single.param) || '';
    state[single.param] = known(single.list, value) ? value : '';
  }
  if (!state.q.trim()) state.exact = false;
  return state;
}

/** The address of a search: `pathname` with the state as parameters. */
export function addressOf(state, pathname) {
  const params = new URLSearchParams();
  if (state.q) params.append('q', state.q);
  for (const theme of state.themes) params.append('theme', theme);
  for (const single of SINGLE) {
    if (state[single.param]) params.append(single.param, state[single.param]);
  }
  if (state.exact && state.q.trim()) params.append('exact', '1');
  const query = params.toString();
  return pathname + (query ? `?${query}` : '');
}

/** The same search with no filter. */
export function withoutFilters(state) {
  return { q: state.q, themes: [], authority: '', survey: '', year: '', exact: state.exact };
}

export function filterCount(state) {
  let n = state.themes.length;
  for (const single of SINGLE) if (state[single.param]) n++;
  return n;
}

/** The filters as the client takes them, leaving out the `without` one. */
export function clientFilters(state, without) {
  const filters = { themes: state.themes.slice() };
  for (const single of SINGLE) {
    if (single.param !== without && state[single.param]) filters[single.param] = state[single.param];
  }
  return filters;
}

/** The `counts` list a filter's URL parameter counts in (`theme` → `themes`). */
export function listOf(param) {
  if (param === 'theme') return 'themes';
  for (const single of SINGLE) if (single.param === param) return single.list;
  return param;
}

/**
 * Records `state` in the session history. `mode` is `push` (submit, a
 * filter, a link), `typing` (replaces the entry a run of typing made, or
 * adds one when typing starts after a settled search) or `replace`.
 * `prefix` (whether the last word was searched as a prefix) is kept in the
 * entry, so Back searches it the same way.
 */
export function record(state, mode, prefix) {
  const url = addressOf(state, location.pathname);
  const entry = { practicebank: 1, prefix, typing: mode === 'typing' };
  const current = history.state;
  const here = location.pathname + location.search;
  const replace =
    mode === 'replace' || url === here || (mode === 'typing' && current && current.practicebank && current.typing);
  try {
    if (replace) history.replaceState(entry, '', url);
    else history.pushState(entry, '', url);
  } catch (error) {
    // Some browsers limit how often the history may change: the search
    // still works, the address just lags behind.
  }
}

/** Whether the history entry we are on was a search still being typed. */
export function wasPrefix() {
  const entry = history.state;
  return Boolean(entry && entry.practicebank && entry.prefix);
}
