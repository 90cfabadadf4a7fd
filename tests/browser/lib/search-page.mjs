// Helpers for tests of the search page (themes/default/static/search*.js):
// reading what it shows, waiting for a search to settle, watching what it
// fetches, measuring how much it moves, and a stand-in for the search
// client's `plan`.

/** The example site's housing case studies, which "housing" finds first. */
export const HOUSING = ['oldham-supported-accommodation', 'wandsworth-housing-partnerships'];

/**
 * The address search.html gives its module: `assets/search.<hash>.js`
 * while the build publishes the theme's files side by side, or
 * `assets/search-<hash>/search.js` where it publishes the search page's
 * modules together in a folder named by their hash.
 */
export const SEARCH_ENTRY = /(^|\/)assets\/(search\.[0-9a-f]{10}\.js|search-[0-9a-f]{10}\/search\.js)$/;

/** Runs in the page: what the search shows. */
export function shown() {
  const text = (id) => (document.getElementById(id) || { textContent: '' }).textContent.trim();
  return {
    count: text('search-count'),
    status: text('search-status'),
    slugs: [...document.querySelectorAll('.search-result__link')].map((a) => new URL(a.href).pathname.split('/').slice(-2)[0]),
    suggestion: (document.querySelector('a[data-suggestion]') || { textContent: '' }).textContent,
    plan: [...document.querySelectorAll('.search-plan__line')].map((p) => p.textContent.replace(/\s+/g, ' ').trim()),
    query: document.getElementById('search-input').value,
    checked: [...document.querySelectorAll('input[name="theme"]:checked')].map((c) => c.value),
    search: location.search,
    title: document.title,
  };
}

/** Waits until the status region says `words` (a settled search). */
export async function settled(page, words) {
  await page.waitForFunction((w) => document.getElementById('search-status').textContent.includes(w), words, {
    timeout: 10000,
  });
  return page.evaluate(shown);
}

/** Waits for search.js to have built the filters. */
export async function ready(page) {
  await page.waitForSelector('#search-filters input[name="theme"]', { state: 'attached', timeout: 10000 });
}

/** Records the addresses a page fetches; `facets()` says whether the
 *  facets file was among them. */
export function fetches(page) {
  const urls = [];
  page.on('request', (request) => urls.push(request.url()));
  return { facets: () => urls.some((url) => /\/search\/facets-[0-9a-f]+\.json$/.test(url)), urls };
}

/** The text of every count beside the filters, by `name:value`. */
export function counts(page) {
  return page.$$eval('[data-count-for]', (spans) =>
    Object.fromEntries(spans.map((s) => [s.getAttribute('data-count-for'), s.textContent])),
  );
}

/** Starts recording what the status region says, into `window.__said`. */
export function listen(page) {
  return page.evaluate(() => {
    window.__said = [];
    new MutationObserver(() => {
      const text = document.getElementById('search-status').textContent;
      if (text) window.__said.push(text);
    }).observe(document.getElementById('search-status'), { childList: true, characterData: true, subtree: true });
  });
}

/**
 * The page's layout shift so far: every `layout-shift` entry since it
 * loaded (a buffered PerformanceObserver) that did not follow input,
 * summed (which is never less than the cumulative layout shift
 * Lighthouse reports, the largest burst of them), with what moved in the
 * largest few.
 */
export function layoutShift(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const entries = [];
        const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
        observer.observe({ type: 'layout-shift', buffered: true });
        // Buffered entries arrive in a task of their own.
        setTimeout(() => {
          observer.disconnect();
          const counted = entries.filter((entry) => !entry.hadRecentInput);
          const name = (node) =>
            !node ? '(gone)' : node.nodeType !== 1 ? node.nodeName : `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}${node.className && typeof node.className === 'string' ? `.${node.className.trim().split(/\s+/).join('.')}` : ''}`;
          const rect = (r) => `${Math.round(r.y)}+${Math.round(r.height)}`;
          resolve({
            total: counted.reduce((sum, entry) => sum + entry.value, 0),
            shifts: counted
              .sort((a, b) => b.value - a.value)
              .slice(0, 5)
              .map((entry) => ({
                value: Number(entry.value.toFixed(4)),
                at: Math.round(entry.startTime),
                moved: entry.sources.map((s) => `${name(s.node)} ${rect(s.previousRect)} -> ${rect(s.currentRect)}`),
              })),
          });
        }, 100);
      }),
  );
}

/**
 * Records every search the page asks of the client: the client module the
 * page imports is replaced by one that wraps the real client unchanged,
 * and each call's query and options go to `window.__searches`, so a test
 * can tell whether the page asked for the words exactly as typed.
 */
export async function recordSearches(page) {
  const isClient = (url) => url.pathname.endsWith('/search/practicebank-search.js') && !url.search;
  await page.route(isClient, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/javascript; charset=utf-8',
      body: `
        import * as real from './practicebank-search.js?real';
        window.__searches = [];
        export function createSearch(options) {
          const client = real.createSearch(options);
          return Object.assign({}, client, {
            search(query, opts) {
              window.__searches.push(Object.assign({ query }, opts));
              return client.search(query, opts);
            },
          });
        }
      `,
    }),
  );
}
