#!/usr/bin/env bash
# One single-event load run against a fresh node, with the CPU each process spends per append:
# utime+stime of the node and of the generator (from /proc/PID/stat) over 13 s of the measured
# window, divided by the appends of that time. Both share the machine's cores, so both costs count.
#   benchmarks/http-cpu.sh [label]
# Needs `mvn -q -DskipTests package` first. EVENTLOG_LOAD_PORT (default 7079) is the node's port;
# EVENTLOG_ROOT (default: this checkout) lets the same command measure another build.
set -euo pipefail
root="${EVENTLOG_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}"
label="${1:-run}"
port="${EVENTLOG_LOAD_PORT:-7079}"
data="$(mktemp -d)"; out="$(mktemp)"
java @"$root/config/jvm.options" -jar "$root/log-server/target/eventlog.jar" serve --data "$data" --port "$port" \
  --host 127.0.0.1 --durability process >"$data.log" 2>&1 &
node=$!
until grep -q listening "$data.log" 2>/dev/null; do sleep 0.2; kill -0 "$node" || { cat "$data.log"; exit 1; }; done
java @"$root/config/jvm.options" -cp "$root/benchmarks/target/classes:$root/benchmarks/target/lib/*" \
  io.eventlog.benchmarks.load.LoadGenerator --url "http://127.0.0.1:$port" --connections 64 --size 100 \
  --streams 1000 --duration 15s --warmup 20s --json >"$out" 2>/dev/null &
gen=$!
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sleep 21
n0=$(ticks "$node"); g0=$(ticks "$gen"); t0=$(date +%s.%N)
sleep 13
n1=$(ticks "$node"); g1=$(ticks "$gen"); t1=$(date +%s.%N)
wait "$gen"
kill "$node"; wait "$node" 2>/dev/null || true; rm -rf "$data" "$data.log"
rps=$(grep -o '"requests_per_s":[0-9.]*' "$out" | cut -d: -f2)
p99=$(grep -o '"p99":[0-9.]*' "$out" | cut -d: -f2)
errors=$(grep -o '"errors":{[^}]*}' "$out"); rm -f "$out"
hz=$(getconf CLK_TCK)
awk -v l="$label" -v r="$rps" -v p="$p99" -v e="$errors" -v n=$((n1 - n0)) -v g=$((g1 - g0)) -v hz="$hz" \
  -v dt="$(echo "$t1 - $t0" | bc)" -v la="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    appends = r * dt
    printf "%s: %.0f appends/s, p99 %s ms, %s; CPU per append: node %.1f us, generator %.1f us; load average %s\n",
      l, r, p, e, n * 1e6 / hz / appends, g * 1e6 / hz / appends, la }'
