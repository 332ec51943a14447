#!/usr/bin/env bash
# A 3-node eventlog cluster on this machine's loopback, for trying replication out.
#
#   ops/cluster.sh start       start the nodes that are not running; returns once every node knows the leader
#   ops/cluster.sh stop        stop every node cleanly (SIGTERM; kill -9 after 20 s)
#   ops/cluster.sh status      each node: running or not, its role, term and commit index
#   ops/cluster.sh kill N      kill -9 node N (a crash)
#   ops/cluster.sh restart N   start node N again on its data (stopping it first if it runs); returns
#                              once node N knows the leader
#
# Node N serves HTTP on 127.0.0.1:707N and the Java client's binary protocol on 127.0.0.1:727N,
# talks to its peers on 127.0.0.1:717N, keeps its data in data/cluster/N (its log in
# data/cluster/N.log, its pid in data/cluster/N.pid), all under the repository root. Environment:
# EVENTLOG_CLUSTER_DATA (another data root), EVENTLOG_CLUSTER_OPTS (more serve options for every
# node, e.g. "--durability fsync"), EVENTLOG_CLUSTER_PORTS (base ports "HTTP PEER [BINARY]", default
# "7070 7170 7270", BINARY defaulting to PEER + 100: node N uses base + N), and those of bin/eventlog.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
data="${EVENTLOG_CLUSTER_DATA:-$root/data/cluster}"
nodes=(1 2 3)
read -r http_base peer_base binary_base <<< "${EVENTLOG_CLUSTER_PORTS:-7070 7170 7270}"
binary_base="${binary_base:-$((peer_base + 100))}"
peers="1=127.0.0.1:$((peer_base + 1)),2=127.0.0.1:$((peer_base + 2)),3=127.0.0.1:$((peer_base + 3))"

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

http_port() { echo $((http_base + $1)); }
pid_file() { echo "$data/$1.pid"; }

pid_of() {
  local file
  file="$(pid_file "$1")"
  [[ -f "$file" ]] && kill -0 "$(cat "$file")" 2> /dev/null && cat "$file"
}

check_node() {
  [[ "${1:-}" =~ ^[123]$ ]] || { echo "cluster.sh: the node is 1, 2 or 3, got '${1:-}'" >&2; exit 2; }
}

cluster_json() {
  curl -fsS --max-time 2 "http://127.0.0.1:$(http_port "$1")/v1/cluster" 2> /dev/null
}

start_node() {
  local n=$1
  if pid="$(pid_of "$n")"; then
    echo "node $n is already running (pid $pid)"
    return
  fi
  mkdir -p "$data/$n"
  read -r -a extra <<< "${EVENTLOG_CLUSTER_OPTS:-}"
  nohup "$root/bin/eventlog" serve --node-id "$n" --peers "$peers" --host 127.0.0.1 --port "$(http_port "$n")" \
    --binary-port $((binary_base + n)) --data "$data/$n" ${extra[@]+"${extra[@]}"} >> "$data/$n.log" 2>&1 < /dev/null &
  echo $! > "$(pid_file "$n")"
  echo "node $n started (pid $!, http://127.0.0.1:$(http_port "$n"), binary 127.0.0.1:$((binary_base + n)), log $data/$n.log)"
}

# Waits until every given node (default: all) answers and knows a leader.
await_leader() {
  local deadline=$((SECONDS + 60)) n json leader asked=("$@")
  ((${#asked[@]})) || asked=("${nodes[@]}")
  while ((SECONDS < deadline)); do
    leader=""
    for n in "${asked[@]}"; do
      if json="$(cluster_json "$n")" && [[ "$json" =~ \"leader\":\"([0-9]+)\" ]]; then
        leader="${BASH_REMATCH[1]}"
      else
        leader=""
        break
      fi
    done
    if [[ -n "$leader" ]]; then
      echo "leader: node $leader"
      return 0
    fi
    sleep 0.2
  done
  echo "cluster.sh: no leader known to node(s) ${asked[*]} after 60 s; see the logs in $data" >&2
  return 1
}

stop_node() {
  local n=$1 pid
  pid="$(pid_of "$n")" || { echo "node $n is not running"; return; }
  kill -TERM "$pid"
  local deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2> /dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2> /dev/null; then
    kill -KILL "$pid"
    echo "node $n did not stop within 20 s: killed"
  else
    echo "node $n stopped"
  fi
  rm -f "$(pid_file "$n")"
}

status() {
  local n pid json
  for n in "${nodes[@]}"; do
    if pid="$(pid_of "$n")"; then
      if json="$(cluster_json "$n")"; then
        echo "node $n: running (pid $pid) $json"
      else
        echo "node $n: running (pid $pid), not answering on http://127.0.0.1:$(http_port "$n")"
      fi
    else
      echo "node $n: stopped"
    fi
  done
}

build_once() {
  # bin/eventlog builds when the jar is stale; do it once here, not in three nodes at once.
  "$root/bin/eventlog" --help > /dev/null
}

mkdir -p "$data"
case "${1:-}" in
  start)
    build_once
    for n in "${nodes[@]}"; do start_node "$n"; done
    await_leader
    ;;
  stop)
    for n in "${nodes[@]}"; do stop_node "$n"; done
    ;;
  status)
    status
    ;;
  kill)
    check_node "${2:-}"
    if pid="$(pid_of "$2")"; then
      kill -KILL "$pid"
      rm -f "$(pid_file "$2")"
      echo "node $2 killed (kill -9 $pid)"
    else
      echo "node $2 is not running"
    fi
    ;;
  restart)
    check_node "${2:-}"
    build_once
    stop_node "$2"
    start_node "$2"
    await_leader "$2"
    ;;
  *)
    usage
    ;;
esac
