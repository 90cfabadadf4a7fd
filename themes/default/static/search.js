// practicebank search page: search as you type over the static index that
// `practicebank build` writes under search/, with filters, highlighted
// snippets and the search kept in the address bar. This file is the
// wiring: it loads the client, listens to the page and runs searches; the
// modules beside it hold the rest:
//
//   search-state.js     a search's state and the address that holds it;
//   search-filters.js   the filters: built, read, set, counted;
//   search-results.js   the results column: count, plan, results;
//   search-words.js     what the page says (pure functions);
//   search-announce.js  the status region for screen readers;
//   search-dom.js       small DOM helpers.
//
// Loaded only by the search page, as `<script type="module">`: browsers
// without ES modules never run it and keep the page's guidance (the
// <noscript> block with JavaScript off; with JavaScript on, the stylesheet
// shows #search-fallback after a few seconds unless this script removed
// it). The same holds when one of the modules fails to load, since a
// module graph runs all or nothing. Written for browsers from about 2019:
// no optional chaining, no `??`, no class fields, no dependencies.
//
// The page (themes/default/templates/search.html) gives us, on
// #search-page:
//   data-root        the way from this page to the site root (`../`): the
//                    client's baseUrl, so the site works at any base_url
//                    path;
//   data-client      the search client, search/practicebank-search.js,
//                    relative to this page. It is imported by address
//                    rather than by a static `import`, because this file
//                    is written to assets/ (its name or folder carrying a
//                    hash), and so that a client that fails to load shows
//                    a message instead of leaving a dead page;
//   data-site-title  for the page's <title>, which follows the query.
//
// With no query, filters browse: every case study they allow is listed
// (in the index's doc id order, which is slug order: the client downloads
// no date finer than the year), paged like results and counted in words
// ("3 case studies in Housing"). With no query and no filter, nothing is
// listed and the page says what to do.
//
// Counts beside the filters: the facets file they come from would add
// about a third to what a plain search downloads (20 kB compressed with
// 10,000 case studies), so it is fetched only when needed: when a filter
// is set (from the address or chosen), or when the person reaches for the
// filters (focus, pointer or touch inside them). Until then the filters
// show no counts, rather than counts that would not match the results;
// from then on every count follows the query and the filters (with
// neither: the whole site, from the manifest). Only the count text
// changes: no control is rebuilt, so focus stays where it is, and the
// status region says nothing new.
//
// Typos and the glossary: the client may search other words than those
// typed, and says which in its results' `plan`. The page shows them above
// the results ("Showing results for ...", "Also searched for ...") and
// says them with the count; "Search instead for ..." searches the words as
// typed (`exact`, kept in the address for that query only).

import { createAnnouncer } from './search-announce.js';
import { closest, hasOwn, isModified } from './search-dom.js';
import { buildFilters, readForm, showCounts, updateFilterSummary, writeForm } from './search-filters.js';
import { createResults } from './search-results.js';
import { SINGLE, clientFilters, filterCount, readAddress, record, wasPrefix, withoutFilters } from './search-state.js';
import { caseStudies, pageTitle } from './search-words.js';

const DEBOUNCE_MS = 150;
const PAGE_SIZE = 20;

const root = document.getElementById('search-page');
if (root) start(root);

function start(page) {
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-input');
  const filtersBox = document.getElementById('search-filters');
  const resultsEl = document.getElementById('search-results');
  const fallback = document.getElementById('search-fallback');
  if (fallback) fallback.parentNode.removeChild(fallback);
  const announcer = createAnnouncer(document.getElementById('search-status'));
  const siteRoot = new URL(page.getAttribute('data-root') || './', document.baseURI);
  const clientUrl = new URL(page.getAttribute('data-client') || 'practicebank-search.js', document.baseURI);
  const siteTitle = page.getAttribute('data-site-title');

  /** Value to label, per list. */
  const labels = { themes: {}, authorities: {}, surveys: {}, years: {} };
  const known = (list, value) => hasOwn(labels[list], value);
  const labelOf = (list, value) => (known(list, value) ? labels[list][value] : value);
  const results = createResults({ countEl: document.getElementById('search-count'), resultsEl, siteRoot, labelOf });

  // The query from the address at once, so it shows while the client loads
  // (and if it never does).
  const addressQuery = new URLSearchParams(location.search).get('q') || '';
  input.value = addressQuery;
  showTitle(addressQuery);

  let client = null;
  /** `{ themes, authorities, surveys, years }`, each `[{ value, label, count }]`. */
  let vocabulary = null;
  let seq = 0;
  let typingTimer = 0;
  let limit = PAGE_SIZE;
  /** The query as last submitted (Enter, a link, the address): searched
   *  without prefix matching. Anything else is still being typed. */
  let submitted = null;
  /** The query "Search instead for ..." asked to search as typed, trimmed;
   *  any other query is searched with typo correction. */
  let exactQuery = null;
  /** Whether the filters show counts, which needs the facets file. */
  let counting = false;

  // Let the form submit natively until the client is ready: with the
  // filters not built yet, that reloads this page with the same query.
  loadClient().then(
    () => {
      buildFilters(filtersBox, vocabulary);
      const state = readAddress(location.search, known);
      // Whatever was typed while the client loaded wins over the address.
      const typed = input.value !== addressQuery ? input.value : null;
      restore(state);
      submitted = state.q;
      if (typed !== null) input.value = typed;
      form.addEventListener('submit', onSubmit);
      input.addEventListener('input', onInput);
      filtersBox.addEventListener('change', onFilterChange);
      filtersBox.addEventListener('click', onFiltersClick);
      for (const type of ['focusin', 'mouseover', 'pointerdown', 'touchstart']) {
        filtersBox.addEventListener(type, startCounting, { passive: true });
      }
      resultsEl.addEventListener('click', onResultsClick);
      window.addEventListener('popstate', onPopState);
      if (typed !== null) run({ history: 'typing', announce: 'later' });
      else run({ history: 'replace', announce: 'now' });
    },
    (error) => showError(error),
  );

  async function loadClient() {
    const module = await import(clientUrl.href);
    client = module.createSearch({ baseUrl: siteRoot.href });
    vocabulary = await client.filters();
    for (const list of Object.keys(labels)) {
      for (const item of vocabulary[list] || []) labels[list][item.value] = item.label;
    }
  }

  /** The search the form holds. */
  function current() {
    const state = readForm(input, filtersBox);
    state.exact = exactQuery !== null && state.q.trim() === exactQuery;
    return state;
  }

  /** Sets the form to a search from the address. */
  function restore(state) {
    writeForm(input, filtersBox, state);
    exactQuery = state.exact ? state.q.trim() : null;
  }

  /** The <title>, as GOV.UK's search pages have it. A site whose own
   *  search.html predates `data-site-title` keeps its title as built. */
  function showTitle(query) {
    if (siteTitle) document.title = pageTitle(query, siteTitle);
  }

  // Events ------------------------------------------------------------------

  function onInput() {
    clearTimeout(typingTimer);
    announcer.cancel();
    typingTimer = setTimeout(() => run({ history: 'typing', announce: 'later' }), DEBOUNCE_MS);
  }

  function onSubmit(event) {
    event.preventDefault();
    clearTimeout(typingTimer);
    submitted = input.value;
    run({ history: 'push', announce: 'now' });
  }

  function onFilterChange(event) {
    if (!event.target.name) return;
    clearTimeout(typingTimer);
    updateFilterSummary(filtersBox, current());
    run({ history: 'push', announce: 'now' });
  }

  function onFiltersClick(event) {
    const link = closest(event.target, 'a[data-clear-filters]');
    if (!link || isModified(event)) return;
    event.preventDefault();
    clearFilters();
    const first = filtersBox.querySelector('input, select');
    if (first) first.focus();
  }

  function onResultsClick(event) {
    if (isModified(event)) return;
    // "Did you mean ..." and "Search instead for ..." search the words
    // they carry, whatever has been typed since they were shown.
    const suggestion = closest(event.target, 'a[data-suggestion]');
    const exact = closest(event.target, 'a[data-exact]');
    if (suggestion || exact) {
      event.preventDefault();
      clearTimeout(typingTimer);
      input.value = suggestion ? suggestion.getAttribute('data-suggestion') : exact.getAttribute('data-exact');
      if (exact) exactQuery = input.value.trim();
      submitted = input.value;
      input.focus();
      run({ history: 'push', announce: 'now' });
      return;
    }
    if (closest(event.target, 'a[data-clear-filters]')) {
      event.preventDefault();
      clearFilters();
      input.focus();
      return;
    }
    if (closest(event.target, 'button[data-more]')) {
      const shown = resultsEl.querySelectorAll('.search-result').length;
      limit += PAGE_SIZE;
      run({ history: null, announce: 'now', focusFrom: shown });
    }
  }

  function onPopState() {
    clearTimeout(typingTimer);
    const state = readAddress(location.search, known);
    restore(state);
    submitted = wasPrefix() ? null : state.q;
    run({ history: null, announce: 'now' });
  }

  /** The person reached for the filters: show counts from now on. */
  function startCounting() {
    if (counting) return;
    counting = true;
    refreshCounts();
  }

  function clearFilters() {
    writeForm(input, filtersBox, withoutFilters(current()));
    run({ history: 'push', announce: 'now' });
  }

  // Searching ---------------------------------------------------------------

  /**
   * Searches for what the form holds and shows it. `history`: how to
   * record it (see `record`), or null; `announce`: `now` or `later` (after
   * typing pauses); `focusFrom`: focus the result with this index after.
   */
  async function run({ history: mode, announce, focusFrom = -1 }) {
    const id = ++seq;
    if (focusFrom < 0) limit = PAGE_SIZE;
    const state = current();
    // While typing, the last word also matches as a prefix (`hous` finds
    // housing): a departure from tantivy, whose query parser matches whole
    // terms only. A submitted query is searched exactly as tantivy would.
    const prefix = state.q !== submitted;
    if (mode) record(state, mode, prefix);
    updateFilterSummary(filtersBox, state);
    announcer.cancel();
    if (filterCount(state) > 0) counting = true;

    if (!state.q.trim() && filterCount(state) === 0) {
      showCounts(filtersBox, counting ? vocabularyCounts() : null);
      showTitle('');
      announcer.say(results.showEmpty(), 'now');
      return;
    }
    let outcome;
    try {
      outcome = await searchAll(state, prefix);
    } catch (error) {
      if (id === seq) showError(error);
      return;
    }
    if (id !== seq) return;
    // Counting may have started while this search ran without counts.
    if (outcome.counts || !counting) showCounts(filtersBox, outcome.counts);
    else refreshCounts();
    showTitle(state.q);
    let message = results.showResults(state, outcome);
    if (focusFrom >= 0) message = `${outcome.results.length} of ${caseStudies(outcome.results.total)} shown`;
    announcer.say(message, announce);
    if (focusFrom >= 0) {
      const links = resultsEl.querySelectorAll('.search-result__link');
      const target = links[Math.min(focusFrom, links.length - 1)];
      if (target) target.focus();
    }
  }

  /** The client's options for a search of `state`, with `filters`. */
  function options(state, prefix, filters, more) {
    return Object.assign({ filters, prefix, exact: state.exact, browse: !state.q.trim() }, more);
  }

  /** The results, the counts for each filter (null when not counting)
   *  and, when nothing matched, what might help. */
  async function searchAll(state, prefix) {
    const withCounts = counting;
    const found = await client.search(state.q, options(state, prefix, clientFilters(state, null), { limit, counts: withCounts }));
    const counts = withCounts ? await countsOf(state, prefix, found) : null;
    let unfiltered = 0;
    let suggestion = null;
    // Browsing, there are no words to drop filters from or to correct.
    if (found.total === 0 && state.q.trim()) {
      if (filterCount(state) > 0) unfiltered = (await client.search(state.q, options(state, prefix, {}, { limit: 0 }))).total;
      if (unfiltered === 0) suggestion = await client.suggest(state.q);
    }
    return { results: found, counts, unfiltered, suggestion };
  }

  /**
   * The counts for each filter: for a theme, among the current matches
   * (themes combine with AND); for a single-choice filter that is set,
   * among the matches without it, so the other choices show what they
   * give. `found`: the current search, if it was made with counts. With
   * no query the matches are what the filters allow, and with no query
   * and no filter, the whole site.
   */
  async function countsOf(state, prefix, found) {
    const browse = !state.q.trim();
    const counted = (without) =>
      client.search(state.q, options(state, prefix, clientFilters(state, without), { limit: 0, counts: true }));
    const matches = found || (await counted(null));
    const counts = {};
    for (const list of Object.keys(labels)) counts[list] = matches.counts[list] || {};
    for (const single of SINGLE) {
      if (!state[single.param]) continue;
      const without = Object.assign({}, state);
      without[single.param] = '';
      if (browse && filterCount(without) === 0) {
        counts[single.list] = vocabularyCounts()[single.list];
        continue;
      }
      counts[single.list] = (await counted(single.param)).counts[single.list] || {};
    }
    return counts;
  }

  /** Shows counts for what the form holds, leaving the results as they
   *  are (a search started since takes over). */
  async function refreshCounts() {
    const id = seq;
    const state = current();
    if (!state.q.trim() && filterCount(state) === 0) {
      showCounts(filtersBox, vocabularyCounts());
      return;
    }
    let counts;
    try {
      counts = await countsOf(state, state.q !== submitted, null);
    } catch (error) {
      // The counts are extra: the next search reports what went wrong.
      return;
    }
    if (id === seq) showCounts(filtersBox, counts);
  }

  /** Site-wide counts, for when there is no query and no filter. */
  function vocabularyCounts() {
    const counts = {};
    for (const list of Object.keys(labels)) {
      counts[list] = {};
      for (const item of vocabulary[list] || []) counts[list][item.value] = item.count;
    }
    return counts;
  }

  function showError(error) {
    if (error && typeof console !== 'undefined') console.warn('practicebank search:', error);
    announcer.say(results.showError(), 'now');
  }
}
