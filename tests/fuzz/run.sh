#!/bin/bash
# tests/fuzz/run.sh [-t SECONDS] [HARNESS...] - build the libFuzzer harnesses
# (clang, -fsanitize=fuzzer,address,undefined) and run each for a bounded time.
#
#   tests/fuzz/run.sh                 all seven harnesses, 60 s each
#   tests/fuzz/run.sh -t 300 parser   one harness, five minutes
#   FUZZ_TIME=10 tests/fuzz/run.sh    the default time from the environment
#   meson compile -C build-fuzz fuzz  the same, as a meson run target
#
# Harnesses: parser markdown json bibtex opml epub anki. The build directory
# is $FUZZ_BUILD (default build-fuzz; under `meson compile` the current one).
# Each harness keeps a growing corpus in BUILD/fuzz-corpus/NAME, seeded from
# seeds/, tests/corpus/real, tests/fuzz/corpus and tests/hostile/inputs, and
# writes crashing inputs to BUILD/fuzz-artifacts/NAME/. Prints executions and
# coverage (edges reached / instrumented edges) per harness and in total;
# exits 1 when any harness found a crash, a leak, a timeout or an oracle
# failure (then turn the artifact into a tests/hostile regression test).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${FUZZ_TIME:-60}
if [ "${1:-}" = -t ]; then
  secs=$2
  shift 2
fi
all=(parser markdown json bibtex opml epub anki)
names=("$@")
[ ${#names[@]} -eq 0 ] && names=("${all[@]}")
build=${FUZZ_BUILD:-${MESON_BUILD_ROOT:-$src/build-fuzz}}

if [ ! -f "$build/build.ninja" ]; then
  CC=${CC:-clang} meson setup "$build" "$src" -Dfuzz=true \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized \
    -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all" >/dev/null
fi
if [ -z "${MESON_BUILD_ROOT:-}" ]; then # not already inside `meson compile`
  meson compile -C "$build" fuzzers >/dev/null
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
total_runs=0 failed=0
summary=()
for name in "${names[@]}"; do
  exe=$build/tests/fuzz/fuzz_$name
  [ -x "$exe" ] || { echo "run.sh: no harness $exe" >&2; exit 2; }
  corpus=$build/fuzz-corpus/$name
  art=$build/fuzz-artifacts/$name
  mkdir -p "$corpus" "$art"
  seeddirs=("$src/seeds" "$src/tests/corpus/real" "$src/tests/fuzz/corpus")
  [ -d "$src/tests/hostile/inputs" ] && seeddirs+=("$src/tests/hostile/inputs")
  log=$build/fuzz-$name.log
  echo "== fuzz_$name: ${secs}s" >&2
  rc=0
  # -max_len 64 KiB: big enough for real digests (the largest seed is
  # 20 KiB); size-driven behaviour is the hostile tests' job.
  "$exe" -max_total_time="$secs" -timeout=30 -rss_limit_mb=3072 \
    -max_len=65536 -dict="$src/tests/fuzz/digest.dict" \
    -print_final_stats=1 -artifact_prefix="$art/" \
    "$corpus" "${seeddirs[@]}" >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  [ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  runs=${runs:-0}
  edges=$(sed -n 's/.*Loaded 1 modules *(\([0-9]*\) inline 8-bit counters).*/\1/p' "$log" | head -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
  pct=$(awk -v c="${cov:-0}" -v e="${edges:-0}" 'BEGIN { if (e > 0) printf "%.1f", 100 * c / e; else print "?" }')
  status=ok
  if [ "$rc" -ne 0 ]; then
    status="FAILED (exit $rc, see $log and $art/)"
    failed=1
    grep -E "^(==[0-9]+==ERROR|SUMMARY|fuzz oracle failed|.*runtime error)" "$log" | head -5 >&2 || true
  fi
  line=$(printf '%-9s %10s execs %7s s  cov %5s/%-5s edges (%s%%)  ft %6s  corpus %s  %s' \
    "$name" "$runs" "$secs" "${cov:-?}" "${edges:-?}" "$pct" "${ft:-?}" "${corp:-?}" "$status")
  echo "$line"
  summary+=("$line")
  total_runs=$((total_runs + runs))
done
echo "== summary"
printf '%s\n' "${summary[@]}"
echo "total: $total_runs executions over ${#names[@]} harness(es), ${secs} s each"
exit $failed
