#!/usr/bin/env bash
# What the pictures beside pages cost a build: a generated site of REVIEWS reviews built as it
# is, and with PICTURED of its reviews made folders holding a 1600×900 PNG chart and a
# 2400×1600 JPEG photograph, both shown in the body (`examples/gen_pictures.rs`): cold (an
# empty `.critique/cache/`, every copy made) and cached (the copies read back). Social cards
# are off in both sites, so that only the pictures differ.
#
#   bench/images.sh
#
# Environment:
#   BENCH_DIR         where the sites and outputs go (default /tmp/critique-images)
#   CARGO_TARGET_DIR  default /tmp/bench-target, as bench/run.sh
#   REVIEWS           reviews of the generated site (default 1000)
#   PICTURED          reviews given pictures (default 100: 200 images, 800 copies)
#   REPEAT            runs of each measurement, the median reported (default 3)
#
# Each run builds into an empty output folder on /dev/shm and is timed with /usr/bin/time;
# the table (wall and CPU seconds, peak RSS, the `bundles + images` stage of `--timings`) is
# printed and saved as $BENCH_DIR/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/tmp/critique-images}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}
REVIEWS=${REVIEWS:-1000}
PICTURED=${PICTURED:-100}
REPEAT=${REPEAT:-3}

cargo build --release --quiet --bin critique --example gen_site --example gen_pictures
bin="$CARGO_TARGET_DIR/release"
mkdir -p "$BENCH_DIR"
for site in plain pictured; do
  rm -rf "${BENCH_DIR:?}/$site"
  "$bin/examples/gen_site" --reviews "$REVIEWS" --seed 7 "$BENCH_DIR/$site" >/dev/null
  printf '\n[social_cards]\nenabled = false\n' >>"$BENCH_DIR/$site/critique.toml"
done
"$bin/examples/gen_pictures" "$BENCH_DIR/pictured" "$PICTURED"
out=/dev/shm/critique-images-out

# One build of $1 into an empty output: "wall user rss_kb stage_ms".
measure() {
  rm -rf "$out"
  /usr/bin/time -f "%e %U %M" -o "$BENCH_DIR/time" "$bin/critique" build "$1" --output "$out" --timings \
    >"$BENCH_DIR/log" 2>&1
  local stage
  stage=$(awk '/bundles \+ images/ { print $(NF-1) }' "$BENCH_DIR/log")
  echo "$(cat "$BENCH_DIR/time") ${stage:-0}"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The median of REPEAT runs of `measure $1`, after `$2` (a command run before each).
row() {
  local name=$1 site=$2 before=$3 runs=()
  for _ in $(seq "$REPEAT"); do
    eval "$before"
    runs+=("$(measure "$site")")
  done
  local col
  printf '| %s |' "$name"
  for col in 1 2 3 4; do
    printf ' %s |' "$(printf '%s\n' "${runs[@]}" | awk -v c=$col '{ print $c }' | median)"
  done
  printf '\n'
}

{
  echo "| build ($REVIEWS reviews, $PICTURED with 2 pictures) | wall s | CPU s | peak RSS KB | bundles + images ms |"
  echo "|---|---:|---:|---:|---:|"
  row "no pictures" "$BENCH_DIR/plain" ":"
  row "pictures, cold" "$BENCH_DIR/pictured" "rm -rf '$BENCH_DIR/pictured/.critique'"
  row "pictures, cached" "$BENCH_DIR/pictured" ":"
} | tee "$BENCH_DIR/results.md"
echo "copies kept: $(find "$BENCH_DIR/pictured/.critique/cache/images" -type f | wc -l) files, $(du -sh "$BENCH_DIR/pictured/.critique/cache/images" | cut -f1)"
