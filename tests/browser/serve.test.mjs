// practicebank serve in a real browser: the binary at $PRACTICEBANK_BIN
// (scripts/test.sh sets it) serves a copy of tests/fixtures/build/basic on
// a free port of 127.0.0.1, and one page stays open while the site is
// edited:
//
// - an edit to the case study reloads the page, which shows it;
// - a broken edit shows its problem over the page (file, line, message,
//   the line itself), which keeps the last good build underneath; axe-core
//   finds no WCAG 2.2 A or AA violation with it shown;
// - saving the fix takes the problem away;
// - an edit to the stylesheet restyles the page without reloading it;
// - a page that neither the preview of an edit nor the full build after it
//   changes stays as it is, and reloads once a change does touch it;
// - nothing goes wrong in the console along the way.
//
// A screenshot of the problem over the page goes to tests/browser/artifacts/.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifactsDir, axe, describeViolations, launch, watch } from './lib/browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, '..', 'fixtures', 'build', 'basic');
const ALPHA = 'content/case-studies/alpha-housing.md';
const WAIT = 30_000;

function binary() {
  const bin = process.env.PRACTICEBANK_BIN;
  if (!bin || !existsSync(bin)) {
    throw new Error(
      'PRACTICEBANK_BIN is not set to the practicebank binary: run the browser tests with `bash scripts/test.sh`',
    );
  }
  return bin;
}

/** Starts `practicebank serve` on `root`; resolves once the first build is done. */
function startServe(root) {
  const child = spawn(binary(), ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (data) => (stderr += data));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not build in time:\n${stdout}\n${stderr}`)), 60_000);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`)));
    child.stdout.on('data', (data) => {
      stdout += data;
      const url = stdout.match(/^practicebank serve: (http:\/\/127\.0\.0\.1:\d+\/)$/m);
      const folder = stdout.match(/removed when you stop: (.+)$/m);
      if (url && folder && /^built /m.test(stdout)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, url: url[1], folder: folder[1], stdout: () => stdout, output: () => `${stdout}\n${stderr}` });
      }
    });
  });
}

/** Replaces the line of `rel` starting with `key:`. */
function setLine(root, rel, key, value) {
  const file = path.join(root, rel);
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(new RegExp(`^${key}:.*$`, 'm'), `${key}: ${value}`);
  assert.notEqual(changed, text, `${rel} has no line ${key}:`);
  writeFileSync(file, changed);
}

describe('practicebank serve in a browser', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'pb-serve-'));
  let serve;
  let browser;
  let page;
  let problems;

  before(async () => {
    cpSync(FIXTURE, root, { recursive: true, filter: (src) => !src.includes(`${path.sep}.practicebank`) });
    serve = await startServe(root);
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    // Only the served site is reachable.
    await context.route('**/*', (route) =>
      route.request().url().startsWith(serve.url) ? route.continue() : route.abort('blockedbyclient'),
    );
    page = await context.newPage();
    problems = watch(page);
    await page.goto(`${serve.url}case-studies/alpha-housing/`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('script[data-version]') !== null);
  });

  after(async () => {
    try {
      await browser?.close();
      if (serve) {
        serve.child.kill('SIGINT');
        // Polled: awaiting the 'exit' event alone left node's test runner
        // reporting a promise still pending when its event loop ran dry.
        const deadline = Date.now() + 20_000;
        while (serve.child.exitCode === null && serve.child.signalCode === null && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.equal(serve.child.exitCode, 0, serve.output());
        assert.equal(existsSync(serve.folder), false, `serve left ${serve.folder} behind`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('an edit reloads the open page', async () => {
    await page.evaluate(() => (window.beforeTheEdit = true));
    setLine(root, ALPHA, 'title', 'Alpha finds homes for everyone');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('for everyone'), null, {
      timeout: WAIT,
    });
    assert.equal(await page.evaluate(() => window.beforeTheEdit), undefined, 'the page reloaded');
  });

  test('a broken edit shows its problem over the last good page', async () => {
    setLine(root, ALPHA, 'date', '2021-13-45');
    const overlay = await page.waitForSelector('#practicebank-problems', { timeout: WAIT });
    const text = await overlay.textContent();
    assert.match(text, /content\/case-studies\/alpha-housing\.md:6:7/);
    assert.match(text, /`2021-13-45` is not a real day \[bad-date\]/);
    assert.match(text, /6 \| date: 2021-13-45/);
    assert.match(text, /help: /);
    assert.equal(await overlay.getAttribute('role'), 'alertdialog');
    assert.match(await page.textContent('h1'), /for everyone/, 'the last good build stays underneath');
    await page.screenshot({ path: path.join(artifactsDir(), 'serve-problem-1280.png') });
    const violations = await axe(page);
    assert.deepEqual(violations, [], describeViolations(violations));
  });

  test('saving the fix takes the problem away', async () => {
    setLine(root, ALPHA, 'date', '2021-03-04');
    await page.waitForSelector('#practicebank-problems', { state: 'detached', timeout: WAIT });
  });

  test('a stylesheet edit restyles the page without reloading it', async () => {
    await page.evaluate(() => (window.beforeTheEdit = true));
    mkdirSync(path.join(root, 'themes/default/static'), { recursive: true });
    writeFileSync(path.join(root, 'themes/default/static/style.css'), 'body { background-color: rgb(1, 2, 3); }\n');
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)', null, {
      timeout: WAIT,
    });
    assert.equal(await page.evaluate(() => window.beforeTheEdit), true, 'the page was not reloaded');
  });

  test('a page no change touches stays as it is', async () => {
    const home = await page.context().newPage();
    await home.goto(serve.url, { waitUntil: 'load' });
    await home.waitForFunction(() => document.querySelector('script[data-version]') !== null);
    await home.evaluate(() => (window.beforeTheEdit = true));
    await page.evaluate(() => (window.beforeTheEdit = true));
    const mark = serve.stdout().length;
    const rebuilt = () => /^previewed in .*$[\s\S]*^rebuilt in /m.test(serve.stdout().slice(mark));
    // Alpha's own text: its page and the search index change, the home
    // page's card of it does not.
    setLine(root, ALPHA, 'why', 'Care leavers told Alpha they felt unsafe at night.');
    await page.waitForFunction(() => document.body.textContent.includes('felt unsafe at night'), null, {
      timeout: WAIT,
    });
    assert.equal(await page.evaluate(() => window.beforeTheEdit), undefined, 'the edited page reloaded');
    const deadline = Date.now() + WAIT;
    while (!rebuilt() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(rebuilt(), `no preview, then full build, after the edit:\n${serve.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await home.evaluate(() => window.beforeTheEdit), true, 'the home page was not reloaded');
    // Its title is on the home page's card: that page reloads now.
    setLine(root, ALPHA, 'title', 'Alpha finds homes at night');
    await home.waitForFunction(() => document.body.textContent.includes('Alpha finds homes at night'), null, {
      timeout: WAIT,
    });
    assert.equal(await home.evaluate(() => window.beforeTheEdit), undefined, 'the home page reloaded');
    await home.close();
  });

  test('nothing went wrong in the console', () => {
    // A reload cuts the event stream short; that is not a failure.
    const real = problems().filter((p) => !/request failed: .*\/__practicebank\/events .*ERR_ABORTED/.test(p));
    assert.deepEqual(real, [], `${real.join('\n')}\n${serve.output()}`);
  });
});
