#!/usr/bin/env bash
# Background processes of the demo portal, next to `ckan run`:
#   fake-udata        a local fake data.gouv.fr (read API) on 127.0.0.1:8766,
#                     the demo harvest source's target
#   fake-udata-write  a local fake data.gouv.fr write API on 127.0.0.1:8767,
#                     the target of `ckan loiretcher publish-datagouv`
#   jobs              CKAN's background worker (file validation, publishing)
#   gather, fetch     the harvest queue consumers
#   harvest-run       `ckan harvester run` every minute (starts due jobs,
#                     closes finished ones)
#
#   dev/demo_workers.sh start|stop|status
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${SERVICES_DIR:-$ROOT/.services}/demo"
LOG_DIR="${SERVICES_DIR:-$ROOT/.services}/log"
BIN="$ROOT/.venv/bin"
INI="$ROOT/demo.ini"

say() { printf '[demo] %s\n' "$*"; }

running() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

launch() {
    local name="$1"; shift
    if running "$name"; then return; fi
    (cd "$ROOT" && exec "$@") >"$LOG_DIR/demo-$name.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/$name.pid"
}

wait_port() {
    for _ in $(seq 1 40); do port_in_use "$1" && return; sleep 0.25; done
    printf '[demo] ERROR: %s does not answer on port %s\n' "$2" "$1" >&2
    tail -n 20 "$LOG_DIR/demo-$2.log" >&2
    exit 1
}

start() {
    mkdir -p "$RUN_DIR" "$LOG_DIR"
    for port in 8766 8767; do
        if port_in_use "$port" && ! running fake-udata && ! running fake-udata-write; then
            printf '[demo] ERROR: port %s is taken by another program: stop it first\n' "$port" >&2
            exit 1
        fi
    done
    launch fake-udata "$BIN/python" dev/fake_udata.py --port 8766
    launch fake-udata-write "$BIN/python" -m tests.fakes.udata_write --port 8767 --api-key demo-key
    wait_port 8766 fake-udata
    wait_port 8767 fake-udata-write
    launch jobs "$BIN/ckan" -c "$INI" jobs worker
    launch gather "$BIN/ckan" -c "$INI" harvester gather-consumer
    launch fetch "$BIN/ckan" -c "$INI" harvester fetch-consumer
    launch harvest-run bash -c "while true; do '$BIN/ckan' -c '$INI' harvester run >/dev/null 2>&1; sleep 60; done"
    say "fake data.gouv.fr on http://127.0.0.1:8766 (read) and :8767 (write); workers started (logs: $LOG_DIR/demo-*.log)"
}

stop() {
    local name
    for name in harvest-run fetch gather jobs fake-udata-write fake-udata; do
        if running "$name"; then
            kill "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null || true
        fi
        rm -f "$RUN_DIR/$name.pid"
    done
}

status() {
    local name
    for name in fake-udata fake-udata-write jobs gather fetch harvest-run; do
        running "$name" && say "$name: running" || say "$name: stopped"
    done
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
