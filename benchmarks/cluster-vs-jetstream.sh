#!/usr/bin/env bash
# The 3-node eventlog cluster against a 3-replica NATS JetStream stream, both on this machine's loopback,
# measured in the same run, interleaved:
#   benchmarks/cluster-vs-jetstream.sh [runs=3] [duration=15s] [warmup=15s]
# Each run measures, each after its own warm-up (the JITs of node and generator settle; see http-load.sh):
#   eventlog single events, 64 connections, to the leader; JetStream async publish, 64 in flight;
#   eventlog single events, 64 connections spread over the 3 nodes (followers forward to the leader);
#   eventlog sync appends (1 connection); JetStream sync publish; eventlog NDJSON batches of 100, 64 connections;
#   the Java client's binary protocol: async appends with 512 in flight on one connection, against JetStream async
#   publish with the same window, and sync appends.
# Then it prints the medians over the runs and the ratios (per run, then their median) against the targets:
# eventlog single events >= 2x JetStream async; eventlog sync p50 and p99 <= 0.5x JetStream sync (HTTP, issue 4);
# client async appends >= 4x JetStream async with the same window; client sync p50 and p99 <= 0.5x (issue 6).
# Both publish 100-byte events (the load generator's) through the leader: eventlog's Raft leader and the
# JetStream stream's leader. JetStream: file storage, R3, one subject, the server's default sync (like
# eventlog's default durability `process`). EVENTLOG_CLUSTER_OPTS passes serve options to every node
# (e.g. "--durability fsync"). Needs nats-server (installed with apt-get when missing) and the ports
# 7071-7073, 7171-7173, 7271-7273 (ops/cluster.sh), 14222-14224 and 16222-16224 free. Everything it starts and
# writes (under one temporary directory) is removed on exit.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
runs="${1:-3}"; duration="${2:-15s}"; warmup="${3:-15s}"
jar="$root/benchmarks/target/benchmarks.jar"
nats_ports=(14222 14223 14224)
route_ports=(16222 16223 16224)
eventlog_ports=(7071 7072 7073 7171 7172 7173 7271 7272 7273)
work="$(mktemp -d -t cluster-vs-jetstream.XXXXXX)"
export EVENTLOG_CLUSTER_DATA="$work/eventlog"
nats_pids=()

cleanup() {
  set +e
  [[ -d "$EVENTLOG_CLUSTER_DATA" ]] && "$root/ops/cluster.sh" stop > /dev/null
  for pid in "${nats_pids[@]}"; do kill "$pid" 2> /dev/null; done
  for pid in "${nats_pids[@]}"; do wait "$pid" 2> /dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "cluster-vs-jetstream.sh: $*" >&2
  exit 1
}

ensure_nats_server() {
  command -v nats-server > /dev/null && return
  local sudo=()
  [[ "$(id -u)" == 0 ]] || sudo=(sudo -n)
  echo "installing nats-server: apt-get install -y nats-server" >&2
  if ! { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y nats-server \
      || { "${sudo[@]}" apt-get update && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y nats-server; }; } \
      > "$work/apt.log" 2>&1; then
    tail -n 5 "$work/apt.log" >&2
    fail "cannot install nats-server with apt-get (needs root or password-less sudo, and Debian's package lists); install it and run again"
  fi
  command -v nats-server > /dev/null || fail "apt-get installed nats-server, but it is not on the PATH"
}

port_in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

check_ports_free() {
  local port
  for port in "${eventlog_ports[@]}" "${nats_ports[@]}" "${route_ports[@]}"; do
    port_in_use "$port" && fail "port $port is in use (another cluster running?); stop it first"
  done
  return 0
}

# One nats-server per node: client port, cluster routes to all three, JetStream store in the temp dir.
start_nats() {
  local i routes="" port
  for port in "${route_ports[@]}"; do routes+="nats-route://127.0.0.1:$port, "; done
  for i in 0 1 2; do
    mkdir -p "$work/nats/$i"
    cat > "$work/nats/$i.conf" <<EOF
server_name: n$((i + 1))
listen: 127.0.0.1:${nats_ports[$i]}
jetstream { store_dir: "$work/nats/$i" }
cluster {
  name: bench
  listen: 127.0.0.1:${route_ports[$i]}
  routes: [${routes%, }]
}
EOF
    nats-server -c "$work/nats/$i.conf" > "$work/nats/$i.log" 2>&1 &
    nats_pids+=($!)
  done
  for i in 0 1 2; do
    local deadline=$((SECONDS + 30))
    until port_in_use "${nats_ports[$i]}"; do
      ((SECONDS < deadline)) && kill -0 "${nats_pids[$i]}" 2> /dev/null || { cat "$work/nats/$i.log" >&2; fail "nats-server n$((i + 1)) did not start"; }
      sleep 0.2
    done
  done
}

nats_urls() { local IFS=,; printf '%s' "${nats_ports[*]/#/nats://127.0.0.1:}"; }

# Runs one generator with --json; its result goes to $work/results/NAME.RUN.json.
measure() {
  local name="$1" run="$2" main="$3"; shift 3
  local out="$work/results/$name.$run.json"
  cut -d' ' -f1 /proc/loadavg >> "$work/loads"
  echo "run $run: $name (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  if ! java @"$root/config/jvm.options" -cp "$jar" "$main" --duration "$duration" --warmup "$warmup" --json "$@" \
      > "$out" 2> "$work/results/$name.$run.err"; then
    cat "$work/results/$name.$run.err" >&2
    fail "$name failed in run $run"
  fi
}

eventlog() { local name="$1" run="$2"; shift 2; measure "$name" "$run" io.eventlog.benchmarks.load.LoadGenerator \
  --url http://127.0.0.1:7071 --size 100 --streams 1000 "$@"; }
jetstream() { local name="$1" run="$2"; shift 2; measure "$name" "$run" io.eventlog.benchmarks.peers.JetStreamLoad \
  --server "$(nats_urls)" --size 100 --replicas 3 "$@"; }
# The Java client over the binary protocol (ops/cluster.sh: 7271-7273); it sends appends to the leader.
client() { local name="$1" run="$2"; shift 2; measure "$name" "$run" io.eventlog.benchmarks.client.ClientLoad \
  --nodes 127.0.0.1:7271,127.0.0.1:7272,127.0.0.1:7273 --size 100 --streams 1000 "$@"; }

# field NAME KEY: KEY's value in every run's result of NAME, one line each.
field() { local r; for r in $(seq 1 "$runs"); do grep -o "\"$2\":[0-9.eE+-]*" "$work/results/$1.$r.json" | head -n 1 | cut -d: -f2; done; }
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# ratios A_NAME A_KEY B_NAME B_KEY: A/B within each run, one line each.
ratios() { paste <(field "$1" "$2") <(field "$3" "$4") | awk '{printf "%.3f\n", ($2 > 0 ? $1 / $2 : 0)}'; }
joined() { paste -sd/ | sed 's|/| / |g'; }

report_line() {
  local label="$1" name="$2"
  printf '%-52s %10.0f/s (%s)  p50 %s ms  p99 %s ms  p99.9 %s ms (medians)\n' "$label" \
    "$(field "$name" events_per_s | median)" "$(field "$name" events_per_s | awk '{printf "%.0f\n", $1}' | joined)" \
    "$(field "$name" p50 | median)" "$(field "$name" p99 | median)" "$(field "$name" p999 | median)"
}

# target_line LABEL OP BOUND A_NAME A_KEY B_NAME B_KEY: the median of A/B per run, checked against OP BOUND
# (OP "-": no target).
target_line() {
  local label="$1" op="$2" bound="$3"; shift 3
  local per_run median_ratio verdict=""
  per_run="$(ratios "$@")"
  median_ratio="$(echo "$per_run" | median)"
  [[ "$op" == - ]] || verdict="  target $op $bound: $(awk -v r="$median_ratio" -v b="$bound" -v op="$op" \
    'BEGIN {print ((op == ">=" ? r >= b : r <= b) ? "met" : "NOT met")}')"
  printf '%-58s %6s (runs %s)%s\n' "$label" "$median_ratio" "$(echo "$per_run" | joined)" "$verdict"
}

[[ "$runs" =~ ^[1-9][0-9]*$ ]] || fail "runs must be a positive number, got '$runs'"
ensure_nats_server
check_ports_free
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -q -DskipTests install) || fail "cannot build $jar"
fi
mkdir -p "$work/results"
start_nats
"$root/ops/cluster.sh" start >&2
echo "eventlog: 3 nodes (${EVENTLOG_CLUSTER_OPTS:-default options}); nats-server $(nats-server --version | awk '{print $2}'): 3 servers, JetStream file storage" >&2

for run in $(seq 1 "$runs"); do
  eventlog el-single-leader "$run" --discover leader --connections 64
  jetstream js-async "$run" --mode async --in-flight 64
  eventlog el-single-all "$run" --discover all --connections 64
  eventlog el-sync "$run" --discover leader --connections 1
  jetstream js-sync "$run" --mode sync
  eventlog el-batch "$run" --discover leader --connections 64 --batch 100
  client el-client-async "$run" --mode async --in-flight 512
  jetstream js-async-512 "$run" --mode async --in-flight 512
  client el-client-sync "$run" --mode sync
done

echo
echo "$runs runs of $duration after $warmup warm-up each, $(date -u +%Y-%m-%dT%H:%MZ); 1-min load average at the" \
  "measurements' starts: min $(sort -g "$work/loads" | head -n 1), median $(median < "$work/loads"), max $(sort -g "$work/loads" | tail -n 1)"
report_line "eventlog single events, 64 conns, leader" el-single-leader
report_line "eventlog single events, 64 conns, all 3 nodes" el-single-all
report_line "eventlog NDJSON batches of 100, 64 conns, leader" el-batch
report_line "JetStream async publish, 64 in flight, leader" js-async
report_line "eventlog sync append (1 conn), leader" el-sync
report_line "JetStream sync publish, leader" js-sync
report_line "client async appends, 512 in flight, leader" el-client-async
report_line "JetStream async publish, 512 in flight, leader" js-async-512
report_line "client sync append, leader" el-client-sync
echo
target_line "eventlog single (leader) / JetStream async, events/s" ">=" 2 el-single-leader events_per_s js-async events_per_s
target_line "eventlog single (all nodes) / JetStream async, events/s" ">=" 2 el-single-all events_per_s js-async events_per_s
target_line "eventlog sync / JetStream sync, p50" "<=" 0.5 el-sync p50 js-sync p50
target_line "eventlog sync / JetStream sync, p99" "<=" 0.5 el-sync p99 js-sync p99
target_line "eventlog batches of 100 / JetStream async, events/s" - - el-batch events_per_s js-async events_per_s
target_line "client async / JetStream async (512 in flight), events/s" ">=" 4 el-client-async events_per_s js-async-512 events_per_s
target_line "client sync / JetStream sync, p50" "<=" 0.5 el-client-sync p50 js-sync p50
target_line "client sync / JetStream sync, p99" "<=" 0.5 el-client-sync p99 js-sync p99
