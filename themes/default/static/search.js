// practicebank search page: search as you type over the static index that
// `practicebank build` writes under search/, with filters, highlighted
// snippets and the search kept in the address bar.
//
// Loaded only by the search page, as `<script type="module">`: browsers
// without ES modules never run it and keep the page's guidance (the
// <noscript> block with JavaScript off; with JavaScript on, the stylesheet
// shows #search-fallback after a few seconds unless this script removed it).
// Written for browsers from about 2019: no optional chaining, no `??`, no
// class fields, no dependencies.
//
// The page (themes/default/templates/search.html) gives us, on
// #search-page:
//   data-root    the way from this page to the site root (`../`): the
//                client's baseUrl, so the site works at any base_url path;
//   data-client  the search client, search/practicebank-search.js, relative
//                to this page. It is imported by address rather than by a
//                static `import`, because this file is written to assets/
//                under a hashed name, and so that a client that fails to
//                load shows a message instead of leaving a dead page.
//
// The address is the state: `?q=housing&theme=housing&theme=education
// &authority=oldham&survey=your-life-beyond-care&year=2021`. Typing
// replaces the current history entry (the first keystroke after a settled
// search adds one, so Back returns to that search); submitting the form
// and changing a filter add an entry; Back and Forward restore the search.
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

const DEBOUNCE_MS = 150;
/** How long typing must pause before the status region speaks. */
const ANNOUNCE_MS = 1000;
const PAGE_SIZE = 20;
/** Where the filters sit beside the results (as in style.css). */
const WIDE = '(min-width: 48.0625em)';
/** The single-choice filters: URL parameter, client filter, `counts` list. */
const SINGLE = [
  { param: 'authority', list: 'authorities', legend: 'Local authority', any: 'Any local authority', kind: 'select' },
  { param: 'survey', list: 'surveys', legend: 'Survey', any: 'Any survey', kind: 'radios' },
  { param: 'year', list: 'years', legend: 'Year', any: 'Any year', kind: 'select' },
];

const root = document.getElementById('search-page');
if (root) start(root);

function start(page) {
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-input');
  const filtersBox = document.getElementById('search-filters');
  const countEl = document.getElementById('search-count');
  const statusEl = document.getElementById('search-status');
  const resultsEl = document.getElementById('search-results');
  const fallback = document.getElementById('search-fallback');
  if (fallback) fallback.parentNode.removeChild(fallback);

  // The query from the address at once, so it shows while the client loads
  // (and if it never does).
  const addressQuery = new URLSearchParams(location.search).get('q') || '';
  input.value = addressQuery;

  const siteRoot = new URL(page.getAttribute('data-root') || './', document.baseURI);
  const clientUrl = new URL(page.getAttribute('data-client') || 'practicebank-search.js', document.baseURI);

  let client = null;
  /** `{ themes, authorities, surveys, years }`, each `[{ value, label, count }]`. */
  let vocabulary = null;
  /** Value to label, per list. */
  const labels = { themes: {}, authorities: {}, surveys: {}, years: {} };
  let seq = 0;
  let typingTimer = 0;
  let announceTimer = 0;
  let limit = PAGE_SIZE;
  /** The query as last submitted (Enter, a link, the address): searched
   *  without prefix matching. Anything else is still being typed. */
  let submitted = null;
  let lastAnnounced = '';
  /** Whether the filters show counts, which needs the facets file. */
  let counting = false;

  // Let the form submit natively until the client is ready: with the
  // filters not built yet, that reloads this page with the same query.
  loadClient().then(
    () => {
      buildFilters();
      const state = readAddress();
      // Whatever was typed while the client loaded wins over the address.
      const typed = input.value !== addressQuery ? input.value : null;
      writeForm(state);
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
    (error) => {
      showError(error);
    },
  );

  async function loadClient() {
    const module = await import(clientUrl.href);
    client = module.createSearch({ baseUrl: siteRoot.href });
    vocabulary = await client.filters();
    for (const list of Object.keys(labels)) {
      for (const item of vocabulary[list] || []) labels[list][item.value] = item.label;
    }
  }

  // State -------------------------------------------------------------------

  /** The search the address describes; unknown filter values are dropped. */
  function readAddress() {
    const params = new URLSearchParams(location.search);
    const state = { q: params.get('q') || '', themes: [] };
    for (const theme of params.getAll('theme')) {
      if (hasOwn(labels.themes, theme) && state.themes.indexOf(theme) < 0) state.themes.push(theme);
    }
    for (const single of SINGLE) {
      const value = params.get(single.param) || '';
      state[single.param] = hasOwn(labels[single.list], value) ? value : '';
    }
    return state;
  }

  function readForm() {
    const state = { q: input.value, themes: [] };
    for (const box of filtersBox.querySelectorAll('input[name="theme"]')) {
      if (box.checked) state.themes.push(box.value);
    }
    for (const single of SINGLE) {
      state[single.param] = '';
      for (const control of filtersBox.querySelectorAll(`[name="${single.param}"]`)) {
        if (control.type !== 'radio' || control.checked) state[single.param] = control.value || '';
      }
    }
    return state;
  }

  function writeForm(state) {
    input.value = state.q;
    for (const box of filtersBox.querySelectorAll('input[name="theme"]')) {
      box.checked = state.themes.indexOf(box.value) >= 0;
    }
    for (const single of SINGLE) {
      for (const control of filtersBox.querySelectorAll(`[name="${single.param}"]`)) {
        // Radios are checked one by one: a RadioNodeList does not check
        // the radio whose value is empty when given ''.
        if (control.type === 'radio') control.checked = control.value === state[single.param];
        else control.value = state[single.param];
      }
    }
    updateFilterSummary(state);
  }

  /** The address of a search: this page with the state as parameters. */
  function addressOf(state) {
    const params = new URLSearchParams();
    if (state.q) params.append('q', state.q);
    for (const theme of state.themes) params.append('theme', theme);
    for (const single of SINGLE) {
      if (state[single.param]) params.append(single.param, state[single.param]);
    }
    const query = params.toString();
    return location.pathname + (query ? `?${query}` : '');
  }

  function filterCount(state) {
    let n = state.themes.length;
    for (const single of SINGLE) if (state[single.param]) n++;
    return n;
  }

  function clientFilters(state, without) {
    const filters = { themes: state.themes.slice() };
    for (const single of SINGLE) {
      if (single.param !== without && state[single.param]) filters[single.param] = state[single.param];
    }
    return filters;
  }

  /**
   * Records `state` in the session history. `mode` is `push` (submit, a
   * filter, a link), `typing` (replaces the entry a run of typing made,
   * or adds one when typing starts after a settled search) or `replace`.
   */
  function record(state, mode, prefix) {
    const url = addressOf(state);
    const entry = { practicebank: 1, prefix, typing: mode === 'typing' };
    const current = history.state;
    const here = location.pathname + location.search;
    const replace =
      mode === 'replace' ||
      url === here ||
      (mode === 'typing' && current && current.practicebank && current.typing);
    try {
      if (replace) history.replaceState(entry, '', url);
      else history.pushState(entry, '', url);
    } catch (error) {
      // Some browsers limit how often the history may change: the search
      // still works, the address just lags behind.
    }
  }

  // Events ------------------------------------------------------------------

  function onInput() {
    clearTimeout(typingTimer);
    clearTimeout(announceTimer);
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
    updateFilterSummary(readForm());
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
    const suggestion = closest(event.target, 'a[data-suggestion]');
    if (suggestion) {
      event.preventDefault();
      input.value = suggestion.getAttribute('data-suggestion');
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
    const more = closest(event.target, 'button[data-more]');
    if (more) {
      const shown = resultsEl.querySelectorAll('.search-result').length;
      limit += PAGE_SIZE;
      run({ history: null, announce: 'now', focusFrom: shown });
    }
  }

  function onPopState() {
    clearTimeout(typingTimer);
    const state = readAddress();
    writeForm(state);
    const entry = history.state;
    submitted = entry && entry.practicebank && entry.prefix ? null : state.q;
    run({ history: null, announce: 'now' });
  }

  /** The person reached for the filters: show counts from now on. */
  function startCounting() {
    if (counting) return;
    counting = true;
    refreshCounts();
  }

  function clearFilters() {
    const state = readForm();
    state.themes = [];
    for (const single of SINGLE) state[single.param] = '';
    writeForm(state);
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
    const state = readForm();
    // While typing, the last word also matches as a prefix (`hous` finds
    // housing): a departure from tantivy, whose query parser matches whole
    // terms only. A submitted query is searched exactly as tantivy would.
    const prefix = state.q !== submitted;
    if (mode) record(state, mode, prefix);
    updateFilterSummary(state);
    clearTimeout(announceTimer);
    if (filterCount(state) > 0) counting = true;

    if (!state.q.trim() && filterCount(state) === 0) {
      showCounts(counting ? vocabularyCounts() : null);
      showEmpty();
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
    if (outcome.counts || !counting) showCounts(outcome.counts);
    else refreshCounts();
    let message = showResults(state, outcome);
    if (focusFrom >= 0) message = `${outcome.results.length} of ${caseStudies(outcome.results.total)} shown`;
    say(message, announce);
    if (focusFrom >= 0) {
      const links = resultsEl.querySelectorAll('.search-result__link');
      const target = links[Math.min(focusFrom, links.length - 1)];
      if (target) target.focus();
    }
  }

  /** The results, the counts for each filter (null when not counting)
   *  and, when nothing matched, what might help. */
  async function searchAll(state, prefix) {
    const filters = clientFilters(state, null);
    const withCounts = counting;
    const browse = !state.q.trim();
    const results = await client.search(state.q, { filters, limit, prefix, counts: withCounts, browse });
    const counts = withCounts ? await countsOf(state, prefix, results) : null;
    let unfiltered = 0;
    let suggestion = null;
    // Browsing, there are no words to drop filters from or to correct.
    if (results.total === 0 && !browse) {
      if (filterCount(state) > 0) unfiltered = (await client.search(state.q, { limit: 0, prefix })).total;
      if (unfiltered === 0) suggestion = await client.suggest(state.q);
    }
    return { results, counts, unfiltered, suggestion };
  }

  /**
   * The counts for each filter: for a theme, among the current matches
   * (themes combine with AND); for a single-choice filter that is set,
   * among the matches without it, so the other choices show what they
   * give. `results`: the current search, if it was made with counts.
   * With no query the matches are what the filters allow, and with no
   * query and no filter, the whole site.
   */
  async function countsOf(state, prefix, results) {
    const browse = !state.q.trim();
    const current =
      results || (await client.search(state.q, { filters: clientFilters(state, null), limit: 0, prefix, counts: true, browse }));
    const counts = {};
    for (const list of Object.keys(labels)) counts[list] = current.counts[list] || {};
    for (const single of SINGLE) {
      if (!state[single.param]) continue;
      const without = Object.assign({}, state);
      without[single.param] = '';
      if (browse && filterCount(without) === 0) {
        counts[single.list] = vocabularyCounts()[single.list];
        continue;
      }
      const others = await client.search(state.q, { filters: clientFilters(state, single.param), limit: 0, prefix, counts: true, browse });
      counts[single.list] = others.counts[single.list] || {};
    }
    return counts;
  }

  /** Shows counts for what the form holds, leaving the results as they
   *  are (a search started since takes over). */
  async function refreshCounts() {
    const id = seq;
    const state = readForm();
    if (!state.q.trim() && filterCount(state) === 0) {
      showCounts(vocabularyCounts());
      return;
    }
    let counts;
    try {
      counts = await countsOf(state, state.q !== submitted, null);
    } catch (error) {
      // The counts are extra: the next search reports what went wrong.
      return;
    }
    if (id === seq) showCounts(counts);
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

  // Showing -----------------------------------------------------------------

  /** No query and no filter: what to do, and nothing announced. */
  function showEmpty() {
    countEl.textContent = '';
    say('', 'now');
    clear(resultsEl);
    const p = el('p', 'search-message');
    p.textContent = 'Enter a word or two to search the case studies, for example housing or school.';
    resultsEl.appendChild(p);
  }

  /** Shows an outcome; returns the sentence for the status region. */
  function showResults(state, { results, unfiltered, suggestion }) {
    const total = results.total;
    const filters = filterCount(state);
    const query = state.q.trim();
    let sentence = total === 0 ? 'No case studies' : caseStudies(total);
    if (!query) sentence += ` ${describeFilters(state)}`;
    else sentence += ` found for \u201c${query}\u201d`;
    if (query && filters > 0) sentence += `, with ${filters} filter${filters === 1 ? '' : 's'}`;
    countEl.textContent = sentence;
    clear(resultsEl);

    if (total === 0) {
      const box = el('div', 'search-message');
      if (!query) {
        const p = el('p');
        p.appendChild(text('No case study has all of these. '));
        p.appendChild(clearFiltersLink(state));
        box.appendChild(p);
        box.appendChild(browseInstead('Choose fewer filters, or browse case studies by '));
        resultsEl.appendChild(box);
        return `${sentence}.`;
      }
      if (unfiltered > 0) {
        const p = el('p');
        p.appendChild(text(`${caseStudies(unfiltered)} match without the filters. `));
        p.appendChild(clearFiltersLink(state));
        box.appendChild(p);
        sentence += `. ${caseStudies(unfiltered)} match without the filters.`;
      } else if (suggestion) {
        const p = el('p', 'search-suggestion');
        p.appendChild(text('Did you mean '));
        const a = el('a');
        a.href = addressOf(Object.assign({}, state, { q: suggestion }));
        a.setAttribute('data-suggestion', suggestion);
        a.textContent = suggestion;
        p.appendChild(a);
        p.appendChild(text('?'));
        box.appendChild(p);
        sentence += `. Did you mean ${suggestion}?`;
      }
      box.appendChild(browseInstead('Check the spelling, try fewer or more general words, or browse case studies by '));
      resultsEl.appendChild(box);
      return sentence;
    }

    const list = el('ol', 'search-results__list');
    for (const result of results) list.appendChild(resultItem(result));
    resultsEl.appendChild(list);
    if (results.length < total) {
      const more = el('button', 'button button--secondary search-results__more');
      more.type = 'button';
      more.setAttribute('data-more', '');
      more.textContent = `Show more case studies (${results.length} of ${total} shown)`;
      resultsEl.appendChild(more);
    }
    return sentence;
  }

  /** The filters in words, for a count with no query: `in Housing, from
   *  Oldham`. Themes combine with AND, so two or more say so. */
  function describeFilters(state) {
    const parts = [];
    let themes = state.themes.map((value) => labelOf('themes', value));
    // "in both Education and school and Housing" reads as three themes:
    // labels that hold an "and" are quoted when there are several.
    if (themes.length > 1 && themes.some((label) => /\band\b/.test(label))) {
      themes = themes.map((label) => `\u201c${label}\u201d`);
    }
    if (themes.length === 1) parts.push(`in ${themes[0]}`);
    else if (themes.length > 1) parts.push(`in ${themes.length === 2 ? 'both' : 'all of'} ${joinAnd(themes)}`);
    if (state.authority) parts.push(`from ${labelOf('authorities', state.authority)}`);
    if (state.survey) parts.push(`in the ${labelOf('surveys', state.survey)} survey`);
    if (state.year) parts.push(`from ${labelOf('years', state.year)}`);
    return parts.join(', ');
  }

  function labelOf(list, value) {
    return hasOwn(labels[list], value) ? labels[list][value] : value;
  }

  /** "Clear the filters", keeping the query. */
  function clearFiltersLink(state) {
    const a = el('a');
    a.href = addressOf({ q: state.q, themes: [], authority: '', survey: '', year: '' });
    a.setAttribute('data-clear-filters', '');
    a.textContent = 'Clear the filters';
    return a;
  }

  function resultItem(result) {
    const item = el('li', 'search-result');
    const heading = el('h3', 'search-result__title');
    const href = safeHref(result.url);
    if (href) {
      const a = el('a', 'search-result__link');
      a.href = href;
      a.textContent = result.title;
      heading.appendChild(a);
    } else {
      heading.textContent = result.title;
    }
    item.appendChild(heading);
    if (result.authority) {
      const meta = el('p', 'search-result__meta');
      meta.textContent = result.authority;
      item.appendChild(meta);
    }
    const snippet = el('p', 'search-result__snippet');
    appendMarked(snippet, result.snippet || '');
    if (!snippet.textContent.trim()) snippet.textContent = result.summary || '';
    item.appendChild(snippet);
    if (result.themes && result.themes.length) {
      const tags = el('ul', 'tag-list search-result__themes');
      tags.setAttribute('aria-label', 'Themes');
      for (const slug of result.themes) {
        const li = el('li', 'tag-list__item');
        const tag = el('span', 'tag');
        tag.textContent = labelOf('themes', slug);
        li.appendChild(tag);
        tags.appendChild(li);
      }
      item.appendChild(tags);
    }
    return item;
  }

  /** Copies the client's snippet HTML into `target`, keeping only its
   *  text and <mark> elements: whatever else it held stays inert. */
  function appendMarked(target, html) {
    const template = document.createElement('template');
    template.innerHTML = html;
    (function copy(from, to) {
      for (const node of Array.prototype.slice.call(from.childNodes)) {
        if (node.nodeType === 3) {
          to.appendChild(text(node.nodeValue));
        } else if (node.nodeType === 1) {
          if (node.nodeName === 'MARK') {
            const mark = el('mark');
            copy(node, mark);
            to.appendChild(mark);
          } else {
            copy(node, to);
          }
        }
      }
    })(template.content, target);
  }

  /** Only http(s) addresses on this site become links. */
  function safeHref(url) {
    try {
      const parsed = new URL(url, siteRoot);
      if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === siteRoot.origin) {
        return parsed.href;
      }
    } catch (error) {
      // Not an address at all.
    }
    return null;
  }

  /** A paragraph: `lead`, then links to browse by theme or by authority. */
  function browseInstead(lead) {
    const p = el('p');
    p.appendChild(text(lead));
    p.appendChild(link(`${siteRoot.href}themes/`, 'theme'));
    p.appendChild(text(' or by '));
    p.appendChild(link(`${siteRoot.href}authorities/`, 'local authority'));
    p.appendChild(text('.'));
    return p;
  }

  function showError(error) {
    if (error && typeof console !== 'undefined') console.warn('practicebank search:', error);
    countEl.textContent = '';
    clear(resultsEl);
    const box = el('div', 'search-message search-message--error');
    box.appendChild(browseInstead('Sorry, search is not working at the moment. Try again later, or find case studies by '));
    resultsEl.appendChild(box);
    say('Sorry, search is not working at the moment.', 'now');
  }

  /** Puts `message` in the status region, now or once typing pauses. */
  function say(message, when) {
    clearTimeout(announceTimer);
    const speak = () => {
      if (message && message === lastAnnounced) {
        // The same words again (the same search submitted twice): empty
        // the region first so screen readers notice the change.
        statusEl.textContent = '';
        announceTimer = setTimeout(() => {
          statusEl.textContent = message;
        }, 100);
      } else {
        statusEl.textContent = message;
      }
      lastAnnounced = message;
    };
    if (when === 'later') announceTimer = setTimeout(speak, ANNOUNCE_MS);
    else speak();
  }

  // Filters -----------------------------------------------------------------

  function buildFilters() {
    clear(filtersBox);
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
      const fieldset = el('fieldset', 'fieldset search-filters__group');
      const legend = el('legend', 'fieldset__legend');
      legend.textContent = 'Theme';
      fieldset.appendChild(legend);
      const boxes = el('div', 'checkboxes');
      for (const item of themes) {
        boxes.appendChild(choice('checkbox', 'theme', item, `search-theme-${item.value}`));
      }
      fieldset.appendChild(boxes);
      body.appendChild(fieldset);
    }

    for (const single of SINGLE) {
      const items = single.list === 'years' ? vocabulary.years || [] : sortedByLabel(vocabulary[single.list] || []);
      if (!items.length) continue;
      if (single.kind === 'radios') {
        const fieldset = el('fieldset', 'fieldset search-filters__group');
        const legend = el('legend', 'fieldset__legend');
        legend.textContent = single.legend;
        fieldset.appendChild(legend);
        const radios = el('div', 'radios');
        radios.appendChild(choice('radio', single.param, { value: '', label: single.any }, `search-${single.param}-any`));
        for (const item of items) {
          radios.appendChild(choice('radio', single.param, item, `search-${single.param}-${item.value}`));
        }
        fieldset.appendChild(radios);
        body.appendChild(fieldset);
      } else {
        const group = el('div', 'search-filters__group');
        const id = `search-${single.param}`;
        const label = el('label', 'label search-filters__label');
        label.htmlFor = id;
        label.textContent = single.legend;
        group.appendChild(label);
        const select = el('select', 'select');
        select.id = id;
        select.name = single.param;
        const any = el('option');
        any.value = '';
        any.textContent = single.any;
        select.appendChild(any);
        for (const item of items) {
          const option = el('option');
          option.value = item.value;
          option.setAttribute('data-label', item.label);
          option.textContent = item.label;
          select.appendChild(option);
        }
        group.appendChild(select);
        body.appendChild(group);
      }
    }

    const clearP = el('p', 'search-filters__clear');
    const clearLink = el('a');
    clearLink.setAttribute('data-clear-filters', '');
    clearLink.textContent = 'Clear filters';
    clearP.appendChild(clearLink);
    body.appendChild(clearP);

    details.appendChild(body);
    filtersBox.appendChild(details);
    // Open beside the results on wide screens; on phones and tablets
    // folded away above the results (the summary says how many are chosen).
    details.open = Boolean(window.matchMedia && window.matchMedia(WIDE).matches);
  }

  /** A checkbox or radio with its label and a count. */
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

  /** Shows how many matches each filter choice has; no counts at all
   *  when `counts` is null. */
  function showCounts(counts) {
    for (const span of filtersBox.querySelectorAll('[data-count-for]')) {
      const key = span.getAttribute('data-count-for');
      const at = key.indexOf(':');
      const name = key.slice(0, at);
      const value = key.slice(at + 1);
      const list = name === 'theme' ? 'themes' : listOf(name);
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
      const select = filtersBox.querySelector(`select[name="${single.param}"]`);
      if (!select) continue;
      for (const option of select.options) {
        if (!option.value) continue;
        const label = option.getAttribute('data-label');
        const n = counts ? (counts[single.list] && counts[single.list][option.value]) || 0 : -1;
        option.textContent = n < 0 ? label : `${label} (${n})`;
      }
    }
  }

  /** "2 selected" beside the filters' summary, and the clear link. */
  function updateFilterSummary(state) {
    const n = filterCount(state);
    const selected = filtersBox.querySelector('.search-filters__selected');
    if (selected) selected.textContent = n > 0 ? `(${n} selected)` : '';
    const clearLink = filtersBox.querySelector('a[data-clear-filters]');
    if (clearLink) {
      clearLink.href = addressOf({ q: state.q, themes: [], authority: '', survey: '', year: '' });
      clearLink.parentNode.hidden = n === 0;
    }
  }

  function listOf(param) {
    for (const single of SINGLE) if (single.param === param) return single.list;
    return param;
  }
}

// Helpers -------------------------------------------------------------------

function el(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

function text(value) {
  return document.createTextNode(value);
}

function link(href, label) {
  const a = el('a');
  a.href = href;
  a.textContent = label;
  return a;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function closest(node, selector) {
  while (node && node.nodeType === 1) {
    if (node.matches(selector)) return node;
    node = node.parentNode;
  }
  return null;
}

function isModified(event) {
  return event.button > 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
}

function hasOwn(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function caseStudies(n) {
  return `${n} case stud${n === 1 ? 'y' : 'ies'}`;
}

/** `a`, `a and b`, `a, b and c`. */
function joinAnd(items) {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function sortedByLabel(items) {
  return items.slice().sort((a, b) => a.label.localeCompare(b.label, 'en-GB') || (a.value < b.value ? -1 : 1));
}

/** An id from a value (slugs are already safe; anything else is made so). */
function safeId(value) {
  return String(value).replace(/[^A-Za-z0-9_-]/g, '_');
}
