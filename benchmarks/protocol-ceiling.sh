#!/usr/bin/env bash
# The ceiling of the protocols on this machine: the load generators of cluster-vs-jetstream.sh against
# the node's real HTTP API and binary protocol in front of a log that stores nothing (ProtocolCeiling),
# with the CPU each process spends per append (utime+stime from /proc/PID/stat over the measured window).
#   benchmarks/protocol-ceiling.sh [runs=3] [duration=15s] [warmup=15s]
# Each run measures: single events over HTTP, 64 connections; the Java client's async appends, 512 in flight;
# then one append at a time over each. No log behind these protocols can be acknowledged faster, and a
# replicated one has what is left of the machine's cores for everything else (figures in benchmarks/README.md).
# Needs `mvn -q -DskipTests package` first and the ports 7079 and 7279 free.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
runs="${1:-3}"; duration="${2:-15s}"; warmup="${3:-15s}"
jar="$root/benchmarks/target/benchmarks.jar"
[[ -f "$jar" ]] || { echo "protocol-ceiling.sh: build first: mvn -q -DskipTests package" >&2; exit 1; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "protocol-ceiling.sh: runs must be a positive number, got '$runs'" >&2; exit 1; }
work="$(mktemp -d -t protocol-ceiling.XXXXXX)"
server=""
cleanup() {
  set +e
  [[ -n "$server" ]] && kill "$server" 2> /dev/null && wait "$server" 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java @"$root/config/jvm.options" -cp "$jar" io.eventlog.benchmarks.ceiling.ProtocolCeiling --port 7079 \
  --binary-port 7279 > "$work/server.log" 2>&1 &
server=$!
until grep -q "protocol ceiling" "$work/server.log"; do
  kill -0 "$server" 2> /dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
seconds() { local s="${1%s}"; echo "${s%%.*}"; }

# measure LABEL MAIN ARGS...: one generator run; prints its rate, latency and the CPU per append of
# server and generator, sampled from 1 s into the measured window to 1 s before its end.
measure() {
  local label="$1" main="$2"; shift 2
  java @"$root/config/jvm.options" -cp "$jar" "$main" --duration "$duration" --warmup "$warmup" --json "$@" \
    > "$work/out.json" 2> "$work/err" &
  local gen=$! window=$(($(seconds "$duration") - 2))
  sleep $(($(seconds "$warmup") + 1))
  local s0 g0 s1 g1
  s0=$(ticks "$server"); g0=$(ticks "$gen")
  sleep "$window"
  s1=$(ticks "$server"); g1=$(ticks "$gen")
  wait "$gen" || { cat "$work/err" >&2; exit 1; }
  local rate p50 p99
  rate=$(grep -o '"events_per_s":[0-9.]*' "$work/out.json" | cut -d: -f2)
  p50=$(grep -o '"p50":[0-9.]*' "$work/out.json" | head -n 1 | cut -d: -f2)
  p99=$(grep -o '"p99":[0-9.]*' "$work/out.json" | head -n 1 | cut -d: -f2)
  awk -v l="$label" -v r="$rate" -v p50="$p50" -v p99="$p99" -v s=$((s1 - s0)) -v g=$((g1 - g0)) \
    -v hz="$(getconf CLK_TCK)" -v w="$window" -v la="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
      appends = r * w
      printf "%-40s %9.0f/s  p50 %s ms  p99 %s ms  CPU per append: server %.1f us, generator %.1f us  (load %s)\n",
        l, r, p50, p99, s * 1e6 / hz / appends, g * 1e6 / hz / appends, la }'
}

echo "protocol ceiling (nothing stored), $runs runs of $duration after $warmup warm-up, $(date -u +%Y-%m-%dT%H:%MZ)"
for run in $(seq 1 "$runs"); do
  measure "run $run: HTTP single events, 64 conns" io.eventlog.benchmarks.load.LoadGenerator \
    --url http://127.0.0.1:7079 --size 100 --streams 1000 --connections 64
  measure "run $run: client async, 512 in flight" io.eventlog.benchmarks.client.ClientLoad \
    --nodes 127.0.0.1:7279 --size 100 --streams 1000 --mode async --in-flight 512
  measure "run $run: HTTP sync (1 conn)" io.eventlog.benchmarks.load.LoadGenerator \
    --url http://127.0.0.1:7079 --size 100 --streams 1000 --connections 1
  measure "run $run: client sync" io.eventlog.benchmarks.client.ClientLoad \
    --nodes 127.0.0.1:7279 --size 100 --streams 1000 --mode sync
done
