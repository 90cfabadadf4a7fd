// The example site (the repository root, built by scripts/test.sh into
// $PRACTICEBANK_SITE) in a real browser, at 1280 px and 320 px wide:
//
// - axe-core finds no WCAG 2.2 A or AA violation on any page type;
// - no console errors, uncaught exceptions, failed requests or error
//   responses, and nothing is fetched from anywhere but the site;
// - at 320 px nothing scrolls sideways;
// - every same-site link on those pages leads somewhere, and every page
//   links an icon that loads;
// - the skip link is the first thing Tab reaches, shows, and moves focus
//   to the main content.
//
// Screenshots of every page at both widths go to tests/browser/artifacts/.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { artifactsDir, axe, describeViolations, horizontalOverflow, watch } from './lib/browser.mjs';
import { servedSite } from './lib/site.mjs';

const WIDTHS = [1280, 320];

/** One page of every type the theme has. */
const PAGES = [
  { name: 'home', path: '' },
  { name: 'case-study', path: 'case-studies/coventry-celebrating-success/' },
  { name: 'themes', path: 'themes/' },
  { name: 'theme', path: 'themes/celebration/' },
  { name: 'authorities', path: 'authorities/' },
  { name: 'authority', path: 'authorities/coventry/' },
  { name: 'survey', path: 'surveys/your-life-beyond-care/' },
  { name: 'search', path: 'search/' },
  { name: '404', path: 'no/such/page/', status: 404 },
];

describe('example site', () => {
  const site = servedSite('PRACTICEBANK_SITE');
  const { baseUrl } = site;
  const shots = artifactsDir();
  /** Same-site links seen on the pages, to check at the end: url -> page. */
  const links = new Map();

  for (const spec of PAGES) {
    for (const width of WIDTHS) {
      test(`${spec.name} page at ${width}px`, async () => {
        const expectedStatus = spec.status ?? 200;
        const context = await site.context({ width });
        const failures = [];
        try {
          const page = await context.newPage();
          const problems = watch(page, { allowStatus: expectedStatus });
          const response = await page.goto(site.server.url + spec.path, { waitUntil: 'load' });
          await page.evaluate(() => document.fonts.ready);

          await page.screenshot({ path: path.join(shots, `${spec.name}-${width}.png`), fullPage: true });

          if (response.status() !== expectedStatus) {
            failures.push(`status ${response.status()}, expected ${expectedStatus}`);
          }

          const violations = await axe(page);
          if (violations.length) failures.push(describeViolations(violations));

          const overflow = await horizontalOverflow(page);
          if (overflow) {
            failures.push(
              `scrolls sideways: ${overflow.scrollWidth}px of content in a ${overflow.width}px window; ` +
                `sticking out:\n    ${overflow.culprits.join('\n    ')}`,
            );
          }

          const facts = await page.evaluate(() => ({
            h1s: document.querySelectorAll('h1').length,
            jsRan: document.body.classList.contains('js-enabled'),
            // Only the theme's stylesheet hides the skip link until focused.
            styled: getComputedStyle(document.querySelector('.skip-link')).position === 'absolute',
            missingTargets: [...document.querySelectorAll('a[href^="#"]')]
              .map((a) => decodeURIComponent(a.getAttribute('href').slice(1)))
              .filter((id) => id && !document.getElementById(id)),
            hrefs: [...document.querySelectorAll('a[href]:not([href^="#"])')].map((a) => a.href),
            icon: document.querySelector('link[rel~="icon"]')?.href ?? null,
          }));
          if (facts.h1s !== 1) failures.push(`${facts.h1s} h1 elements, expected 1`);
          if (!facts.jsRan) failures.push('site.js did not run (no js-enabled class on body)');
          if (!facts.styled) failures.push('the stylesheet did not load');
          for (const id of facts.missingTargets) failures.push(`link to #${id}, but no element has that id`);
          // Headless Chromium fetches no icon, so "no failed requests" cannot
          // see a missing one; a real browser without the link asks the
          // host's root for /favicon.ico, outside a site under a path.
          if (!facts.icon) {
            failures.push('no <link rel="icon">');
          } else {
            const icon = facts.icon.startsWith(baseUrl)
              ? `${site.server.origin}${new URL(baseUrl).pathname}${facts.icon.slice(baseUrl.length)}`
              : facts.icon;
            const answer = await fetch(icon);
            const type = answer.headers.get('content-type') ?? '';
            if (answer.status !== 200 || !type.startsWith('image/svg+xml')) {
              failures.push(`the icon ${facts.icon} answered ${answer.status} ${type}`);
            }
          }

          for (const href of facts.hrefs) {
            const url = new URL(href);
            url.hash = '';
            const local = url.href.startsWith(baseUrl)
              ? `${site.server.origin}${new URL(baseUrl).pathname}${url.href.slice(baseUrl.length)}`
              : url.href;
            if (local.startsWith(`${site.server.origin}/`) && !links.has(local)) links.set(local, spec.name);
          }

          failures.push(...problems());
          for (const url of context.offsite) failures.push(`fetched from outside the site: ${url}`);
          if (!spec.status) {
            // Only the 404 page, served at any address, may use base_url.
            for (const url of context.absolute) {
              failures.push(`fetched by absolute address (the site must work at any path): ${url}`);
            }
          }
        } finally {
          await context.close();
        }
        assert.equal(failures.length, 0, `${spec.name} page at ${width}px:\n  ${failures.join('\n  ')}`);
      });
    }
  }

  for (const width of WIDTHS) {
    test(`keyboard: the first Tab reaches a visible skip link that moves focus to main, at ${width}px`, async () => {
      const context = await site.context({ width });
      try {
        const page = await context.newPage();
        const problems = watch(page);
        await page.goto(site.server.url, { waitUntil: 'load' });

        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          return {
            className: el.className,
            text: el.textContent.trim(),
            href: el.getAttribute('href'),
            box: { left: box.left, top: box.top, width: box.width, height: box.height },
            onTop: hit === el || el.contains(hit),
            clipPath: style.clipPath,
            outline: `${style.outlineStyle} ${style.outlineWidth}`,
          };
        });
        await page.screenshot({ path: path.join(artifactsDir(), `skip-link-${width}.png`) });
        assert.equal(focused.className, 'skip-link', `first Tab focused ${JSON.stringify(focused)}`);
        assert.equal(focused.text, 'Skip to main content');
        assert.equal(focused.href, '#main-content');
        const { box } = focused;
        assert.ok(
          box.width >= 24 && box.height >= 24 && box.left >= 0 && box.top >= 0 && box.left + box.width <= width,
          `the focused skip link is not fully visible: ${JSON.stringify(focused)}`,
        );
        assert.ok(focused.onTop, `something covers the focused skip link: ${JSON.stringify(focused)}`);
        assert.equal(focused.clipPath, 'none', 'the focused skip link is still clipped');
        assert.notEqual(focused.outline.split(' ')[0], 'none', 'the focused skip link has no focus outline');

        await page.keyboard.press('Enter');
        const after = await page.evaluate(() => ({
          id: document.activeElement.id,
          tag: document.activeElement.tagName.toLowerCase(),
          hash: location.hash,
        }));
        assert.deepEqual(after, { id: 'main-content', tag: 'main', hash: '#main-content' });

        // The next Tab goes on from inside main, not back to the header.
        await page.keyboard.press('Tab');
        const next = await page.evaluate(() => Boolean(document.activeElement.closest('main')));
        assert.ok(next, 'after the skip link, Tab should move to the first control inside main');

        assert.deepEqual(problems(), []);
      } finally {
        await context.close();
      }
    });
  }

  test('every same-site link on the tested pages leads somewhere', async () => {
    assert.ok(links.size > 20, `only ${links.size} links collected: did the page tests run?`);
    const broken = [];
    for (const [url, from] of links) {
      const response = await fetch(url, { method: 'HEAD', redirect: 'manual' });
      if (response.status !== 200) broken.push(`${url} (linked from the ${from} page): HTTP ${response.status}`);
    }
    assert.deepEqual(broken, []);
  });
});
