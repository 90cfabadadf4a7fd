// The XSS fixture (tests/fixtures/build/xss, built by scripts/test.sh into
// $PRACTICEBANK_XSS_SITE) in a real browser. Every field of its one case
// study, and the site's own title and labels, carry payloads that would set
// `window.__pwned` or call `alert()` if they ran. On every page that shows
// them:
//
// - no dialog opens and `window.__pwned` stays undefined;
// - the DOM has no event-handler attribute, no `javascript:`, `data:` or
//   `vbscript:` address, no frame, object, embed, base or meta refresh, and
//   no script but the theme's own file and the JSON-LD block (which must
//   still parse);
// - plain fields show the payload as typed, as text.
//
// Feeds and the JSON data files are checked by the Rust tests.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { artifactsDir } from './lib/browser.mjs';
import { SEARCH_ENTRY } from './lib/search-page.mjs';
import { servedSite } from './lib/site.mjs';

const CASE_STUDY = 'case-studies/script-payloads/';
/** Found by following the case study's own links. */
const LINKED = ['authority', 'theme', 'survey'];
const PAGES = [
  { name: 'home', path: '' },
  { name: 'case-study', path: CASE_STUDY },
  { name: 'themes', path: 'themes/' },
  { name: 'authorities', path: 'authorities/' },
  { name: 'search', path: 'search/' },
  { name: '404', path: 'no/such/page/' },
];

/** Runs in the page: everything in the DOM that could run script.
 *  `searchEntry`: the source of SEARCH_ENTRY, the search page's module. */
function findExecutable(searchEntry) {
  const found = [];
  const describe = (el) => {
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    return `<${el.tagName.toLowerCase()}${cls}>`;
  };
  const URL_ATTRIBUTES = new Set([
    'href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster',
    'data', 'codebase', 'cite', 'ping', 'lowsrc', 'dynsrc', 'srcset', 'manifest',
  ]);
  for (const el of document.querySelectorAll('*')) {
    for (const { name, value } of el.attributes) {
      const lower = name.toLowerCase();
      if (lower.startsWith('on')) found.push(`${describe(el)} has an event handler: ${name}="${value}"`);
      if (lower === 'srcdoc') found.push(`${describe(el)} has srcdoc`);
      if (URL_ATTRIBUTES.has(lower)) {
        // Browsers ignore control characters and spaces inside a scheme.
        const squashed = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        if (/^(javascript|vbscript|data):/.test(squashed)) found.push(`${describe(el)} ${name}="${value}"`);
      }
      // Author content never gets a style attribute through the sanitiser.
      if (lower === 'style' && value.trim() && el.closest('article, .card-list')) {
        found.push(`${describe(el)} has a style attribute: ${value}`);
      }
    }
  }
  const forbidden = 'iframe, frame, frameset, object, embed, applet, base, meta[http-equiv], link[rel~="import"], main style, main link, main meta, main svg:not(.chart):not(.pagination__icon), main math';
  for (const el of document.querySelectorAll(forbidden)) found.push(`forbidden element ${describe(el)}: ${el.outerHTML.slice(0, 120)}`);
  for (const script of document.scripts) {
    const inHead = script.parentElement === document.head;
    // The theme's own files: site.js everywhere, search.js (a module) on the search page.
    const src = script.getAttribute('src');
    const isTheme = script.hasAttribute('src') && (/(^|\/)assets\/site\.[0-9a-f]+\.js$/.test(src) || new RegExp(searchEntry).test(src));
    const isJsonLd = script.type === 'application/ld+json' && !script.hasAttribute('src');
    if (!inHead || !(isTheme || isJsonLd)) found.push(`unexpected script: ${script.outerHTML.slice(0, 160)}`);
    if (isJsonLd) {
      try {
        JSON.parse(script.textContent);
      } catch (error) {
        found.push(`the JSON-LD block does not parse (${error.message}): ${script.textContent.slice(0, 160)}`);
      }
    }
  }
  return found;
}

describe('XSS fixture site', () => {
  const site = servedSite('PRACTICEBANK_XSS_SITE');
  /** One context for every page (closed with the browser). */
  let context;
  const linked = {};

  before(async () => {
    context = await site.context({ width: 1280 });
  });

  /** Opens a page; resolves to what it did and what it holds. */
  async function visit(url, name) {
    const page = await context.newPage();
    const dialogs = [];
    const errors = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(url, { waitUntil: 'load' });
      // Give late handlers (ontoggle, onerror of slow images) their chance,
      // and let Tab visit the page's first controls (onfocus, autofocus).
      await page.waitForTimeout(200);
      for (let i = 0; i < 25; i += 1) await page.keyboard.press('Tab');
      await page.mouse.move(300, 300);
      await page.mouse.move(600, 600);
      await page.screenshot({ path: path.join(artifactsDir(), `xss-${name}.png`), fullPage: true });
      const state = await page.evaluate(() => ({
        pwned: typeof window.__pwned,
        title: document.title,
        h1: document.querySelector('h1')?.textContent ?? '',
        main: document.querySelector('main')?.textContent ?? '',
        jsonLd: [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent),
        // The first link of each kind in the summary list.
        links: [...document.querySelectorAll('.summary-list__value a')].reduce((links, a) => {
          const href = a.getAttribute('href');
          const kind = href.includes('authorities/') ? 'authority' : href.includes('themes/') ? 'theme' : 'survey';
          links[kind] ??= a.href;
          return links;
        }, {}),
      }));
      const executable = await page.evaluate(findExecutable, SEARCH_ENTRY.source);
      return { ...state, dialogs, errors, executable };
    } finally {
      await page.close();
    }
  }

  function assertNothingRan(result, name) {
    assert.deepEqual(result.dialogs, [], `${name}: a payload opened a dialog`);
    assert.equal(result.pwned, 'undefined', `${name}: a payload set window.__pwned`);
    assert.deepEqual(result.executable, [], `${name}: executable markup survived`);
    assert.deepEqual(result.errors, [], `${name}: uncaught exceptions`);
  }

  for (const spec of PAGES) {
    test(`no payload runs on the ${spec.name} page`, async () => {
      const result = await visit(site.server.url + spec.path, spec.name);
      if (spec.path === CASE_STUDY) Object.assign(linked, result.links);
      assertNothingRan(result, spec.name);
      // The site title is a payload too, and shows as typed.
      assert.ok(result.title.includes('</title><script>window.__pwned = 1</script>'), `title: ${result.title}`);

      if (spec.path === CASE_STUDY) {
        // Plain fields come out as text, exactly as typed.
        assert.ok(result.h1.startsWith('</title><script>window.__pwned = 1</script><img src=x onerror="alert(1)">'), result.h1);
        for (const text of [
          '</script><script>window.__pwned = 1</script> "><svg onload=alert(1)>', // summary
          'Evil <script>window.__pwned = 1</script> Borough', // authority
          '<script>window.__pwned = 1</script> "><img src=x onerror=alert(1)>', // figure label
          '</text><script>alert(1)</script><text onclick="window.__pwned = 1">', // comparison label
          '<script>window.__pwned = 1</script> <img src=x onerror="alert(1)">', // quote
          '" onmouseover="window.__pwned = 1', // quote by
          '<script>window.__pwned = 1</script><a href="javascript:alert(1)">click</a>', // resource title
          '<script>alert(1)</script> in code is only text', // Markdown code span
        ]) {
          assert.ok(result.main.includes(text), `the page should show ${JSON.stringify(text)} as text`);
        }
        // The JSON-LD survived the payloads and still says the same thing.
        assert.equal(result.jsonLd.length, 1, 'one JSON-LD block');
        assert.equal(JSON.parse(result.jsonLd[0]).headline, result.h1);
        assert.deepEqual(Object.keys(result.links).sort(), [...LINKED].sort(), 'links to authority, theme and survey');
      }
    });
  }

  for (const kind of LINKED) {
    test(`no payload runs on the case study's ${kind} page`, async () => {
      assert.ok(linked[kind], `the case-study test should have found the ${kind} link`);
      const result = await visit(linked[kind], kind);
      assertNothingRan(result, kind);
      assert.ok(result.main.includes('</title><script>window.__pwned = 1</script>'), `${kind} page lists the case study`);
    });
  }
});
