// The search page's lines about what the client searched besides the
// words typed (issue 12), on the example site ($PRACTICEBANK_SITE):
//
// - "Showing results for housing" over the results of a corrected query,
//   with "Search instead for hosuing", which searches the words as typed
//   (`exact`, kept in the address as `exact=1`, restored by Back and
//   Forward, dropped for a new query);
// - "Also searched for ... (for UASC)" for a query the glossary expanded;
// - both are said with the count in the status region, once;
// - no line when the client searched only what was typed;
// - axe-core finds no WCAG 2.2 A or AA violation with the lines showing.
//
// The client's real typo correction and glossary on the example site:
// "hosuing" is one swap from "housing", and UASC is a glossary group whose
// phrases the example site holds.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { artifactsDir, axe, describeViolations } from './lib/browser.mjs';
import { HOUSING, listen, ready, settled, recordSearches } from './lib/search-page.mjs';
import { servedSite } from './lib/site.mjs';

const UASC = ['unaccompanied asylum seeking children', 'unaccompanied asylum seeking child', 'unaccompanied children'];
const ALSO_UASC = `Also searched for ${UASC[0]}, ${UASC[1]} and ${UASC[2]}`;

describe('search page: what was searched instead', () => {
  const site = servedSite('PRACTICEBANK_SITE');
  const shots = artifactsDir();
  const url = (search) => `${site.server.url}search/${search}`;
  /** The options of the client's last search for `query`. */
  const lastSearch = (page, query) =>
    page.evaluate((q) => window.__searches.filter((s) => s.query === q && s.limit > 0).pop(), query);

  test('a corrected query says what it searched, and offers the words as typed', async () => {
    await site.withPage({}, async (page) => {
      await recordSearches(page);
      await page.goto(url('?q=hosuing'), { waitUntil: 'load' });
      let state = await settled(page, 'Showing results for housing');
      assert.equal(state.count, '2 case studies found for \u201chosuing\u201d');
      assert.deepEqual(state.slugs.sort(), HOUSING);
      assert.deepEqual(state.plan, ['Showing results for housing', 'Search instead for hosuing']);
      assert.equal(await page.textContent('.search-plan strong'), 'housing', 'the searched words in bold');
      assert.equal(state.status, '2 case studies found for \u201chosuing\u201d. Showing results for housing.');
      assert.equal(state.title, 'hosuing \u2013 Search \u2013 Practice Bank');
      const instead = page.locator('a[data-exact]');
      assert.match(await instead.getAttribute('href'), /\?q=hosuing&exact=1$/, 'a real link too');
      // The line sits above the results.
      assert.ok(
        await page.evaluate(() => {
          const plan = document.querySelector('.search-plan');
          return Boolean(plan.compareDocumentPosition(document.querySelector('.search-results__list')) & 4);
        }),
      );
      await page.screenshot({ path: path.join(shots, 'search-corrected-1280.png'), fullPage: true });
      const violations = await axe(page);
      assert.equal(violations.length, 0, describeViolations(violations));

      // "Search instead for hosuing": the words as typed, without correction.
      await instead.click();
      state = await settled(page, 'No case studies found for \u201chosuing\u201d');
      assert.equal(state.search, '?q=hosuing&exact=1');
      assert.deepEqual(state.plan, [], 'nothing searched instead');
      assert.equal((await lastSearch(page, 'hosuing')).exact, true, 'the client was asked for the exact words');
      assert.equal(state.suggestion, 'housing', '"did you mean" still helps when nothing is found');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input', 'focus goes to the query');

      // Back and Forward restore the search with and without exact.
      await page.goBack();
      state = await settled(page, 'Showing results for housing');
      assert.equal(state.search, '?q=hosuing');
      assert.equal((await lastSearch(page, 'hosuing')).exact, false);
      await page.goForward();
      state = await settled(page, 'No case studies found for \u201chosuing\u201d');
      assert.equal(state.search, '?q=hosuing&exact=1');

      // A filter keeps exact for the same words; a new query drops it.
      await page.click('label[for="search-theme-housing"]');
      state = await settled(page, 'No case studies found for \u201chosuing\u201d, with 1 filter');
      assert.equal(state.search, '?q=hosuing&theme=housing&exact=1');
      await page.fill('#search-input', 'care');
      await page.press('#search-input', 'Enter');
      state = await settled(page, 'found for \u201ccare\u201d');
      assert.equal(state.search, '?q=care&theme=housing');
      assert.equal((await lastSearch(page, 'care')).exact, false);
    });
  });

  test('an address with exact=1 searches the words as typed on a cold page', async () => {
    await site.withPage({}, async (page) => {
      await recordSearches(page);
      await page.goto(url('?q=hosuing&exact=1'), { waitUntil: 'load' });
      const state = await settled(page, 'No case studies found for \u201chosuing\u201d');
      assert.deepEqual(state.plan, []);
      assert.equal((await lastSearch(page, 'hosuing')).exact, true);
      // exact means nothing without words, so it does not stay in the address.
      await page.goto(url('?exact=1'), { waitUntil: 'load' });
      await page.waitForSelector('.search-message');
      assert.equal(await page.evaluate(() => location.search), '');
    });
  });

  test('an expanded query says what else it searched for', async () => {
    await site.withPage({ width: 320 }, async (page) => {
      await recordSearches(page);
      await page.goto(url('?q=UASC'), { waitUntil: 'load' });
      const state = await settled(page, 'Also searched for');
      const also = `${ALSO_UASC} (for UASC)`;
      assert.deepEqual(state.plan, [also], 'the acronym as typed');
      assert.deepEqual(
        await page.$$eval('.search-plan strong', (s) => s.map((x) => x.textContent)),
        UASC,
        'each phrase searched in bold',
      );
      assert.match(state.status, new RegExp(`^\\d+ case stud(y|ies) found for \u201cUASC\u201d\\. ${also.replace(/[()]/g, '\\$&')}\\.$`));
      assert.equal(await page.locator('a[data-exact]').count(), 0, 'nothing to undo: the words typed were searched too');
      await page.screenshot({ path: path.join(shots, 'search-expanded-320.png'), fullPage: true });
      const violations = await axe(page);
      assert.equal(violations.length, 0, describeViolations(violations));
    });
  });

  test("a theme's label finds its case studies first", async () => {
    await site.withPage({}, async (page) => {
      await page.goto(url(''), { waitUntil: 'load' });
      await ready(page);
      await page.click('#search-input');
      await page.keyboard.type('Working with partners', { delay: 30 });
      const state = await settled(page, 'found for \u201cWorking with partners\u201d');
      // The two case studies in "Working with partners", whatever words
      // their own text uses.
      assert.deepEqual(state.slugs.slice(0, 2).sort(), HOUSING, `results: ${state.slugs}`);
      assert.deepEqual(state.plan, [], 'nothing was searched instead');
    });
  });

  test('both lines are said once with the count, after typing stops', async () => {
    await site.withPage({}, async (page) => {
      await recordSearches(page);
      await page.goto(url(''), { waitUntil: 'load' });
      await ready(page);
      await listen(page);
      await page.click('#search-input');
      await page.keyboard.type('hosuing uasc', { delay: 40 });
      const state = await settled(page, 'Also searched for');
      assert.deepEqual(state.plan, [
        'Showing results for housing uasc',
        'Search instead for hosuing uasc',
        `${ALSO_UASC} (for uasc)`,
      ]);
      await page.waitForTimeout(1200);
      const said = await page.evaluate(() => window.__said);
      assert.equal(said.length, 1, `the status region spoke once: ${JSON.stringify(said)}`);
      assert.match(
        said[0],
        new RegExp(`^\\d+ case stud(y|ies) found for \u201chosuing uasc\u201d\\. Showing results for housing uasc\\. ${ALSO_UASC} \\(for uasc\\)\\.$`),
      );
    });
  });

  test('no line when only the words typed were searched', async () => {
    // An empty plan here; a client without plans at all is the rest of
    // the browser tests' (search.test.mjs).
    await site.withPage({}, async (page) => {
      await recordSearches(page);
      await page.goto(url('?q=housing'), { waitUntil: 'load' });
      const state = await settled(page, '2 case studies found for \u201chousing\u201d');
      assert.deepEqual(state.plan, []);
      assert.equal(state.status, '2 case studies found for \u201chousing\u201d');
      assert.equal(await page.locator('.search-plan').count(), 0);
    });
  });
});
