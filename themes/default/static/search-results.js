// The search page's results column: the visible count, what was searched
// instead of what was typed, the results (or what to do when there are
// none) and the error message. Each `show*` replaces what the column held
// and returns the sentence for the status region.

import { addressOf, filterCount, withoutFilters } from './search-state.js';
import { clear, el, link, text } from './search-dom.js';
import {
  caseStudies,
  correctionLine,
  describeFilters,
  expansionLine,
  plainText,
  planOf,
  quoted,
} from './search-words.js';

/**
 * The results column: `countEl` and `resultsEl` are the page's
 * #search-count and #search-results; `siteRoot` the site's root address
 * (only its case studies become links); `labelOf(list, value)` names a
 * filter value.
 */
export function createResults({ countEl, resultsEl, siteRoot, labelOf }) {
  /** No query and no filter: what to do, and nothing to announce. */
  function showEmpty() {
    countEl.textContent = '';
    clear(resultsEl);
    const p = el('p', 'search-message');
    p.textContent = 'Enter a word or two to search the case studies, for example housing or school.';
    resultsEl.appendChild(p);
    return '';
  }

  /**
   * Shows what a search found: `results` from the client (with `total`
   * and maybe `plan`), `unfiltered` (how many match without the filters,
   * when the filters left none) and `suggestion` ("did you mean", when
   * nothing matched at all).
   */
  function showResults(state, { results, unfiltered, suggestion }) {
    const total = results.total;
    const filters = filterCount(state);
    const query = state.q.trim();
    let count = total === 0 ? 'No case studies' : caseStudies(total);
    if (!query) count += ` ${describeFilters(state, labelOf)}`;
    else count += ` found for ${quoted(query)}`;
    if (query && filters > 0) count += `, with ${filters} filter${filters === 1 ? '' : 's'}`;
    countEl.textContent = count;
    clear(resultsEl);
    // Each of these is a sentence with its own full stop, said after the count.
    const said = query ? showPlan(state, planOf(results)) : [];

    if (total === 0) {
      said.push.apply(said, showNone(state, { unfiltered, suggestion }));
      if (!query) return `${count}.`;
    } else {
      const list = el('ol', 'search-results__list');
      for (const result of results) list.appendChild(resultItem(result));
      resultsEl.appendChild(list);
      if (results.length < total) {
        const button = el('button', 'button button--secondary search-results__more');
        button.type = 'button';
        button.setAttribute('data-more', '');
        button.textContent = `Show more case studies (${results.length} of ${total} shown)`;
        resultsEl.appendChild(button);
      }
    }
    return said.length ? `${count}. ${said.join(' ')}` : count;
  }

  /**
   * "Showing results for ..." with a link to search the words as typed,
   * and "Also searched for ...", above the results. Returns what they
   * say, for the status region: nothing when the client searched only
   * what was typed.
   */
  function showPlan(state, plan) {
    const query = state.q.trim();
    const correction = state.exact ? null : correctionLine(query, plan.corrections);
    const expansion = expansionLine(query, plan.expansions);
    if (!correction && !expansion) return [];
    const box = el('div', 'search-plan');
    const said = [];
    if (correction) {
      box.appendChild(line(correction));
      const instead = el('p', 'search-plan__line');
      const a = link(addressOf(Object.assign({}, state, { exact: true }), location.pathname), `Search instead for ${query}`);
      a.setAttribute('data-exact', query);
      instead.appendChild(a);
      box.appendChild(instead);
      said.push(`${plainText(correction)}.`);
    }
    if (expansion) {
      box.appendChild(line(expansion));
      said.push(`${plainText(expansion)}.`);
    }
    resultsEl.appendChild(box);
    return said;
  }

  /** A paragraph of the plan, its searched words in bold. */
  function line(parts) {
    const p = el('p', 'search-plan__line');
    for (const part of parts) {
      if (part.strong) {
        const strong = el('strong');
        strong.textContent = part.text;
        p.appendChild(strong);
      } else {
        p.appendChild(text(part.text));
      }
    }
    return p;
  }

  /** Nothing found: why, and what might help. Returns what it says
   *  beyond the count, for the status region. */
  function showNone(state, { unfiltered, suggestion }) {
    const box = el('div', 'search-message');
    const said = [];
    if (!state.q.trim()) {
      const p = el('p');
      p.appendChild(text('No case study has all of these. '));
      p.appendChild(clearFiltersLink(state));
      box.appendChild(p);
      box.appendChild(browseInstead('Choose fewer filters, or browse case studies by '));
      resultsEl.appendChild(box);
      return said;
    }
    if (unfiltered > 0) {
      const p = el('p');
      p.appendChild(text(`${caseStudies(unfiltered)} match without the filters. `));
      p.appendChild(clearFiltersLink(state));
      box.appendChild(p);
      said.push(`${caseStudies(unfiltered)} match without the filters.`);
    } else if (suggestion) {
      const p = el('p', 'search-suggestion');
      p.appendChild(text('Did you mean '));
      const a = link(addressOf(Object.assign({}, state, { q: suggestion, exact: false }), location.pathname), suggestion);
      a.setAttribute('data-suggestion', suggestion);
      p.appendChild(a);
      p.appendChild(text('?'));
      box.appendChild(p);
      said.push(`Did you mean ${suggestion}?`);
    }
    box.appendChild(browseInstead('Check the spelling, try fewer or more general words, or browse case studies by '));
    resultsEl.appendChild(box);
    return said;
  }

  /** "Clear the filters", keeping the query. */
  function clearFiltersLink(state) {
    const a = link(addressOf(withoutFilters(state), location.pathname), 'Clear the filters');
    a.setAttribute('data-clear-filters', '');
    return a;
  }

  function resultItem(result) {
    const item = el('li', 'search-result');
    const heading = el('h3', 'search-result__title');
    const href = safeHref(result.url);
    if (href) {
      const a = link(href, result.title);
      a.className = 'search-result__link';
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

  /** Search is broken: say so, and how to browse instead. */
  function showError() {
    countEl.textContent = '';
    clear(resultsEl);
    const box = el('div', 'search-message search-message--error');
    box.appendChild(browseInstead('Sorry, search is not working at the moment. Try again later, or find case studies by '));
    resultsEl.appendChild(box);
    return 'Sorry, search is not working at the moment.';
  }

  return { showEmpty, showResults, showError };
}

/** Copies the client's snippet HTML into `target`, keeping only its text
 *  and <mark> elements: whatever else it held stays inert. */
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
