#!/usr/bin/env python3
"""Prints bench/run.sh's measurements as Markdown tables, with the targets
of issue #6 marked pass or miss. Run by bench/run.sh, not by hand:

    python3 bench/report.py RESULTS_FILE

RESULTS_FILE has one measurement a line: `size<TAB>key<TAB>value`, and
lines `0<TAB>info:<name><TAB>text` about the run. Times are seconds, peak
memory kilobytes (KiB, as /usr/bin/time reports it), sizes bytes.
"""

import sys
from collections import defaultdict

MB = 1_000_000


def load(path):
    sizes = defaultdict(dict)
    info = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            size, key, value = line.rstrip("\n").split("\t", 2)
            if key.startswith("info:"):
                info[key[5:]] = value
            else:
                sizes[int(size)][key] = value
    return dict(sorted(sizes.items())), info


def num(row, key):
    value = row.get(key)
    if value in (None, ""):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def seconds(x):
    if x is None:
        return "—"
    return f"{x:.2f} s" if x >= 0.1 else f"{x * 1000:.0f} ms"


def mem(kib):
    return "—" if kib is None else f"{kib * 1024 / MB:,.0f} MB"


def count(b):
    return "—" if b is None else f"{b:,.0f}"


def ms(x):
    return "—" if x is None else f"{x:.2f} ms"


def ratio(a, b):
    if a is None or not b:
        return "—"
    return f"{a / b:.3f}"


def table(head, rows, left=1):
    """A Markdown table; the first `left` columns are text, the rest figures."""
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---:" if i >= left else "---" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def query_cell(r, who, words):
    """Gzip bytes of a cold query (its result counts are not comparable:
    search-bytes.mjs asks practicebank for 10, Pagefind counts them all)."""
    return count(num(r, f"{who}_cold_{words}"))


def peer_total(r):
    """Hugo then Pagefind, one after the other: times add up, the peak is
    the larger of the two."""
    hw, pw = num(r, "hugo_wall"), num(r, "pagefind_wall")
    hc, pc = num(r, "hugo_cpu"), num(r, "pagefind_cpu")
    hr, pr = num(r, "hugo_rss"), num(r, "pagefind_rss")
    wall = hw + pw if hw is not None and pw is not None else None
    cpu = hc + pc if hc is not None and pc is not None else None
    rss = max(hr, pr) if hr is not None and pr is not None else None
    return wall, cpu, rss


def verdict(ok):
    return "**pass**" if ok else "**miss**"


def main():
    sizes, info = load(sys.argv[1])
    print(f"## practicebank and Hugo {info.get('hugo', '?')} + Pagefind {info.get('pagefind', '?')}")
    print()
    print(
        f"{info.get('date', '?')}; {info.get('machine', '?')}; practicebank at {info.get('commit', '?')}; "
        f"median of {info.get('runs', '?')} runs; load average {info.get('load_start', '?')} at start, "
        f"{info.get('load_end', '?')} at end."
    )
    print()

    rows = []
    for n, r in sizes.items():
        q = [query_cell(r, "ours", w) for w in (1, 3)]
        warm = [num(r, "ours_warm_1"), num(r, "ours_warm_3")]
        warm_text = " / ".join(ms(w) for w in warm)
        rows.append([f"{n:,}", "practicebank build", seconds(num(r, "build_wall")), seconds(num(r, "build_cpu")),
                     mem(num(r, "build_rss")), count(num(r, "build_bytes")), count(num(r, "build_index_bytes")),
                     q[0], q[1], warm_text])
        rows.append([f"{n:,}", "practicebank check", seconds(num(r, "check_wall")), seconds(num(r, "check_cpu")),
                     mem(num(r, "check_rss")), "—", "—", "—", "—", "—"])
        if num(r, "hugo_wall") is None:
            continue  # run with --no-peers
        rows.append([f"{n:,}", "Hugo build", seconds(num(r, "hugo_wall")), seconds(num(r, "hugo_cpu")),
                     mem(num(r, "hugo_rss")), count(num(r, "hugo_bytes")), "—", "—", "—", "—"])
        pq = [query_cell(r, "pf", w) for w in (1, 3)]
        pwarm = " / ".join(ms(num(r, k)) for k in ("pf_warm_1", "pf_warm_3"))
        rows.append([f"{n:,}", "Pagefind over Hugo's output", seconds(num(r, "pagefind_wall")),
                     seconds(num(r, "pagefind_cpu")), mem(num(r, "pagefind_rss")), count(num(r, "pagefind_bytes")),
                     count(num(r, "pagefind_bytes")), pq[0], pq[1], pwarm])
        wall, cpu, rss = peer_total(r)
        hb, pb = num(r, "hugo_bytes"), num(r, "pagefind_bytes")
        total_bytes = hb + pb if hb is not None and pb is not None else None
        rows.append([f"{n:,}", "**Hugo + Pagefind**", seconds(wall), seconds(cpu), mem(rss), count(total_bytes),
                     count(pb), pq[0], pq[1], pwarm])
    print("### Builds and search")
    print()
    print(table(["case studies", "what", "wall time", "CPU (user+sys)", "peak RSS", "output bytes",
                 "search index bytes", "cold query, 1 word (gzip bytes)", "cold query, 3 words (gzip bytes)",
                 "warm query, 1 / 3 words"], rows, left=2))
    print()

    rows = []
    for n, r in sizes.items():
        wall, cpu, rss = peer_total(r)
        hb, pb = num(r, "hugo_bytes"), num(r, "pagefind_bytes")
        total_bytes = hb + pb if hb is not None and pb is not None else None
        rows.append([f"{n:,}", ratio(num(r, "build_wall"), wall), ratio(num(r, "build_cpu"), cpu),
                     ratio(num(r, "build_rss"), rss), ratio(num(r, "build_bytes"), total_bytes),
                     ratio(num(r, "build_index_bytes"), pb), ratio(num(r, "ours_cold_1"), num(r, "pf_cold_1")),
                     ratio(num(r, "ours_cold_3"), num(r, "pf_cold_3"))])
    print("### Ratios, practicebank / (Hugo + Pagefind): below 1 means practicebank is smaller or faster")
    print()
    print(table(["case studies", "wall time", "CPU", "peak RSS", "output bytes", "search index bytes",
                 "cold query, 1 word", "cold query, 3 words"], rows))
    print()

    if any("serve_case" in r for r in sizes.values()):
        rows = []
        for n, r in sizes.items():
            if "serve_case" in r:
                rows.append([f"{n:,}", r["serve_case"], r.get("serve_template", "—"), r.get("serve_css", "—")])
        print("### practicebank serve, from saving a file to the reload event")
        print()
        print(f"Median [min-max] of {info.get('serve_runs', '?')} saves to the reload event; then the median "
              "time until the whole site is built (after a case study's page is previewed, the full build that "
              "follows), with serve's own full-build time in brackets (examples/bench_serve.rs).")
        print()
        print(table(["case studies", "case study edit", "template edit (base.html)", "stylesheet edit"], rows))
        print()

    rows = []
    for n, r in sizes.items():
        wall, cpu, rss = peer_total(r)
        per = lambda x, scale: "—" if x is None else f"{x * scale / n:,.2f}"
        rows.append([f"{n:,}", per(num(r, "build_wall"), 1000), per(num(r, "build_cpu"), 1000),
                     per(num(r, "build_rss"), 1024 / 1000), per(num(r, "check_wall"), 1000),
                     per(num(r, "check_rss"), 1024 / 1000), per(wall, 1000), per(rss, 1024 / 1000)])
    print("### Growth: per case study")
    print()
    print(table(["case studies", "build wall ms", "build CPU ms", "build peak kB", "check wall ms",
                 "check peak kB", "Hugo + Pagefind wall ms", "Hugo + Pagefind peak kB"], rows))
    print()

    print("### Targets (issue #6)")
    print()
    rows = []

    def at(n, label, get):
        r = sizes.get(n)
        if r is None:
            rows.append([label, "—", f"not measured ({n:,} not run)"])
            return
        got = get(r)
        if got is None:
            rows.append([label, "—", "not measured"])
        else:
            text, ok = got
            rows.append([label, text, verdict(ok)])

    def build_time(r):
        wall, _, _ = peer_total(r)
        ours = num(r, "build_wall")
        if ours is None or not wall:
            return None
        return f"{seconds(ours)} vs {seconds(wall)}: 1/{wall / ours:.1f}", ours <= wall / 10

    def build_rss(r):
        rss = num(r, "build_rss")
        return None if rss is None else (mem(rss), rss * 1024 < 300 * MB)

    def query(r):
        ours, theirs = num(r, "ours_cold_1"), num(r, "pf_cold_1")
        if ours is None or not theirs:
            return None
        return f"{count(ours)} vs {count(theirs)} bytes: 1/{theirs / ours:.1f}", ours <= theirs / 5

    def serve(limit):
        def get(r):
            s = num(r, "serve_case_s")
            return None if s is None else (f"{s * 1000:.0f} ms", s * 1000 < limit)
        return get

    def check(r):
        s = num(r, "check_wall")
        return None if s is None else (seconds(s), s < 1)

    at(10000, "10k full build ≤ 1/10 of Hugo + Pagefind's wall time", build_time)
    at(10000, "10k full build peak RSS < 300 MB", build_rss)
    at(10000, "10k cold one-word query ≤ 1/5 of Pagefind's gzip bytes", query)
    for n, r in sizes.items():
        warm = [w for w in (num(r, "ours_warm_1"), num(r, "ours_warm_3")) if w is not None]
        if warm:
            rows.append([f"warm query < 10 ms ({n:,}, slower of the two queries)", ms(max(warm)),
                         verdict(max(warm) < 10)])
    if info.get("serve") != "skipped":
        at(10000, "10k serve, case study edit → reload < 200 ms", serve(200))
        at(1000, "1k serve, case study edit → reload < 50 ms", serve(50))
    else:
        rows.append(["serve edit → reload < 200 ms (10k), < 50 ms (1k)", "—", "skipped (--no-serve)"])
    at(10000, "10k check < 1 s", check)
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        for key, label in (("build_wall", "wall time"), ("build_rss", "peak RSS")):
            a, b = num(sizes[small], key), num(sizes[large], key)
            if a is None or b is None:
                continue
            growth = (b / large) / (a / small)
            rows.append([f"linear growth {small:,} → {large:,}: build {label} per case study at most 1.5× the smaller size's",
                         f"×{growth:.2f}", verdict(growth <= 1.5)])
    else:
        rows.append(["linear growth 1k → 100k", "—", "needs two sizes or more"])
    print(table(["target", "measured", "result"], rows, left=3))
    for key in ("hugo_warnings",):
        if info.get(key):
            print()
            print(f"Hugo warned: {info[key]}")


if __name__ == "__main__":
    main()
