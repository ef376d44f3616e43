#!/usr/bin/env bash
# Times `critique build` on the basic test site with one hostile review of ~7.9 MB added (the
# file limit is 8 MB), against the same site without it: the bound is 2 s and 300 MB of peak
# RSS more than the site without the file.
#
#   bench/hostile_fields.sh
#
# Cases (the review's body, or its front matter):
#   plain      prose, for comparison
#   raw-html   inline raw HTML with event handlers and javascript: links (fails: unsafe-html)
#   md-links   Markdown links to javascript: and images from data:text/html (fails: unsafe-link)
#   html-block one HTML block of harmless tags with attributes and character references
#   escapes    an answer of one double-quoted string full of escapes (the second reading of
#              the front matter that looks for control characters written as escapes)
#
# Environment: BENCH_DIR (default /tmp/critique-bench-fields), CARGO_TARGET_DIR (default
# /tmp/bench-target), REPEAT (timed runs per case, the best is reported; default 3).
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/tmp/critique-bench-fields}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}
REPEAT=${REPEAT:-3}
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

cargo build --release --quiet
BIN=$CARGO_TARGET_DIR/release/critique
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"

python3 - "$BENCH_DIR" tests/sites/basic <<'EOF'
import shutil, sys
out, fixture = sys.argv[1], sys.argv[2]
head = "---\ntitle: Big\nproject: widget\nauthor: A\ndate: 2026-11-10\nverdict: good\n---\n"
size = 7_900_000
def fill(line):
    return line * (size // len(line))
cases = {
    "none": None,
    "plain": head + fill("The quick brown fox jumps over the lazy dog and keeps running on.\n"),
    "raw-html": head + fill("<p>x <a href=\"javascript:x\" onclick=\"y\">z</a> <img src=x onerror=y></p>\n\n"),
    "md-links": head + fill("[a](javascript:alert(1)) ![b](data:text/html,x) [c](https://e.org/)\n\n"),
    "html-block": head + "<div>\n" + fill("<span title=\"a\" data-x='b' class=c>text &#106; &amp;</span>\n") + "</div>\n",
    "escapes": head.replace("verdict: good\n", "verdict: good\nquestions:\n  - ask: Q?\n    status: answered\n"
        + '    answer: "' + fill("caf\\u00e9\\t\\\\ \\x41 ") + '"\n') + "Body.\n",
}
for name, text in cases.items():
    shutil.copytree(fixture, f"{out}/{name}")
    if text is not None:
        with open(f"{out}/{name}/content/reviews/big.md", "w") as f:
            f.write(text)
EOF

printf '| case | exit | wall (s) | peak RSS (MB) |\n|---|---|---|---|\n' | tee "$BENCH_DIR/results.md"
for case in none plain raw-html md-links html-block escapes; do
  best_wall=; best_rss=
  for _ in $(seq "$REPEAT"); do
    rm -rf "$BENCH_DIR/$case/public"
    # A hostile case fails the build on purpose; its exit status is in the table.
    /usr/bin/time -v -o "$BENCH_DIR/$case.time" "$BIN" build --root "$BENCH_DIR/$case" >/dev/null 2>&1 || true
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$BENCH_DIR/$case.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$BENCH_DIR/$case.time")
    if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then best_wall=$wall; fi
    if [ -z "$best_rss" ] || [ "$rss" -lt "$best_rss" ]; then best_rss=$rss; fi
  done
  code=$(awk -F': ' '/Exit status/ { print $2 }' "$BENCH_DIR/$case.time")
  printf '| %s | %s | %s | %s |\n' "$case" "$code" "$best_wall" "$best_rss" | tee -a "$BENCH_DIR/results.md"
done
