// Shared helpers for the browser tests: launching the system's Chromium
// through playwright-core, finding the built sites, watching a page for
// errors and running axe-core.

import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** Chromium from the system (Debian's `chromium` package); never downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Playwright adds --headless itself.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * The folder of a built site, from an environment variable that
 * scripts/test.sh sets. Fails loudly when it is missing: a skipped browser
 * test looks too much like a passing one.
 */
export function builtSite(variable) {
  const folder = process.env[variable];
  if (!folder) {
    throw new Error(
      `${variable} is not set: run the browser tests with \`bash scripts/test.sh\`, ` +
        `or build a site and set ${variable} to its folder`,
    );
  }
  if (!existsSync(path.join(folder, 'index.html'))) {
    throw new Error(`${variable}=${folder} holds no index.html: is it a built site?`);
  }
  return folder;
}

/**
 * The site's base_url, read from the home page's canonical link: the 404
 * page links to its stylesheet and script by absolute address, since it is
 * served at any path.
 */
export function baseUrlOf(folder) {
  const html = readFileSync(path.join(folder, 'index.html'), 'utf8');
  const match = html.match(/<link rel="canonical" href="([^"]+)"/);
  if (!match) throw new Error(`${folder}/index.html has no canonical link`);
  return match[1].replaceAll('&amp;', '&');
}

/** Where screenshots go: tests/browser/artifacts/ (git-ignored). */
export function artifactsDir() {
  const dir = process.env.BROWSER_ARTIFACTS || path.join(here, '..', 'artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A browser context whose requests stay on the machine. Requests to the
 * site's `baseUrl` are answered by the local server (as if the site were
 * deployed), so pages that use absolute addresses still load; any other
 * request off the local server is blocked and recorded in
 * `context.offsite`, and `context.absolute` records the base_url ones.
 */
export async function newContext(browser, { server, baseUrl, width, height = 900, javaScriptEnabled = true }) {
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: 1,
    javaScriptEnabled,
    reducedMotion: 'reduce',
    serviceWorkers: 'block',
  });
  context.offsite = [];
  context.absolute = [];
  const base = new URL(baseUrl);
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${server.origin}/`)) return route.continue();
    if (url.startsWith(baseUrl)) {
      context.absolute.push(url);
      const local = `${server.origin}${base.pathname}${url.slice(baseUrl.length)}`;
      const response = await fetch(local, { redirect: 'manual' });
      const headers = Object.fromEntries(response.headers);
      return route.fulfill({
        status: response.status,
        headers,
        body: Buffer.from(await response.arrayBuffer()),
      });
    }
    context.offsite.push(url);
    return route.abort('blockedbyclient');
  });
  return context;
}

/**
 * Starts recording what goes wrong on `page`: console errors,
 * uncaught exceptions, failed requests and error responses (other than
 * `allowStatus` for the page itself). Call the result to get the list.
 */
export function watch(page, { allowStatus = 200 } = {}) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      // Chromium logs the page's own error status; that one is expected.
      if (allowStatus !== 200 && where?.url === page.url() && message.text().includes(`status of ${allowStatus}`)) return;
      problems.push(
        `console ${message.type()}: ${message.text()}` + (where?.url ? ` (at ${where.url}:${where.lineNumber})` : ''),
      );
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.stack || error.message}`));
  page.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    const request = response.request();
    const isPage = request.isNavigationRequest() && request.frame() === page.mainFrame();
    const expected = isPage ? allowStatus : 200;
    // Redirects are fine; only the final answer matters.
    if (response.status() >= 300 && response.status() < 400) return;
    if (response.status() !== expected) {
      problems.push(`HTTP ${response.status()} for ${response.url()} (expected ${expected})`);
    }
  });
  return () => problems.slice();
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_VERSION = JSON.parse(readFileSync(require.resolve('axe-core/package.json'), 'utf8')).version;

/** The WCAG 2.2 A and AA rule tags. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe-core on the page; resolves to its violations. */
export async function axe(page, tags = WCAG_TAGS) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(
    async (values) => {
      const results = await window.axe.run(document, {
        runOnly: { type: 'tag', values },
        resultTypes: ['violations'],
      });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
      }));
    },
    tags,
  );
}

/** One readable block per violation: id, help and every node it hit. */
export function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(' ')}\n      ${n.html}\n      ${(n.summary || '').replaceAll('\n', '\n      ')}`)
        .join('\n');
      return `axe ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Horizontal overflow: whether the page scrolls sideways, and if so the
 * elements that stick out past the right edge (the deepest few).
 */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return null;
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 0.5 && box.width > 0) {
        const hasWideChild = [...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5);
        if (!hasWideChild) {
          const name = (node) => {
            const id = node.id ? `#${node.id}` : '';
            const cls = (node.getAttribute('class') || '').trim();
            return `${node.tagName.toLowerCase()}${id}${cls ? `.${cls.split(/\s+/).join('.')}` : ''}`;
          };
          const parent = el.parentElement && el.parentElement !== document.body ? `${name(el.parentElement)} > ` : '';
          culprits.push(`${parent}${name(el)} (right edge at ${Math.round(box.right)}px)`);
        }
      }
      if (culprits.length >= 8) break;
    }
    return { width, scrollWidth, culprits };
  });
}
