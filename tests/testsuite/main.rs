//! The integration tests: one binary, run with `cargo test --test testsuite`.
//!
//! `check` runs `practicebank check` on the fixture sites under
//! `tests/fixtures/check/` (one folder per kind of bad input), `formats`
//! checks the three report formats and the exit statuses end to end, and
//! `fuzz` feeds arbitrary and mangled files to the validator to show that
//! nothing makes it panic. `build` builds fixture sites under
//! `tests/fixtures/build/` and checks the output: pages, links, feeds, open
//! data, determinism and the staging swap. `new` drives `practicebank new`
//! by flags and through a pseudo-terminal, `schema` holds the JSON Schema to
//! the validator's verdicts, and `changes` runs `check --changed-since` and
//! `--summary` in temporary git repositories and the commands of the GitHub
//! workflows. `serve` runs `practicebank serve` on a free port of 127.0.0.1
//! and drives it over HTTP and its event stream: pages, live reload,
//! failed and fixed builds, rebuilds equal to a full build, path traversal,
//! concurrent load and Ctrl-C. `harness` is the fluent driver they share.

mod build;
mod changes;
mod check;
mod formats;
mod fuzz;
mod harness;
mod new;
mod schema;
mod search;
// Signals, symbolic links and `kill`: Unix only.
#[cfg(unix)]
mod serve;
mod stems;
