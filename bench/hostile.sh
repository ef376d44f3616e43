#!/usr/bin/env bash
# Builds the example site with one hostile file added, one case at a time, and prints each
# build's wall time and peak RSS beside the example site's own: work must stay linear in the
# input, so every case stays within 2 s and 300 MB of the base site.
#
#   bench/hostile.sh [CASE...]      default: every case (see `cases` below)
#
# Environment:
#   BENCH_DIR         where the sites, outputs and logs go (default /tmp/critique-hostile)
#   CARGO_TARGET_DIR  default /tmp/bench-target, as bench/run.sh
#   CRITIQUE          a critique binary to measure instead of building one (to compare two
#                     versions on the same host, one after the other)
#   BODY_BYTES        the size of each hostile body (default 8 MiB less 4 KiB: files are
#                     limited to 8 MiB, and the front matter takes the rest)
#   MAX_SECONDS       a build is stopped after this long (default 120) and reported as such
#   MAX_MB            a build may map at most this much memory (default 4096, `ulimit -v`): an
#                     unbounded build would otherwise take the machine's memory (one old
#                     version's wide tables reached 23 GB before the kernel killed it)
#
# Each hostile file is one review (valid front matter) whose body is the case's pattern
# repeated up to BODY_BYTES. A build that fails (broken links) is measured all the same: its
# exit code is in the table. The table is printed and saved as $BENCH_DIR/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/tmp/critique-hostile}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}
BODY_BYTES=${BODY_BYTES:-$((8 * 1024 * 1024 - 4096))}
MAX_SECONDS=${MAX_SECONDS:-120}
MAX_MB=${MAX_MB:-4096}

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi
if [ -z "${CRITIQUE:-}" ]; then
  echo "building critique (release)" >&2
  cargo build --release --quiet --bin critique
  CRITIQUE=$CARGO_TARGET_DIR/release/critique
fi
mkdir -p "$BENCH_DIR/log"

# repeat TEXT: TEXT over and over, cut at BODY_BYTES.
repeat() { yes -- "$1" | head -c "$BODY_BYTES" || true; }
# repeat_inline TEXT: the same without line ends.
repeat_inline() { yes -- "$1" | tr -d '\n' | head -c "$BODY_BYTES" || true; }
# times N TEXT: TEXT (and a line end) N times.
times() { local lines; lines=$(printf "%s\n" "$2" | wc -l); yes -- "$2" | head -n $(($1 * lines)) || true; }
# times_inline N TEXT: TEXT N times on one line.
times_inline() { yes -- "$2" | head -n "$1" | tr -d '\n' || true; }
# The most marks (line ends and Markdown punctuation outside fenced code, a heading 16 more,
# a table row as many more as its columns) a body may hold: markdown::MAX_MARKS, less a margin.
MARKS=495000

# Each case writes a body on stdout: 8 MB of one pattern, or (`*_max`) as much of it as the
# bounds on Markdown structure accept.
case_headings() { repeat $'## Same\n'; }                       # 930,000 identical headings
case_headings_max() { times $((MARKS / 18)) $'## Same\n'; }    # a heading line 1 + 16, a blank line 1
case_explicit_ids() { repeat $'## Same {#same}\n'; }           # every heading claims one id
case_short_lines() { repeat 'x'; }                             # one paragraph of 4 M lines
case_short_lines_max() { times "$MARKS" 'x'; }
case_paragraphs() { repeat $'x\n'; }                           # 2.8 M paragraphs
case_fenced_block() {                                          # one block in a highlighted language
  printf '```rust\n'
  BODY_BYTES=$((BODY_BYTES - 16)) repeat '    let total = items.iter().map(|x| x * 2).sum::<u64>(); // "sum"'
  printf '\n```\n'
}
case_fenced_blocks() { repeat $'```rust\nfn f() -> u8 { 1 }\n```\n'; }   # 290,000 small blocks
case_fenced_blocks_max() { times $((MARKS / 11)) $'```rust\nfn f() -> u8 { 1 }\n```\n'; }
case_nested_lists() { repeat_inline '- '; echo x; }              # list markers, each inside the last
case_indented_lists() {                                        # one marker a line, each indented deeper
  awk -v max="$BODY_BYTES" 'BEGIN { pad = ""; total = 0; while (total < max) { line = pad "- x"; total += length(line) + 1; if (total > max) break; print line; pad = pad "  " } }'
}
case_nested_quotes() { repeat_inline '> '; echo x; }
case_quotes_lazy_max() { times_inline 32 '>'; echo ' x'; times $((MARKS - 2)) 'x'; }   # as deep as allowed, then lazy lines
case_brackets() { repeat_inline '['; }                         # unclosed link openers
case_brackets_max() { times_inline "$MARKS" '['; }
case_emphasis() { repeat_inline '*a _b '; }                    # unmatched delimiters
case_emphasis_max() { times_inline $((MARKS / 2)) '*a _b '; }
case_table() {                                                 # one wide header, then short rows
  awk -v cols=20000 -v max="$BODY_BYTES" 'BEGIN {
    h = ""; d = ""; for (i = 0; i < cols; i++) { h = h "|a"; d = d "|-" }
    print h "|"; print d "|"; total = length(h) * 2 + 4
    while (total < max) { print "x"; total += 2 } }'
}
case_wide_tables() {                                           # many tables of 1,000 columns and 262 rows
  awk -v max="$BODY_BYTES" 'BEGIN {
    h = ""; d = ""; for (i = 0; i < 1000; i++) { h = h "|a"; d = d "|-" }
    total = 0; while (total < max) { print h "|"; print d "|"; for (i = 0; i < 262; i++) print "x"; print ""; total += 4 * 1000 + 4 + 2 * 262 + 1 } }'
}
case_wide_tables_max() {                                       # one table of 1,000 columns, as many rows as accepted
  awk -v rows=$(((MARKS - 4006) / 1003)) 'BEGIN {
    h = ""; d = ""; for (i = 0; i < 1000; i++) { h = h "|a"; d = d "|-" }
    print h "|"; print d "|"; for (i = 0; i < rows; i++) print "x" }'
}
case_broken_links() { awk -v max="$BODY_BYTES" 'BEGIN { total = 0; for (i = 0; total < max; i++) { line = "[l](/nowhere-" i "/)"; total += length(line) + 1; if (total > max) break; print line } }'; }
case_broken_links_max() { BODY_BYTES=$((MARKS / 4 * 20)) case_broken_links; }            # 4 marks a line
case_footnotes() { awk -v max="$BODY_BYTES" 'BEGIN { total = 0; for (i = 0; total < max; i++) { line = "a[^" i "]\n\n[^" i "]: n\n"; total += length(line) + 1; if (total > max) break; print line } }'; }
case_footnotes_max() { BODY_BYTES=$((MARKS / 8 * 20)) case_footnotes; }                   # 8 marks a note
case_catastrophic_code() {                                     # short lines some grammars backtrack on for seconds
  for language in cpp clojure php; do
    printf '```%s\n' "$language"
    case $language in
      cpp) times_inline 150 '#['; echo ;;
      clojure) times 40 "$(times_inline 30 '^')" ;;
      php) times 40 "$(times_inline 30 '$')" ;;
    esac
    printf '```\n\n'
  done
}
case_one_word() { repeat_inline 'a'; }                         # one 8 MB word for search and counts
case_words() { repeat 'lorem ipsum dolor sit amet consectetur adipiscing elit'; }   # one 8 MB paragraph
case_distinct_words() {                                        # 930,000 distinct words for the search index
  awk -v max="$BODY_BYTES" 'BEGIN { total = 0; for (i = 0; ; i++) { w = sprintf("w%x", i); total += length(w) + 1; if (i % 16 == 15) total++; if (total > max) break; printf "%s ", w; if (i % 16 == 15) print "" } }'
}
case_hashtags() { seq 1 2000000 | awk '{printf "#t%d ", $1}' | head -c "$BODY_BYTES" || true; }   # promotion density
case_phrases() { repeat 'next breakout next breakout next breakout'; }    # 600,000 promotion phrases
case_ticker() { repeat '$SYM USDT Price: 0.05 USDT 24H Change: +9% Volume: 7M'; }   # 900,000 price read-outs
case_raw_html_max() { times $((MARKS / 24)) '<div title="a"><b onclick="f()">x</b><!-- c --></div>'; }   # the per-piece scan
case_raw_html_nested() { printf '<div>\n\n'; times_inline 9990 '<div>'; echo x; }   # nested as deep as the reading takes
case_raw_html_formatting() {                                   # formatting elements reopened at each paragraph
  printf '<div>\n\n'; for ((i = 0; i < 4990; i++)); do printf '<b id=%d>' "$i"; done
  times_inline 2490 '<p>x</p>x'; echo
}
case_raw_html_formatting_attrs() {                             # nested formatting elements the parser compares, with attributes
  printf '<div>\n\n'; for ((i = 0; i < 3500; i++)); do printf '<b id=%d a b c d e f g h i j>' "$i"; done
  times_inline 3500 '</b>'; echo
}
case_raw_html_reopened() {                                     # formatting elements with many attributes, reopened at each paragraph
  printf '<div>\n\n'; for ((i = 0; i < 50; i++)); do printf '<b'; seq 1 250 | awk -v i="$i" '{printf " a%d_%d", i, $1}'; printf '>'; done
  times_inline 3000 '<p>x'; echo
}
case_raw_html_browser() {                                      # 1 MB: also read as a browser reads it
  BODY_BYTES=$((1024 * 1024 - 4096)) repeat '<p><b><i><u><s><a href="/x" title="t">x</a> <table><td><svg><title><b onclick=f()>'
}

# Cases whose hostile part is the front matter (the body is one line): each prints the lines
# to add to the front matter.
matter_answers() {                                             # 500 questions, 16 KB answers each
  local answer
  answer=$(yes 'The answer says what was measured and how, with a link to [the data](https://example.org/d).' | head -c 16000 | tr '\n' ' ' || true)
  echo 'questions:'
  for ((i = 0; i < 500; i++)); do printf '  - ask: Question %d?\n    status: answered\n    answer: "%s"\n' "$i" "$answer"; done
}
matter_answer_links() {                                        # 500 answers of broken links
  local answer
  answer=$(for ((i = 0; i < 300; i++)); do printf "[l](/gone-%d/) " "$i"; done)
  echo 'questions:'
  for ((i = 0; i < 500; i++)); do printf '  - ask: Question %d?\n    status: answered\n    answer: "%s"\n' "$i" "$answer"; done
}
matter_tags() { printf 'tags: ['; seq 1 100000 | awk '{printf "t%d, ", $1}'; echo 't]'; }   # 100,000 tags
matter_yaml_nodes() { echo 'revisions:'; yes '  - { date: 2026-09-01, note: n }' | head -c "$BODY_BYTES" | head -n -1 || true; }

CASES=(headings headings_max explicit_ids short_lines short_lines_max paragraphs fenced_block fenced_blocks
  fenced_blocks_max nested_lists indented_lists nested_quotes quotes_lazy_max brackets brackets_max emphasis
  emphasis_max table wide_tables wide_tables_max broken_links broken_links_max footnotes footnotes_max catastrophic_code one_word
  words distinct_words hashtags phrases ticker raw_html_max raw_html_nested raw_html_formatting raw_html_formatting_attrs raw_html_reopened raw_html_browser answers answer_links tags yaml_nodes toml_values)
[ $# -gt 0 ] && CASES=("$@")

FRONT='---
title: A hostile review
project: ferrymesh
author: Hostile Writer
date: 2026-10-01
verdict: misleading
scores: { cost: 4, speed: 5, reliability: 3, ease: 6, decentralization: 5, accountability: 4 }
---
'

# The TOML case: a million scores for axes that do not exist, 8 MB of them.
toml_values() {
  printf '+++\ntitle = "A hostile review"\nproject = "ferrymesh"\nauthor = "Hostile Writer"\n'
  printf 'date = 2026-10-01\nverdict = "misleading"\n[scores]\n'
  seq 1 2000000 | awk '{print "x" $1 " = 1"}' | head -c "$BODY_BYTES" | head -n -1 || true
  printf '+++\nA body.\n'
}

wall_of() {
  awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0
    for (i = 1; i <= n; i++) s = s * 60 + p[i]
    printf "%.2f", s }' "$1"
}
rss_mb_of() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }

# site NAME: a copy of the example site in $BENCH_DIR/site-NAME.
site() {
  local dir=$BENCH_DIR/site-$1
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -r content critique.toml "$dir/"
  echo "$dir"
}

# measure NAME DIR: builds DIR under /usr/bin/time -v; prints "wall rss exit".
measure() {
  local name=$1 dir=$2 status=0
  rm -rf "$BENCH_DIR/out-$name"
  (
    ulimit -v $((MAX_MB * 1024))
    timeout "$MAX_SECONDS" /usr/bin/time -v -o "$BENCH_DIR/log/$name.time" \
      "$CRITIQUE" build --root "$dir" --output "$BENCH_DIR/out-$name"
  ) >"$BENCH_DIR/log/$name.out" 2>&1 || status=$?
  if [ "$status" = 124 ]; then
    echo "timeout - $status"
  else
    echo "$(wall_of "$BENCH_DIR/log/$name.time") $(rss_mb_of "$BENCH_DIR/log/$name.time") $status"
  fi
}

echo "base site" >&2
read -r base_wall base_rss base_status < <(measure base "$(site base)")
ROWS=("| base (example site) | - | $base_wall | $base_rss | - | - | $base_status |")
for name in "${CASES[@]}"; do
  dir=$(site "$name")
  file=$dir/content/reviews/hostile.md
  if declare -F "case_$name" >/dev/null; then
    { printf '%s' "$FRONT"; "case_$name"; } >"$file"
  elif declare -F "matter_$name" >/dev/null; then
    { printf '%s' "${FRONT%$'---\n'}"; "matter_$name"; printf -- '---\nA body.\n'; } >"$file"
  else
    toml_values >"$file"
  fi
  bytes=$(stat -c %s "$dir/content/reviews/hostile.md")
  echo "$name ($bytes bytes)" >&2
  read -r wall rss status < <(measure "$name" "$dir")
  if [ "$wall" = timeout ]; then
    ROWS+=("| $name | $bytes | over ${MAX_SECONDS} | - | - | - | stopped |")
  else
    ROWS+=("| $name | $bytes | $wall | $rss | $(awk -v a="$wall" -v b="$base_wall" 'BEGIN {printf "%+.2f", a - b}') | $(awk -v a="$rss" -v b="$base_rss" 'BEGIN {printf "%+d", a - b}') | $status |")
  fi
  rm -rf "$dir" "$BENCH_DIR/out-$name"
done

{
  echo "critique ${BENCH_LABEL:-$(git describe --always --dirty 2>/dev/null || echo '?')}: \`critique build\` of the example site with one hostile review"
  echo
  echo "| case | file (bytes) | wall (s) | peak RSS (MB) | wall over base (s) | RSS over base (MB) | exit |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$BENCH_DIR/results.md"
