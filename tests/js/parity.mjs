// Runs the browser search client in Node over a built site's static index
// and compares it with expectations written by tests/testsuite/search.rs:
// tantivy's own top 10 (same documents in the same order, runs of
// near-equal scores as sets, scores within 4 ulp), the plan and match count
// of `practicebank search`, and the exact objects it prints with --json. Usage: node parity.mjs SITE EXPECTATIONS
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [site, expectationsFile] = process.argv.slice(2);
const { createSearch } = await import(pathToFileURL(path.join(site, 'search', 'practicebank-search.js')).href);
const expectations = JSON.parse(await readFile(expectationsFile, 'utf8'));
const base = expectations.base_url;

async function fetchFromDisk(url) {
  const file = path.join(site, decodeURIComponent(url.slice(base.length)));
  try {
    const text = await readFile(file, 'utf8');
    return { ok: true, status: 200, json: async () => JSON.parse(text) };
  } catch {
    return { ok: false, status: 404, json: async () => null };
  }
}

const bitsOf = (x) => {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return view.getUint32(0);
};
const close = (a, b) => Math.abs(bitsOf(a) - bitsOf(b)) <= 4;

const client = createSearch({ baseUrl: base, fetch: fetchFromDisk });
const failures = [];
for (const c of expectations.cases) {
  const filters = {};
  if (c.filters.themes.length) filters.themes = c.filters.themes;
  for (const key of ['authority', 'survey', 'year']) if (c.filters[key] !== null) filters[key] = c.filters[key];
  const got = await client.search(c.query, { filters, limit: 20, exact: c.exact });
  const ref = c.reference;
  const label = `${JSON.stringify(c.query)} ${JSON.stringify(filters)}${c.exact ? ' exact' : ''}`;
  const sorted = (value) => JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));
  if (sorted(got.plan) !== sorted(c.plan)) {
    failures.push(`${label}: plan ${JSON.stringify(got.plan)}, practicebank search ${JSON.stringify(c.plan)}`);
  }
  if (got.total !== c.total) failures.push(`${label}: ${got.total} matched, practicebank search ${c.total}`);
  const top = 10;
  if (Math.min(got.length, top) !== Math.min(ref.length, top)) {
    failures.push(`${label}: ${got.length} results, tantivy ${ref.length}`);
    continue;
  }
  for (let i = 0; i < Math.min(got.length, top); ) {
    if (!close(got[i].score, ref[i].score)) {
      failures.push(`${label}: score at ${i} is ${got[i].score}, tantivy ${ref[i].score}`);
      break;
    }
    let j = i + 1;
    while (j < got.length && j < ref.length && close(got[j].score, got[i].score)) j++;
    if (j < top) {
      const a = got.slice(i, j).map((r) => r.slug).sort();
      const b = ref.slice(i, j).map((r) => r.slug).sort();
      if (a.join() !== b.join()) {
        failures.push(`${label}: results ${i}..${j} are ${a}, tantivy ${b}`);
        break;
      }
    }
    i = j;
  }
  const canonical = (objects) => JSON.stringify(objects.map((o) => Object.fromEntries(Object.entries(o).sort())));
  const mine = canonical(got.slice(0, 10));
  const cli = canonical(c.cli);
  if (mine !== cli) failures.push(`${label}: differs from practicebank search --json\n  client: ${mine.slice(0, 400)}\n  cli:    ${cli.slice(0, 400)}`);
}
if (failures.length) {
  console.error(`${failures.length} of ${expectations.cases.length} cases disagree:\n${failures.slice(0, 20).join('\n')}`);
  process.exit(1);
}
console.log(`${expectations.cases.length} cases agree with tantivy and with practicebank search`);
