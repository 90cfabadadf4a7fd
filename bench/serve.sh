#!/usr/bin/env bash
# serve benchmark, run by hand (not in CI or the test suite): for generated
# sites of 1,000 and 10,000 case studies (kept in bench/work/), the time from
# saving a case study, the base template or the stylesheet to the event that
# reloads (or restyles) open pages, with serve's own rebuild time; a second
# save of a case study while the full build after the first runs; and a
# full build for scale. Prints a Markdown table.
#
#   bash bench/serve.sh [--sizes 1000,10000] [--runs 5]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bins --example bench_serve
target/release/examples/bench_serve "$@"
