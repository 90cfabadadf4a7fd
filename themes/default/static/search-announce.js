// What the search page tells screen readers: one sentence per settled
// search, in the page's status region (role="status", polite), never one
// per keystroke.

/** How long typing must pause before the status region speaks. */
const ANNOUNCE_MS = 1000;
/** How long the region stays empty before the same words are said again. */
const REPEAT_MS = 100;

/**
 * An announcer for `statusEl`: `say(message, when)` puts `message` in the
 * region `now` or `later` (once typing pauses; a later `say` or `cancel`
 * replaces it).
 */
export function createAnnouncer(statusEl) {
  let timer = 0;
  let last = '';

  function speak(message) {
    if (message && message === last) {
      // The same words again (the same search submitted twice): empty the
      // region first so screen readers notice the change.
      statusEl.textContent = '';
      timer = setTimeout(() => {
        statusEl.textContent = message;
      }, REPEAT_MS);
    } else {
      statusEl.textContent = message;
    }
    last = message;
  }

  return {
    say(message, when) {
      clearTimeout(timer);
      if (when === 'later') timer = setTimeout(() => speak(message), ANNOUNCE_MS);
      else speak(message);
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}
