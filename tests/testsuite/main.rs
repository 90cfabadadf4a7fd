//! The integration tests: one binary, run with `cargo test --test testsuite`.
//!
//! `check` runs `practicebank check` on the fixture sites under
//! `tests/fixtures/check/` (one folder per kind of bad input), `formats`
//! checks the three report formats and the exit statuses end to end, and
//! `fuzz` feeds arbitrary and mangled files to the validator to show that
//! nothing makes it panic. `harness` is the fluent driver they share.

mod check;
mod formats;
mod fuzz;
mod harness;
