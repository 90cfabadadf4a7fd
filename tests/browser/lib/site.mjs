// A built site served and opened in Chromium, for a test file's suite:
// `servedSite('PRACTICEBANK_SITE')` inside a `describe` starts the server
// and the browser before its tests and stops them after, and gives the
// tests fresh pages to work in.

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from './server.mjs';
import { baseUrlOf, builtSite, launch, newContext, watch } from './browser.mjs';

/**
 * The site built into the folder `$variable` names, served under its
 * base_url's path (as it will be published, so relative links are tested
 * away from the host's root). `server` and `browser` are set once the
 * suite's `before` hook has run.
 */
export function servedSite(variable) {
  const folder = builtSite(variable);
  const baseUrl = baseUrlOf(folder);
  const site = {
    folder,
    baseUrl,
    server: null,
    browser: null,

    /** A browser context whose requests stay on this site (`newContext`). */
    context(options) {
      return newContext(site.browser, Object.assign({ server: site.server, baseUrl }, options));
    },

    /**
     * A fresh page `width` px wide (and `height` px high, or `newContext`'s
     * default), with or without JavaScript, that `fn(page,
     * context)` works in; afterwards nothing may have gone wrong on it
     * (console errors, uncaught exceptions, failed requests, unless
     * `allowProblems`) and nothing may have been fetched from elsewhere or
     * by absolute address (the site must work at any path).
     */
    async withPage({ width = 1280, height, javaScriptEnabled = true, allowProblems = false } = {}, fn) {
      const context = await site.context({ width, height, javaScriptEnabled });
      try {
        const page = await context.newPage();
        const problems = watch(page);
        await fn(page, context);
        if (!allowProblems) assert.deepEqual(problems(), [], 'console errors, exceptions or failed requests');
        assert.deepEqual(context.offsite, [], 'fetched from outside the site');
        assert.deepEqual(context.absolute, [], 'fetched by absolute address (the site must work at any path)');
      } finally {
        await context.close();
      }
    },
  };

  before(async () => {
    site.server = await serve(folder, { prefix: new URL(baseUrl).pathname });
    site.browser = await launch();
  });

  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });

  return site;
}
