#!/usr/bin/env bash
# Measures a fresh node over HTTP with the load generator: for each configuration, N runs against
# a node on a new temporary data directory, then the median events/s and p99 of those runs.
#   benchmarks/http-load.sh [runs=3] [duration=15s] [durability=process]
# Needs `mvn -q -DskipTests package` first (the generator runs from benchmarks/target/classes and
# benchmarks/target/lib). The node listens on $EVENTLOG_LOAD_PORT (default 7079). The node and the
# generator share the machine's cores (each run prints the 1-minute load average at its end); the 20 s warm-up lets both JITs settle (with 5 s, C2 still takes half a core of the node).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"; duration="${2:-15s}"; durability="${3:-process}"
port="${EVENTLOG_LOAD_PORT:-7079}"
load() {
  java @"$root/config/jvm.options" -cp "$root/benchmarks/target/classes:$root/benchmarks/target/lib/*" \
    io.eventlog.benchmarks.load.LoadGenerator --url "http://127.0.0.1:$port" --duration "$duration" --warmup 20s --json "$@" 2>/dev/null
}
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
measure() {
  local label="$1"; shift
  local events=() p99s=() loads=()
  for _ in $(seq 1 "$runs"); do
    data="$(mktemp -d)"
    "$root/bin/eventlog" serve --data "$data" --port "$port" --host 127.0.0.1 --durability "$durability" >"$data.log" 2>&1 &
    node=$!
    until grep -q listening "$data.log" 2>/dev/null; do sleep 0.2; kill -0 "$node" || { cat "$data.log"; exit 1; }; done
    result="$(load "$@")"
    kill "$node"; wait "$node" 2>/dev/null || true; rm -rf "$data" "$data.log"
    events+=("$(echo "$result" | grep -o '"events_per_s":[0-9.]*' | cut -d: -f2)")
    p99s+=("$(echo "$result" | grep -o '"p99":[0-9.]*' | cut -d: -f2)")
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  done
  printf '%-58s events/s median %10.0f (runs: %s)  p99 ms median %s (runs: %s)  load average: %s\n' "$label ($durability)" \
    "$(printf '%s\n' "${events[@]}" | median)" "${events[*]}" "$(printf '%s\n' "${p99s[@]}" | median)" "${p99s[*]}" "${loads[*]}"
}
measure "single events, 64 connections, 100 B, 1000 streams" --connections 64 --size 100 --streams 1000
measure "NDJSON batches of 100, 64 connections, 100 B" --connections 64 --size 100 --streams 1000 --batch 100
