// Measures what a cold search downloads and how fast a warm one answers,
// for practicebank's static index and, when given, Pagefind's, on the same
// built site. Bytes are gzip-compressed (level 6) as a web server would
// send them, counted by our own server, for every request a fresh headless
// Chromium page makes to run the query and get the top 10 results'
// display data. Run by bench/search.sh, not by the test suite.
//
//   node bench/search-bytes.mjs SITE_DIR [PAGEFIND_SITE_DIR]
//
// Prints a JSON array of rows `{engine, query, results, coldBytes, warmMs,
// files}`, `files` being each file the cold query fetched with its gzip
// bytes, in the order they were asked for.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const [siteDir, pagefindDir] = process.argv.slice(2);
const QUERIES = {
  'one word': 'housing',
  'three words': 'care leavers apprenticeships',
  'one typo': 'hosuing',
  'one glossary expansion': 'uasc',
};
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.wasm': 'application/wasm' };

function serve(root, pages) {
  let files = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (pages[url.pathname]) {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(pages[url.pathname]);
    }
    const file = path.join(root, decodeURIComponent(url.pathname));
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = gzipSync(await readFile(file), { level: 6 });
      files.push({ path: url.pathname, bytes: body.length });
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-encoding': 'gzip' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: server.address().port, take: () => { const f = files; files = []; return f; } }),
    ),
  );
}

const ours = `<!doctype html><title>b</title><script type="module">
import { createSearch } from '/search/practicebank-search.js';
const client = createSearch({ baseUrl: location.origin + '/' });
window.run = async (q) => { const r = await client.search(q, { limit: 10 }); return r.length; };
window.time = async (q, n) => { const t = performance.now(); for (let i = 0; i < n; i++) await client.search(q, { limit: 10 }); return (performance.now() - t) / n; };
window.ready = true;
</script>`;
const theirs = `<!doctype html><title>b</title><script type="module">
const pagefind = await import('/pagefind/pagefind.js');
await pagefind.init();
window.run = async (q) => { const r = await pagefind.search(q); await Promise.all(r.results.slice(0, 10).map((x) => x.data())); return r.results.length; };
window.time = async (q, n) => { const t = performance.now(); for (let i = 0; i < n; i++) { const r = await pagefind.search(q); await Promise.all(r.results.slice(0, 10).map((x) => x.data())); } return (performance.now() - t) / n; };
window.ready = true;
</script>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const rows = [];
for (const [engine, dir, page] of [['practicebank', siteDir, ours], ['pagefind', pagefindDir, theirs]]) {
  if (!dir) continue;
  const { server, port, take } = await serve(dir, { '/bench.html': page });
  for (const [label, query] of Object.entries(QUERIES)) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    take();
    await tab.goto(`http://127.0.0.1:${port}/bench.html`);
    await tab.waitForFunction(() => window.ready === true);
    const found = await tab.evaluate((q) => window.run(q), query);
    // Everything since the page opened: scripts, manifest, shards, data.
    const files = take();
    const cold = files.reduce((sum, file) => sum + file.bytes, 0);
    const ms = await tab.evaluate((q) => window.time(q, 20), query);
    rows.push({ engine, query: label, results: found, coldBytes: cold, warmMs: ms, files });
    await context.close();
  }
  server.close();
}
await browser.close();
console.log(JSON.stringify(rows));
