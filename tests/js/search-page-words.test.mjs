// The search page's words and address, without a browser: what it says it
// searched for, its title, the filters in a sentence, and the round trip
// between a search and its address (themes/default/static/search-words.js
// and search-state.js are pure functions of their arguments).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  correctionLine,
  describeFilters,
  expansionLine,
  pageTitle,
  planOf,
  plainText,
} from '../../themes/default/static/search-words.js';
import { addressOf, readAddress } from '../../themes/default/static/search-state.js';

test('a correction replaces each typed word, keeping the rest as typed', () => {
  const line = correctionLine('Safegaurding, training!', [{ typed: 'safegaurding', searched: ['safeguarding'] }]);
  assert.equal(plainText(line), 'Showing results for safeguarding, training!');
  assert.deepEqual(
    line.filter((p) => p.strong).map((p) => p.text),
    ['safeguarding, training!'],
  );
  const several = correctionLine('mealth', [{ typed: 'mealth', searched: ['health', 'wealth', 'meals'] }]);
  assert.equal(plainText(several), 'Showing results for health, wealth or meals');
  assert.equal(correctionLine('housing', []), null);
});

test('an expansion names its phrases and the word as it was typed', () => {
  const line = expansionLine('UASC housing', [{ typed: 'uasc', with: ['unaccompanied asylum seeking children', 'unaccompanied children'] }]);
  assert.equal(plainText(line), 'Also searched for unaccompanied asylum seeking children and unaccompanied children (for UASC)');
  const two = expansionLine('lac pa', [
    { typed: 'lac', with: ['looked after children', 'children in care', 'CiC'] },
    { typed: 'pa', with: ['personal adviser'] },
  ]);
  assert.equal(
    plainText(two),
    'Also searched for looked after children, children in care and CiC (for lac); personal adviser (for pa)',
  );
  assert.equal(expansionLine('housing', []), null);
});

test('a client without plans is a plan with nothing in it', () => {
  assert.deepEqual(planOf([]), { corrections: [], expansions: [] });
  const results = [];
  Object.defineProperty(results, 'plan', { value: { corrections: [{ typed: 'a', searched: ['b'] }], expansions: [] } });
  assert.equal(planOf(results).corrections.length, 1);
});

test('the title follows GOV.UK search pages', () => {
  assert.equal(pageTitle('  housing   help ', 'Practice Bank'), 'housing help \u2013 Search \u2013 Practice Bank');
  assert.equal(pageTitle('', 'Practice Bank'), 'Search \u2013 Practice Bank');
});

test('filters read as a sentence, quoting theme labels that hold an "and"', () => {
  const labels = { themes: { housing: 'Housing and accommodation', education: 'Education and school' }, authorities: { hull: 'Hull' } };
  const labelOf = (list, value) => labels[list][value];
  const state = { themes: ['housing', 'education'], authority: 'hull', survey: '', year: '' };
  assert.equal(
    describeFilters(state, labelOf),
    'in both \u201cHousing and accommodation\u201d and \u201cEducation and school\u201d, from Hull',
  );
});

test('a search and its address make each other, exact only with words', () => {
  const known = (list, value) => value !== 'nowhere';
  const state = readAddress('?q=hosuing&theme=housing&theme=nowhere&theme=housing&authority=hull&exact=1', known);
  assert.deepEqual(state, { q: 'hosuing', themes: ['housing'], exact: true, authority: 'hull', survey: '', year: '' });
  assert.equal(addressOf(state, '/search/'), '/search/?q=hosuing&theme=housing&authority=hull&exact=1');
  assert.equal(readAddress('?exact=1', known).exact, false);
  assert.equal(addressOf({ ...state, q: ' ' }, '/search/'), '/search/?q=+&theme=housing&authority=hull');
});
