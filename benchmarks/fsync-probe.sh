#!/usr/bin/env bash
# Where an fsync-mode append's time goes: a fresh node with --durability fsync under the load generator
# (single events, N connections), and during a window of the run
#   - the node's group commits from /metrics: groups/s, entries per group, mean time from the writer's
#     queue to the acknowledgement;
#   - with perf installed (Debian: linux-perf), the msync calls of the writer thread: count and mean time.
# With N connections at most N appends wait for one msync, so the rate is about N / (round trip outside
# the node + the msync in progress when an append arrives + its own group's msync).
#   benchmarks/fsync-probe.sh [connections=64] [duration=25s]
# Needs `mvn -q -DskipTests package` first (as http-load.sh). Port $EVENTLOG_LOAD_PORT (default 7079).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
connections="${1:-64}"; duration="${2:-25s}"
port="${EVENTLOG_LOAD_PORT:-7079}"
seconds="${duration%s}"
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 10 ]] || { echo "fsync-probe.sh: duration must be whole seconds, at least 10s" >&2; exit 1; }
window=$((seconds / 2))

data="$(mktemp -d)"
node=""
cleanup() {
  [[ -n "$node" ]] && kill "$node" 2> /dev/null && wait "$node" 2> /dev/null
  rm -rf "$data" "$data.log" "$data.perf"
}
trap cleanup EXIT

"$root/bin/eventlog" serve --data "$data" --port "$port" --host 127.0.0.1 --durability fsync > "$data.log" 2>&1 &
node=$!
until grep -q listening "$data.log" 2> /dev/null; do sleep 0.2; kill -0 "$node" || { cat "$data.log"; exit 1; }; done
java_pid="$(pgrep -P "$node" java || echo "$node")"

# The sums of the writer's counters: entries, groups, acknowledgement latency.
counters() {
  curl -fsS "http://127.0.0.1:$port/metrics" | awk '
    /^eventlog_commit_batch_size_entries_count/ {groups = $2}
    /^eventlog_commit_batch_size_entries_sum/ {entries = $2}
    /^eventlog_append_latency_seconds_sum/ {latency = $2}
    /^eventlog_append_latency_seconds_count/ {acks = $2}
    END {print groups, entries, latency, acks}'
}

java @"$root/config/jvm.options" -cp "$root/benchmarks/target/classes:$root/benchmarks/target/lib/*" \
  io.eventlog.benchmarks.load.LoadGenerator --url "http://127.0.0.1:$port" --duration "$duration" --warmup 10s \
  --connections "$connections" --size 100 --streams 1000 --json > "$data.result" 2> /dev/null &
load=$!
sleep $((10 + seconds / 4))
before="$(counters)"
writer="$(grep -l '^eventlog-writer' /proc/"$java_pid"/task/*/comm | head -n 1 | cut -d/ -f5)"
if command -v perf > /dev/null && [[ -n "$writer" ]]; then
  timeout -s INT "$window" perf trace -s -e msync -t "$writer" -o "$data.perf" > /dev/null 2>&1 || true
else
  sleep "$window"
fi
after="$(counters)"
wait "$load"

echo "fsync, $connections connections, 100-byte single events: $(grep -o '"events_per_s":[0-9.]*' "$data.result" | cut -d: -f2) events/s," \
  "p50 $(grep -o '"p50":[0-9.]*' "$data.result" | cut -d: -f2) ms (load generator, whole run)"
paste <(echo "$before" | tr ' ' '\n') <(echo "$after" | tr ' ' '\n') | awk -v w="$window" '
  {d[NR] = $2 - $1}
  END {printf "node, %d s window: %.0f groups/s, %.1f entries per group, %.2f ms from queue to acknowledgement\n",
    w, d[1] / w, (d[1] > 0 ? d[2] / d[1] : 0), (d[4] > 0 ? d[3] / d[4] * 1000 : 0)}'
if [[ -s "$data.perf" ]]; then
  awk '$1 == "msync" {printf "writer msync: %d calls, mean %.3f ms, max %.3f ms (perf trace)\n", $2, $6, $7}' "$data.perf"
else
  echo "writer msync: not traced (needs perf: apt-get install linux-perf)"
fi
