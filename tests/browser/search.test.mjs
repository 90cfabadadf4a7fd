// The search page of the example site ($PRACTICEBANK_SITE, built by
// scripts/test.sh) in a real browser: themes/default/static/search.js over
// the static index and search/practicebank-search.js.
//
// - typing finds the housing case studies first, the last word matching as
//   a prefix until the query is submitted;
// - the status region speaks once per settled search, not per keystroke;
// - a plain search never fetches the facets file: the filters show no
//   counts until the person reaches for them (focus, pointer), then counts
//   that follow the query, without moving focus or speaking;
// - a theme filter narrows the results, the counts and the address, and the
//   back button restores the search before it;
// - a shared address (`?q=housing&theme=partnership`) opens filtered on a
//   cold page, fetching the facets file at once;
// - with no query, filters browse: `?theme=housing` lists every housing
//   case study, with counts that follow the filters, and clearing the
//   filter lists nothing again;
// - "did you mean" for a misspelt query;
// - the <title> follows the query ("housing – Search – Practice Bank");
// - the page does not jump as the filters and results arrive (layout
//   shift under 0.1 at 320 and 1280 px, with a query and without);
// - keyboard only: Tab goes from the query to the filters and on to the
//   first result, with focus always visible; Enter submits;
// - axe-core finds no WCAG 2.2 A or AA violation with results showing, at
//   1280 and 320 px, and nothing scrolls sideways;
// - a failed index load shows a message; with JavaScript off, or when
//   search.js or one of its modules never runs, the page still says where
//   to go;
// - no console errors anywhere; results from the XSS fixture stay text.
//
// Screenshots go to tests/browser/artifacts/search-*.png.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { artifactsDir, axe, describeViolations, horizontalOverflow } from './lib/browser.mjs';
import { HOUSING, SEARCH_ENTRY, counts, fetches, layoutShift, listen, ready, settled, shown } from './lib/search-page.mjs';
import { servedSite } from './lib/site.mjs';

describe('search page', () => {
  const site = servedSite('PRACTICEBANK_SITE');
  const withPage = site.withPage;
  const shots = artifactsDir();

  test('typing "housing" finds the housing case studies first, and speaks once', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.server.url}search/`, { waitUntil: 'load' });
      await ready(page);
      // Count what the status region says while typing.
      await listen(page);
      await page.click('#search-input');
      await page.keyboard.type('housing', { delay: 60 });
      const state = await settled(page, 'found for \u201chousing\u201d');
      assert.deepEqual(state.slugs.slice(0, 2).sort(), HOUSING, `first results: ${state.slugs}`);
      assert.equal(state.count, '2 case studies found for \u201chousing\u201d');
      assert.equal(state.search, '?q=housing', 'the query is in the address');
      assert.deepEqual(state.plan, [], 'a client that gives no plan: nothing searched instead');
      await page.waitForTimeout(1200);
      const said = await page.evaluate(() => window.__said);
      assert.deepEqual(said, ['2 case studies found for \u201chousing\u201d'], 'the status region spoke once');
      // Matches are marked in the snippets.
      const marks = await page.$$eval('.search-result__snippet mark', (m) => m.map((x) => x.textContent.toLowerCase()));
      assert.ok(marks.includes('housing'), `marked: ${marks}`);
      await page.screenshot({ path: path.join(shots, 'search-typed-1280.png'), fullPage: true });
    });
  });

  test('the last word matches as a prefix while typing, exactly once submitted', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.server.url}search/`, { waitUntil: 'load' });
      await ready(page);
      await page.click('#search-input');
      await page.keyboard.type('wands', { delay: 40 });
      let state = await settled(page, '\u201cwands\u201d');
      assert.deepEqual(state.slugs, ['wandsworth-housing-partnerships'], 'prefix match while typing');
      const length = await page.evaluate(() => history.length);
      await page.keyboard.press('Enter');
      state = await settled(page, 'No case studies found for \u201cwands\u201d');
      assert.deepEqual(state.slugs, [], 'a submitted query is searched as tantivy would: whole words');
      assert.equal(state.search, '?q=wands');
      assert.equal(await page.evaluate(() => history.length), length, 'submitting what is in the address adds no entry');
    });
  });

  test('a plain search leaves the facets file alone until the filters are used', async () => {
    await withPage({}, async (page) => {
      const fetched = fetches(page);
      await page.goto(`${site.server.url}search/`, { waitUntil: 'load' });
      await ready(page);
      await page.click('#search-input');
      await page.keyboard.type('housing', { delay: 40 });
      await page.keyboard.press('Enter');
      let state = await settled(page, '2 case studies found for \u201chousing\u201d');
      assert.deepEqual(state.slugs.sort(), HOUSING);
      assert.ok(!fetched.facets(), 'a plain search does not fetch the facets file');
      // No counts rather than counts that do not match the results.
      const none = await counts(page);
      assert.ok(Object.keys(none).length > 0);
      assert.deepEqual(Object.values(none).filter(Boolean), [], 'no counts before the filters are used');
      const options = await page.$$eval('#search-authority option', (o) => o.map((x) => x.textContent));
      assert.ok(options.every((o) => !/\(\d+\)/.test(o)), `authority options: ${options}`);
      await listen(page);

      // Reaching the filters with the keyboard fetches it; the counts
      // follow the query, focus stays put and nothing is announced.
      await page.focus('.search-filters__summary');
      await page.waitForFunction(() => /\(2/.test(document.querySelector('[data-count-for="theme:partnership"]').textContent));
      assert.ok(fetched.facets(), 'focus in the filters fetches the facets file');
      const visible = await counts(page);
      assert.equal(visible['theme:partnership'], '(2 case studies)');
      assert.equal(visible['theme:participation'], '(1 case study)', 'among the matches, not the whole site (3)');
      assert.equal(visible['theme:education'], '(0 case studies)');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'search-filters__summary', 'focus stays');
      assert.deepEqual(await page.evaluate(() => window.__said), [], 'the status region said nothing');
      state = await page.evaluate(shown);
      assert.deepEqual(state.slugs.sort(), HOUSING, 'the results are left as they were');

      // From now on counts follow every search.
      await page.fill('#search-input', 'school');
      await page.press('#search-input', 'Enter');
      await settled(page, '1 case study found for \u201cschool\u201d');
      await page.waitForFunction(() => /\(1/.test(document.querySelector('[data-count-for="theme:education"]').textContent));
      assert.equal((await counts(page))['theme:housing'], '(0 case studies)');
    });
  });

  test('with no query, pointing at the filters shows site-wide counts without the facets file', async () => {
    await withPage({}, async (page) => {
      const fetched = fetches(page);
      await page.goto(`${site.server.url}search/`, { waitUntil: 'load' });
      await ready(page);
      assert.deepEqual(Object.values(await counts(page)).filter(Boolean), []);
      await page.hover('label[for="search-theme-participation"]');
      await page.waitForFunction(() => /\(3/.test(document.querySelector('[data-count-for="theme:participation"]').textContent));
      assert.ok(!fetched.facets(), 'counts over the whole site come from the manifest');
      await page.click('#search-input');
      await page.keyboard.type('housing', { delay: 40 });
      await settled(page, '2 case studies found for \u201chousing\u201d');
      await page.waitForFunction(() => /\(1/.test(document.querySelector('[data-count-for="theme:participation"]').textContent));
      assert.ok(fetched.facets(), 'a query with counts showing fetches the facets file');
    });
  });

  test('with no query, a filter lists every case study it allows; clearing it lists nothing', async () => {
    await withPage({}, async (page) => {
      const fetched = fetches(page);
      await page.goto(`${site.server.url}search/?theme=housing`, { waitUntil: 'load' });
      let state = await settled(page, '2 case studies in Housing and accommodation');
      assert.deepEqual(state.slugs, HOUSING, 'every housing case study, in slug (doc id) order');
      assert.equal(state.count, '2 case studies in Housing and accommodation');
      assert.equal(state.status, '2 case studies in Housing and accommodation');
      assert.equal(state.query, '');
      assert.deepEqual(state.checked, ['housing']);
      assert.equal(state.search, '?theme=housing');
      assert.ok(fetched.facets(), 'filtering fetches the facets file');
      // No words, so nothing marked: each result shows its summary.
      assert.equal(await page.locator('.search-result__snippet mark').count(), 0);
      const snippets = await page.$$eval('.search-result__snippet', (p) => p.map((x) => x.textContent.trim()));
      assert.ok(snippets.every(Boolean), `summaries: ${snippets}`);
      // The counts follow the filter's matches, not the whole site.
      await page.waitForFunction(() => document.querySelector('[data-count-for="theme:partnership"]').textContent !== '');
      let visible = await counts(page);
      assert.equal(visible['theme:partnership'], '(2 case studies)');
      assert.equal(visible['theme:participation'], '(1 case study)', 'among the matches, not the whole site (3)');
      assert.equal(visible['theme:education'], '(0 case studies)');
      await page.screenshot({ path: path.join(shots, 'search-browse-1280.png'), fullPage: true });
      const violations = await axe(page);
      assert.equal(violations.length, 0, describeViolations(violations));

      // A single-choice filter narrows further; its other choices count
      // what they would give with the theme.
      await page.selectOption('#search-authority', 'oldham');
      state = await settled(page, '1 case study in Housing and accommodation, from Oldham');
      assert.deepEqual(state.slugs, ['oldham-supported-accommodation']);
      assert.equal(state.search, '?theme=housing&authority=oldham');
      let options = await page.$$eval('#search-authority option', (o) => o.map((x) => x.textContent));
      assert.ok(options.includes('Wandsworth (1)') && options.includes('Coventry (0)'), `authority options: ${options}`);

      // Only the authority left: its other choices count the whole site.
      await page.focus('#search-theme-housing');
      await page.keyboard.press('Space');
      state = await settled(page, '1 case study from Oldham');
      assert.deepEqual(state.slugs, ['oldham-supported-accommodation']);
      options = await page.$$eval('#search-authority option', (o) => o.map((x) => x.textContent));
      assert.ok(options.includes('Coventry (2)'), `authority options: ${options}`);
      visible = await counts(page);
      assert.equal(visible['theme:housing'], '(1 case study)');

      // Clearing the last filter with no query lists nothing again.
      await page.focus('#search-authority');
      await page.selectOption('#search-authority', '');
      await page.waitForFunction(() => !document.querySelector('.search-result'));
      state = await page.evaluate(shown);
      assert.deepEqual(state.slugs, []);
      assert.equal(state.count, '');
      assert.equal(state.status, '');
      assert.equal(state.search, '');
      assert.match(await page.textContent('#search-results'), /Enter a word or two to search the case studies/);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-authority', 'focus stays put');
      visible = await counts(page);
      assert.equal(visible['theme:participation'], '(3 case studies)', 'the whole site again');
    });
  });

  test('with no query, choosing a theme lists its case studies; unchoosing it lists nothing', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.server.url}search/`, { waitUntil: 'load' });
      await ready(page);
      await page.focus('#search-theme-education');
      await page.keyboard.press('Space');
      let state = await settled(page, '1 case study in Education and school');
      assert.deepEqual(state.slugs, ['bexley-homework-club']);
      assert.equal(state.search, '?theme=education');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-theme-education', 'focus stays put');
      // Two themes must both hold, and the count says so.
      await page.focus('#search-theme-housing');
      await page.keyboard.press('Space');
      state = await settled(page, 'No case studies in both \u201cEducation and school\u201d and \u201cHousing and accommodation\u201d');
      assert.deepEqual(state.slugs, []);
      assert.match(await page.textContent('#search-results'), /No case study has all of these/);
      await page.keyboard.press('Space');
      await settled(page, '1 case study in Education and school');
      await page.focus('#search-theme-education');
      await page.keyboard.press('Space');
      await page.waitForFunction(() => !document.querySelector('.search-result'));
      state = await page.evaluate(shown);
      assert.deepEqual(state.slugs, []);
      assert.equal(state.count, '');
      assert.equal(state.search, '');
      assert.match(await page.textContent('#search-results'), /Enter a word or two to search the case studies/);
      // Back returns to the theme's list.
      await page.goBack();
      state = await settled(page, '1 case study in Education and school');
      assert.deepEqual(state.checked, ['education']);
    });
  });

  test('a theme filter narrows the results and the address; Back restores the search', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.server.url}search/?q=care`, { waitUntil: 'load' });
      let state = await settled(page, '5 case studies found for \u201ccare\u201d');
      assert.equal(state.slugs.length, 5);
      const label = page.locator('label[for="search-theme-housing"]');
      await label.hover();
      await page.waitForFunction(() => document.querySelector('[data-count-for="theme:housing"]').textContent !== '');
      assert.match(await label.textContent(), /\(2 case studies\)/, 'the theme shows its count among the matches');
      await label.click();
      state = await settled(page, '2 case studies found for \u201ccare\u201d, with 1 filter');
      assert.deepEqual(state.slugs.sort(), HOUSING);
      assert.equal(state.search, '?q=care&theme=housing');
      assert.deepEqual(state.checked, ['housing']);
      // Counts follow: with housing chosen, a theme no housing case study has shows 0.
      assert.match(await page.locator('label[for="search-theme-education"]').textContent(), /\(0 case studies\)/);
      await page.screenshot({ path: path.join(shots, 'search-filtered-1280.png'), fullPage: true });

      // A single-choice filter as well, then Back twice.
      await page.selectOption('#search-authority', 'oldham');
      state = await settled(page, '1 case study found for \u201ccare\u201d, with 2 filters');
      assert.deepEqual(state.slugs, ['oldham-supported-accommodation']);
      assert.equal(state.search, '?q=care&theme=housing&authority=oldham');
      // The other authorities still show what they would give.
      const options = await page.$$eval('#search-authority option', (o) => o.map((x) => x.textContent));
      assert.ok(options.includes('Wandsworth (1)'), `authority options: ${options}`);

      await page.goBack();
      state = await settled(page, '2 case studies found for \u201ccare\u201d, with 1 filter');
      assert.equal(state.search, '?q=care&theme=housing');
      assert.equal(await page.inputValue('#search-authority'), '');
      await page.goBack();
      state = await settled(page, '5 case studies found for \u201ccare\u201d');
      assert.equal(state.search, '?q=care');
      assert.deepEqual(state.checked, []);
      assert.equal(state.slugs.length, 5);
      await page.goForward();
      state = await settled(page, '2 case studies found for \u201ccare\u201d, with 1 filter');
      assert.deepEqual(state.checked, ['housing']);
    });
  });

  test('Back after typing a new query returns to the search before it', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.server.url}search/?q=school`, { waitUntil: 'load' });
      await settled(page, '1 case study found for \u201cschool\u201d');
      await page.fill('#search-input', '');
      await page.click('#search-input');
      await page.keyboard.type('housing', { delay: 40 });
      let state = await settled(page, '2 case studies found for \u201chousing\u201d');
      assert.equal(state.search, '?q=housing');
      await page.goBack();
      state = await settled(page, '1 case study found for \u201cschool\u201d');
      assert.equal(state.query, 'school');
      assert.deepEqual(state.slugs, ['bexley-homework-club']);
    });
  });

  test('a shared address opens with its filters', async () => {
    await withPage({}, async (page) => {
      const fetched = fetches(page);
      await page.goto(`${site.server.url}search/?q=housing&theme=partnership`, { waitUntil: 'load' });
      const state = await settled(page, 'found for \u201chousing\u201d, with 1 filter');
      assert.equal(state.query, 'housing');
      assert.deepEqual(state.checked, ['partnership']);
      assert.deepEqual(state.slugs.sort(), HOUSING);
      assert.ok(fetched.facets(), 'a filter from the address fetches the facets file on a cold page');
      assert.equal((await counts(page))['theme:partnership'], '(2 case studies)', 'with counts at once');
      const tags = await page.$$eval('.search-result', (items) =>
        items.map((item) => [...item.querySelectorAll('.tag')].map((t) => t.textContent)),
      );
      for (const list of tags) assert.ok(list.includes('Working with partners'), `theme labels: ${list}`);

      // Unknown values are dropped, not searched for.
      await page.goto(`${site.server.url}search/?q=housing&theme=nonsense&year=1066`, { waitUntil: 'load' });
      const cleaned = await settled(page, '2 case studies found for \u201chousing\u201d');
      assert.equal(cleaned.search, '?q=housing');
    });
  });

  test('"did you mean" for a query with no results', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.server.url}search/`, { waitUntil: 'load' });
      await ready(page);
      await page.click('#search-input');
      // Two edits from "housing": too far to correct a word of seven
      // letters, near enough to suggest.
      await page.keyboard.type('hoisung', { delay: 40 });
      let state = await settled(page, 'Did you mean housing?');
      assert.equal(state.suggestion, 'housing');
      assert.equal(state.count, 'No case studies found for \u201choisung\u201d');
      await page.screenshot({ path: path.join(shots, 'search-did-you-mean-1280.png'), fullPage: true });
      const href = await page.getAttribute('a[data-suggestion]', 'href');
      assert.match(href, /\?q=housing$/, 'the suggestion is a real link too');
      await page.click('a[data-suggestion]');
      state = await settled(page, '2 case studies found for \u201chousing\u201d');
      assert.equal(state.query, 'housing');
      assert.deepEqual(state.slugs.sort(), HOUSING);

      // Filters that exclude everything say so, and offer to clear them.
      await page.goto(`${site.server.url}search/?q=school&theme=housing`, { waitUntil: 'load' });
      await settled(page, '1 case study match without the filters');
      await page.click('.search-results a[data-clear-filters]');
      state = await settled(page, '1 case study found for \u201cschool\u201d');
      assert.equal(state.search, '?q=school');
      assert.deepEqual(state.slugs, ['bexley-homework-club']);
    });
  });

  test('keyboard only: from the query to a filter and to the first result', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.server.url}search/`, { waitUntil: 'load' });
      await ready(page);
      const focus = () =>
        page.evaluate(() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const before = el.labels && el.labels[0] ? getComputedStyle(el.labels[0], ':before') : null;
          return {
            id: el.id,
            tag: el.tagName.toLowerCase(),
            className: typeof el.className === 'string' ? el.className : '',
            href: el.getAttribute('href'),
            // Some mark of focus: an outline, a shadow, a yellow fill, or
            // (for the hidden checkbox inputs) a shadow on the drawn box.
            visible:
              style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && style.outlineColor !== 'rgba(0, 0, 0, 0)'
                ? true
                : style.boxShadow !== 'none' ||
                  style.backgroundColor === 'rgb(255, 221, 0)' ||
                  Boolean(before && before.boxShadow !== 'none'),
          };
        });
      // Tab from the top of the page to the query.
      let at = null;
      for (let i = 0; i < 15; i += 1) {
        await page.keyboard.press('Tab');
        at = await focus();
        if (at.id === 'search-input') break;
      }
      assert.equal(at.id, 'search-input', 'Tab reaches the query');
      await page.keyboard.type('care');
      await page.keyboard.press('Enter');
      await settled(page, '5 case studies found for \u201ccare\u201d');
      assert.equal((await focus()).id, 'search-input', 'focus stays in the query after Enter');

      const path_ = [];
      let reachedFilter = false;
      let reachedResult = false;
      for (let i = 0; i < 40 && !reachedResult; i += 1) {
        await page.keyboard.press('Tab');
        at = await focus();
        path_.push(at.id || at.className || at.tag);
        assert.ok(at.visible, `focus is not visible on ${JSON.stringify(at)}`);
        if (at.id === 'search-theme-celebration') {
          reachedFilter = true;
          // Space ticks a theme, as for any checkbox.
          await page.keyboard.press('Space');
          await settled(page, '2 case studies found for \u201ccare\u201d, with 1 filter');
          await page.screenshot({ path: path.join(shots, 'search-keyboard-1280.png') });
        }
        if (at.className === 'search-result__link') reachedResult = true;
      }
      assert.ok(reachedFilter, `Tab should reach the theme filters: ${path_.join(' > ')}`);
      assert.ok(reachedResult, `Tab should reach the first result: ${path_.join(' > ')}`);
      const first = await page.evaluate(() => document.querySelector('.search-result__link').href);
      assert.equal(await page.evaluate(() => document.activeElement.href), first, 'the first result, not a later one');
      assert.equal(new URL(await page.url()).search, '?q=care&theme=celebration');

      // And back again with Shift+Tab: no trap.
      for (let i = 0; i < 30; i += 1) {
        await page.keyboard.press('Shift+Tab');
        if ((await focus()).id === 'search-input') break;
      }
      assert.equal((await focus()).id, 'search-input', 'Shift+Tab goes back to the query');
      // Enter on a result opens it.
      await page.focus('.search-result__link');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.match(page.url(), /\/case-studies\/coventry-/);
    });
  });

  for (const width of [1280, 320]) {
    test(`axe-core finds no WCAG 2.2 A/AA violation with results showing, at ${width}px`, async () => {
      await withPage({ width }, async (page) => {
        await page.goto(`${site.server.url}search/?q=housing&theme=partnership`, { waitUntil: 'load' });
        await settled(page, 'found for \u201chousing\u201d');
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: path.join(shots, `search-results-${width}.png`), fullPage: true });
        let violations = await axe(page);
        assert.equal(violations.length, 0, describeViolations(violations));
        assert.equal(await horizontalOverflow(page), null, 'the page scrolls sideways');

        // Filters folded away on phones until asked for; open, they pass too.
        const open = await page.locator('.search-filters__details').evaluate((d) => d.open);
        assert.equal(open, width > 768, 'filters are open on wide screens only');
        assert.match(await page.textContent('.search-filters__summary'), /Filter results \(1 selected\)/);
        await page.goto(`${site.server.url}search/?q=care`, { waitUntil: 'load' });
        await settled(page, '5 case studies found');
        if (width <= 768) {
          await page.focus('.search-filters__summary');
          await page.keyboard.press('Enter');
          assert.ok(await page.locator('.search-filters__details').evaluate((d) => d.open), 'Enter opens the filters');
        }
        await page.screenshot({ path: path.join(shots, `search-filters-${width}.png`), fullPage: true });
        violations = await axe(page);
        assert.equal(violations.length, 0, describeViolations(violations));
        assert.equal(await horizontalOverflow(page), null, 'the page scrolls sideways with the filters open');

        await page.goto(`${site.server.url}search/?q=hoisung`, { waitUntil: 'load' });
        await settled(page, 'Did you mean');
        violations = await axe(page);
        assert.equal(violations.length, 0, describeViolations(violations));
      });
    });
  }

  test('the title follows the query, as on GOV.UK search pages', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${site.server.url}search/`, { waitUntil: 'load' });
      await ready(page);
      await page.waitForSelector('.search-message');
      assert.equal(await page.title(), 'Search \u2013 Practice Bank');
      await page.click('#search-input');
      await page.keyboard.type('housing', { delay: 40 });
      await settled(page, '2 case studies found for \u201chousing\u201d');
      assert.equal(await page.title(), 'housing \u2013 Search \u2013 Practice Bank');
      await page.fill('#search-input', '  school  ');
      await page.press('#search-input', 'Enter');
      await settled(page, '1 case study found for \u201cschool\u201d');
      assert.equal(await page.title(), 'school \u2013 Search \u2013 Practice Bank', 'the words, without the spaces around them');
      await page.goBack();
      await settled(page, '2 case studies found for \u201chousing\u201d');
      assert.equal(await page.title(), 'housing \u2013 Search \u2013 Practice Bank', 'Back restores it');
      await page.fill('#search-input', '');
      await page.press('#search-input', 'Enter');
      await page.waitForSelector('.search-message');
      assert.equal(await page.title(), 'Search \u2013 Practice Bank');
      // A cold page with a query and a filter: the query names it.
      await page.goto(`${site.server.url}search/?q=care&theme=housing`, { waitUntil: 'load' });
      await settled(page, 'found for \u201ccare\u201d');
      assert.equal(await page.title(), 'care \u2013 Search \u2013 Practice Bank');
    });
  });

  // Lighthouse measured 0.28 on a phone with a query in the address and
  // 0.18 on a desktop with none, as the filters and results arrived and
  // pushed the footer down (issue 15). The sum of every shift not caused by
  // input must stay under 0.1, Google's "good", in a phone's viewport and
  // in a tall desktop one, where the footer starts in view.
  for (const { width, height } of [{ width: 320, height: 640 }, { width: 1280, height: 900 }]) {
    for (const address of ['', '?q=housing']) {
      test(`the page does not jump as search starts, ${address ? 'with a query' : 'with none'}, at ${width}px`, async () => {
        await withPage({ width, height }, async (page) => {
          await page.goto(`${site.server.url}search/${address}`, { waitUntil: 'load' });
          await ready(page);
          if (address) await settled(page, '2 case studies found for \u201chousing\u201d');
          else await page.waitForSelector('.search-message');
          await page.evaluate(() => document.fonts.ready);
          // Let anything late (counts, images) land before measuring.
          await page.waitForTimeout(500);
          const shift = await layoutShift(page);
          assert.ok(shift.total < 0.1, `layout shift ${shift.total.toFixed(4)}:\n${JSON.stringify(shift.shifts, null, 2)}`);
        });
      });
    }
  }

  test('only the search page loads search.js', async () => {
    await withPage({}, async (page) => {
      await page.goto(site.server.url, { waitUntil: 'load' });
      const scripts = await page.$$eval('script[src]', (s) => s.map((x) => x.getAttribute('src')));
      assert.ok(!scripts.some((src) => /search/.test(src)), `home page scripts: ${scripts}`);
      await page.goto(`${site.server.url}search/`, { waitUntil: 'load' });
      const module = await page.$$eval('script[type="module"]', (s) => s.map((x) => x.getAttribute('src')));
      assert.equal(module.length, 1);
      assert.match(module[0], /^\.\.\/assets\//);
      assert.match(module[0], SEARCH_ENTRY);
    });
  });

  test('a failed index load shows a message, not a blank page', async () => {
    await withPage({ allowProblems: true }, async (page) => {
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.route('**/search/index.json', (route) => route.fulfill({ status: 500, body: 'broken' }));
      await page.goto(`${site.server.url}search/?q=housing`, { waitUntil: 'load' });
      const status = await settled(page, 'Sorry, search is not working');
      assert.equal(status.slugs.length, 0);
      assert.equal(status.query, 'housing', 'the query still shows');
      const message = await page.textContent('#search-results');
      assert.match(message, /Sorry, search is not working at the moment/);
      assert.ok(await page.locator('#search-results a[href$="themes/"]').isVisible(), 'a way to browse instead');
      assert.deepEqual(errors, [], 'no uncaught exception');
      await page.screenshot({ path: path.join(shots, 'search-error-1280.png'), fullPage: true });
    });
  });

  // A browser without ES modules never fetches search.js; one whose module
  // graph fails to load (any of its files) runs none of it. Either way the
  // page must still say where to go.
  const failures = [
    { name: 'search.js never runs', blocked: (url) => SEARCH_ENTRY.test(url.pathname), shot: 'search-fallback-1280.png' },
    { name: 'one of its modules fails to load', blocked: (url) => url.pathname.endsWith('/search-results.js') },
  ];
  for (const failure of failures) {
    test(`when ${failure.name}, the page says where to go`, async () => {
      await withPage({ allowProblems: true }, async (page) => {
        await page.route(failure.blocked, (route) => route.abort());
        await page.goto(`${site.server.url}search/?q=housing`, { waitUntil: 'load' });
        const fallback = page.locator('#search-fallback');
        assert.equal(await fallback.isVisible(), false, 'hidden at first, in case search is only slow');
        await page.waitForFunction(() => getComputedStyle(document.getElementById('search-fallback')).visibility === 'visible', null, { timeout: 6000 });
        assert.match(await fallback.textContent(), /find case studies by\s+theme\s+or by\s+local authority/);
        if (failure.shot) await page.screenshot({ path: path.join(shots, failure.shot), fullPage: true });
      });
    });
  }

  for (const width of [1280, 320]) {
    test(`with JavaScript off the page guides to themes and authorities, at ${width}px`, async () => {
      let html = '';
      const url = `${site.server.url}search/?q=housing`;
      await withPage({ width, javaScriptEnabled: false }, async (page) => {
        await page.goto(`${site.server.url}search/`, { waitUntil: 'load' });
        // The form still works: a GET to this page.
        await page.fill('#search-input', 'housing');
        await Promise.all([page.waitForNavigation(), page.press('#search-input', 'Enter')]);
        assert.equal(page.url(), url);
        const main = await page.textContent('main');
        assert.match(main, /Search needs JavaScript/);
        assert.ok(await page.locator('.search-noscript .theme-list__link').first().isVisible(), 'themes listed');
        assert.equal(await page.locator('.search-noscript .theme-list__link').count(), 10);
        assert.equal(await page.locator('#search-fallback').isVisible(), false, 'no second message');
        await page.screenshot({ path: path.join(shots, `search-noscript-${width}.png`), fullPage: true });
        html = await page.content();
      });
      // axe needs script, so check the page as a browser without
      // JavaScript built it: scripts gone, <noscript> content shown, and
      // the fallback as the stylesheet leaves it for such a browser.
      const plain = html
        .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
        .replace(/<\/?noscript>/g, '')
        .replace(/<div class="search-fallback"[\s\S]*?<\/div>\s*<\/div>/, '');
      assert.ok(!plain.includes('search-fallback'), 'the fallback was cut out');
      await withPage({ width }, async (page) => {
        await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: plain }));
        await page.goto(url, { waitUntil: 'load' });
        assert.ok(await page.locator('.search-noscript .theme-list__link').first().isVisible(), 'themes listed');
        const violations = await axe(page);
        assert.equal(violations.length, 0, describeViolations(violations));
        assert.equal(await horizontalOverflow(page), null, 'the page scrolls sideways');
      });
    });
  }
});

describe('search page of the XSS fixture', () => {
  const site = servedSite('PRACTICEBANK_XSS_SITE');

  test('payloads in results, snippets and labels stay text', async () => {
    const context = await site.context({ width: 1280 });
    try {
      const page = await context.newPage();
      const dialogs = [];
      const errors = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        dialog.dismiss().catch(() => {});
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${site.server.url}search/?q=script`, { waitUntil: 'load' });
      await page.waitForFunction(() => /found for/.test(document.getElementById('search-status').textContent), null, {
        timeout: 10000,
      });
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(artifactsDir(), 'search-xss.png'), fullPage: true });
      const found = await page.evaluate(() => ({
        pwned: typeof window.__pwned,
        titles: [...document.querySelectorAll('.search-result__title')].map((h) => h.textContent),
        labels: [...document.querySelectorAll('#search-filters label')].map((l) => l.textContent),
        // Inside results and filters: only the elements search.js makes.
        strays: [...document.querySelectorAll('#search-results *, #search-filters *')]
          .filter((el) => !/^(OL|LI|H3|A|P|MARK|STRONG|UL|SPAN|BUTTON|DIV|DETAILS|SUMMARY|FIELDSET|LEGEND|INPUT|LABEL|SELECT|OPTION)$/.test(el.tagName))
          .map((el) => el.outerHTML.slice(0, 80)),
        handlers: [...document.querySelectorAll('*')].flatMap((el) =>
          [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`),
        ),
      }));
      assert.deepEqual(dialogs, []);
      assert.deepEqual(errors, []);
      assert.equal(found.pwned, 'undefined');
      assert.deepEqual(found.strays, []);
      assert.deepEqual(found.handlers, []);
      assert.ok(found.titles.length > 0, 'the payload case study is found');
      assert.ok(found.titles[0].includes('<script>window.__pwned = 1</script>'), `title shown as text: ${found.titles[0]}`);
      assert.ok(found.labels.some((l) => l.includes('Safety <img src=x onerror=alert(1)>')), 'theme label shown as text');
    } finally {
      await context.close();
    }
  });
});
