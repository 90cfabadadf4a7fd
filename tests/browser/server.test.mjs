// The test server itself (lib/server.mjs): the browser tests are only as
// good as the host they load pages from.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from './lib/server.mjs';

describe('static server', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'pb-server-'));
  const site = path.join(root, 'site');
  let server;

  before(async () => {
    mkdirSync(path.join(site, 'themes', 'housing'), { recursive: true });
    mkdirSync(path.join(site, 'assets'));
    writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>home</title>');
    writeFileSync(path.join(site, 'themes', 'housing', 'index.html'), '<!doctype html><title>housing</title>');
    writeFileSync(path.join(site, '404.html'), '<!doctype html><title>not found</title>');
    writeFileSync(path.join(site, 'assets', 'style.abc.css'), 'body{}');
    writeFileSync(path.join(site, 'assets', 'site.abc.js'), ';');
    writeFileSync(path.join(site, 'atom.xml'), '<feed/>');
    writeFileSync(path.join(site, 'data.json'), '{}');
    writeFileSync(path.join(site, 'figures.csv'), 'a,b\n');
    writeFileSync(path.join(site, 'chart.svg'), '<svg/>');
    writeFileSync(path.join(site, 'odd name.pdf'), '%PDF');
    writeFileSync(path.join(root, 'secret.txt'), 'outside the site');
    symlinkSync(path.join(root, 'secret.txt'), path.join(site, 'link.txt'));
    server = await serve(site, { prefix: '/bank/' });
  });

  after(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (p, method = 'GET') => fetch(`${server.origin}${p}`, { method, redirect: 'manual' });

  test('listens on 127.0.0.1 with a port the system chose', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/bank\/$/);
    assert.notEqual(server.port, 0);
  });

  test('serves index.html for folders', async () => {
    const home = await get('/bank/');
    assert.equal(home.status, 200);
    assert.equal(home.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await home.text(), /<title>home<\/title>/);
    const theme = await get('/bank/themes/housing/');
    assert.match(await theme.text(), /<title>housing<\/title>/);
  });

  test('redirects a folder without its trailing slash', async () => {
    const response = await get('/bank/themes/housing');
    assert.equal(response.status, 301);
    assert.equal(response.headers.get('location'), '/bank/themes/housing/');
    assert.equal((await get('/bank')).headers.get('location'), '/bank/');
  });

  test('answers a missing page with 404.html and status 404', async () => {
    for (const p of ['/bank/nope/', '/bank/assets/nope.css', '/elsewhere/', '/']) {
      const response = await get(p);
      assert.equal(response.status, 404, p);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(await response.text(), /not found/);
    }
  });

  test('sends the right content types, and nosniff', async () => {
    const expected = {
      '/bank/assets/style.abc.css': 'text/css; charset=utf-8',
      '/bank/assets/site.abc.js': 'text/javascript; charset=utf-8',
      '/bank/atom.xml': 'application/xml; charset=utf-8',
      '/bank/data.json': 'application/json; charset=utf-8',
      '/bank/figures.csv': 'text/csv; charset=utf-8',
      '/bank/chart.svg': 'image/svg+xml',
      '/bank/odd%20name.pdf': 'application/pdf',
    };
    for (const [p, type] of Object.entries(expected)) {
      const response = await get(p);
      assert.equal(response.status, 200, p);
      assert.equal(response.headers.get('content-type'), type, p);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', p);
      await response.arrayBuffer();
    }
  });

  test('HEAD has headers and no body', async () => {
    const response = await get('/bank/data.json', 'HEAD');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), '2');
    assert.equal(await response.text(), '');
  });

  test('never serves a file outside the folder', async () => {
    for (const p of ['/bank/../secret.txt', '/bank/%2e%2e/secret.txt', '/bank/..%2fsecret.txt', '/bank/link.txt']) {
      const response = await get(p);
      assert.equal(response.status, 404, p);
      assert.doesNotMatch(await response.text(), /outside the site/, p);
    }
  });

  test('refuses methods other than GET and HEAD', async () => {
    const response = await get('/bank/', 'POST');
    assert.equal(response.status, 405);
  });
});
