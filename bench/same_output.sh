#!/usr/bin/env bash
# Shows that two builds of critique make the same output, byte for byte: the example site and
# generated sites of each SIZE, built by OLD and NEW on the same day.
#
#   bench/same_output.sh OLD_BINARY NEW_BINARY [SIZE...]     default sizes: 1000 10000
#
# Environment: BENCH_DIR (default /tmp/critique-bench) where generated sites are kept (reused
# when present), SEED (default 42), SOURCE_DATE_EPOCH (default 1798761600, 2027-01-01): the day
# both builds count open questions to, after every generated and example date (a build leaves
# out reviews dated after its day). Exits 1 and prints the first differences if any output
# differs.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY [SIZE...]" >&2; exit 2; }
OLD=$(realpath "$1"); NEW=$(realpath "$2"); shift 2
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
BENCH_DIR=${BENCH_DIR:-/tmp/critique-bench}
SEED=${SEED:-42}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1798761600}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/same-output.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
# The example site's content and configuration alone: the repository's templates/ and static/
# are the theme each binary embeds, not overrides of it.
mkdir -p "$OUT/example-site"
cp -r content critique.toml "$OUT/example-site/"
sites=("example=$OUT/example-site")
for size in "${SIZES[@]}"; do
  site=$BENCH_DIR/site-$size
  if [ ! -f "$site/critique.toml" ]; then
    cargo run --quiet --release --example gen_site -- --reviews "$size" --seed "$SEED" "$site" >/dev/null
  fi
  sites+=("$size=$site")
done
status=0
for entry in "${sites[@]}"; do
  name=${entry%%=*}; site=${entry#*=}
  for which in old new; do
    bin=$OLD; [ "$which" = new ] && bin=$NEW
    "$bin" build --root "$site" --output "$OUT/$name-$which" >/dev/null
    rm -f "$OUT/$name-$which/.critique-output"
  done
  if diff -rq "$OUT/$name-old" "$OUT/$name-new" >"$OUT/diff" 2>&1; then
    echo "$name: identical ($(find "$OUT/$name-new" -type f | wc -l) files)"
  else
    echo "$name: DIFFERENT"; head -20 "$OUT/diff"; status=1
  fi
  rm -rf "$OUT/$name-old" "$OUT/$name-new"
done
exit $status
