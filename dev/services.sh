#!/usr/bin/env bash
# Starts, stops and checks the services CKAN needs, without Docker:
# PostgreSQL 15 and Redis from Debian packages, Apache Solr 9 from Maven Central.
#
#   dev/services.sh start [pg|redis|solr]   install what is missing, start
#                                           what is not running
#   dev/services.sh stop [pg|redis|solr]    stop what start started
#   dev/services.sh status    say what runs
#   dev/services.sh createdb NAME   create a database owned by the ckan role
#
# Everything is written under $SERVICES_DIR (default .services/, git-ignored);
# logs are in $SERVICES_DIR/log and their tails are printed when a start fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES_DIR="${SERVICES_DIR:-$ROOT/.services}"
LOG_DIR="$SERVICES_DIR/log"
VENV="${VENV:-$ROOT/.venv}"

PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
SOLR_PORT="${SOLR_PORT:-8983}"
PG_DATABASES="${PG_DATABASES:-ckan_demo ckan_test}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
SOLR_CORE="ckan"

PG_DATA="$SERVICES_DIR/pg/data"
PG_RUN="$SERVICES_DIR/pg/run"
# A Unix socket path is limited to 107 bytes: fall back to a short folder.
if [ "${#PG_RUN}" -gt 80 ]; then PG_RUN="/tmp/loiretcher-pg-$PG_PORT"; fi
REDIS_DIR="$SERVICES_DIR/redis"
SOLR_HOME="$SERVICES_DIR/solr/home"
SOLR_LIB="${SOLR_LIB:-$SERVICES_DIR/solr-lib}"
SOLR_PID="$SERVICES_DIR/solr/solr.pid"
SOLR_CONF="${SOLR_CONF:-$ROOT/dev/solr/conf}"

say() { printf '[services] %s\n' "$*"; }

die() {
    printf '[services] ERROR: %s\n' "$1" >&2
    if [ -n "${2:-}" ] && [ -f "$2" ]; then
        printf '[services] last lines of %s:\n' "$2" >&2
        tail -n 40 "$2" >&2
    fi
    exit 1
}

port_in_use() {
    # True when something listens on 127.0.0.1:$1.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

apt_install() {
    say "installing Debian packages: $*"
    if [ "$(id -u)" -ne 0 ]; then
        die "packages $* are missing and only root can install them: run 'sudo apt-get install $*'"
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$LOG_DIR/apt.log" 2>&1; then
        apt-get update -qq >>"$LOG_DIR/apt.log" 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$LOG_DIR/apt.log" 2>&1 \
            || die "could not install $*" "$LOG_DIR/apt.log"
    fi
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# --- PostgreSQL ------------------------------------------------------------

pg_running() {
    [ -f "$PG_DATA/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

pg_start() {
    [ -x "$PG_BIN/initdb" ] || apt_install postgresql-15
    if pg_running; then
        say "PostgreSQL already running on 127.0.0.1:$PG_PORT"
    else
        if port_in_use "$PG_PORT"; then
            die "port $PG_PORT is already taken by another program: stop it, or run with PG_PORT=<free port> (and set the same port in the .ini files)"
        fi
        mkdir -p "$SERVICES_DIR/pg" "$PG_RUN"
        if [ "$(id -u)" -eq 0 ]; then
            chown -R postgres:postgres "$SERVICES_DIR/pg" "$PG_RUN"
            chown postgres:postgres "$LOG_DIR"
        fi
        if [ ! -f "$PG_DATA/PG_VERSION" ]; then
            say "creating a PostgreSQL cluster in $PG_DATA"
            as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 \
                --locale=C.UTF-8 >"$LOG_DIR/initdb.log" 2>&1 \
                || die "initdb failed" "$LOG_DIR/initdb.log"
        fi
        say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        local opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_RUN -c fsync=off"
        opts="$opts -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgresql.log" -o "$opts" \
            -w -t 60 start >/dev/null 2>&1; then
            die "PostgreSQL did not start: read the log below, then 'make stop' and retry" "$LOG_DIR/postgresql.log"
        fi
    fi
    local ready=0
    for _ in $(seq 1 60); do
        if "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -U postgres -q; then ready=1; break; fi
        sleep 0.5
    done
    [ "$ready" = 1 ] || die "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT" "$LOG_DIR/postgresql.log"
    psql_admin -tc "SELECT 1 FROM pg_roles WHERE rolname='ckan'" | grep -q 1 \
        || psql_admin -c "CREATE ROLE ckan LOGIN SUPERUSER PASSWORD 'ckan'" >/dev/null
    local db
    for db in $PG_DATABASES; do
        pg_createdb "$db"
    done
}

psql_admin() {
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"
}

pg_createdb() {
    psql_admin -tc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1 \
        || psql_admin -c "CREATE DATABASE \"$1\" OWNER ckan ENCODING 'UTF8' TEMPLATE template0" >/dev/null
}

pg_stop() {
    if pg_running; then
        say "stopping PostgreSQL"
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
    fi
}

# --- Redis -----------------------------------------------------------------

redis_running() {
    [ -f "$REDIS_DIR/redis.pid" ] && kill -0 "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null
}

redis_start() {
    command -v redis-server >/dev/null || apt_install redis-server
    if redis_running; then
        say "Redis already running on 127.0.0.1:$REDIS_PORT"
        return
    fi
    if port_in_use "$REDIS_PORT"; then
        die "port $REDIS_PORT is already taken by another program: stop it (e.g. 'service redis-server stop'), or run with REDIS_PORT=<free port>"
    fi
    mkdir -p "$REDIS_DIR"
    say "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --daemonize yes --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" \
        --logfile "$LOG_DIR/redis.log" >/dev/null 2>&1 \
        || die "Redis did not start" "$LOG_DIR/redis.log"
    for _ in $(seq 1 40); do
        if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then return; fi
        sleep 0.25
    done
    die "Redis does not answer PING on 127.0.0.1:$REDIS_PORT" "$LOG_DIR/redis.log"
}

redis_stop() {
    if redis_running; then
        say "stopping Redis"
        kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true
        for _ in $(seq 1 40); do redis_running || break; sleep 0.25; done
    fi
}

# --- Solr ------------------------------------------------------------------

solr_running() {
    [ -f "$SOLR_PID" ] && kill -0 "$(cat "$SOLR_PID")" 2>/dev/null
}

solr_ping() {
    curl -fsS --max-time 5 "http://127.0.0.1:$SOLR_PORT/solr/$SOLR_CORE/admin/ping?wt=json" 2>/dev/null \
        | grep -q '"status":"OK"'
}

solr_jars() {
    # Resolved once from Maven Central into a git-ignored cache.
    if [ -f "$SOLR_LIB/.complete" ]; then return; fi
    command -v mvn >/dev/null || apt_install maven
    command -v java >/dev/null || apt_install openjdk-17-jre-headless
    say "downloading Apache Solr 9 from Maven Central (first run only)"
    mkdir -p "$SOLR_LIB"
    mvn -B -q -f "$ROOT/dev/solr/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$SOLR_LIB" >"$LOG_DIR/maven.log" 2>&1 \
        || die "Maven could not resolve Solr's jars" "$LOG_DIR/maven.log"
    touch "$SOLR_LIB/.complete"
}

solr_home() {
    # A fresh solr home on every start: CKAN's own schema.xml, our small solrconfig.
    local schema="$VENV/lib/python3.11/site-packages/ckan/config/solr/schema.xml"
    if [ ! -f "$schema" ]; then
        schema="$("$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))' 2>/dev/null || true)"
    fi
    [ -f "$schema" ] || die "CKAN's schema.xml was not found: install CKAN first ('make install')"
    local core_dir="$SOLR_HOME/$SOLR_CORE"
    mkdir -p "$SOLR_HOME" "$core_dir/conf"
    # Keep the index (data/) between starts, replace the configuration.
    cp "$ROOT/dev/solr/solr.xml" "$SOLR_HOME/solr.xml"
    cp "$SOLR_CONF/"* "$core_dir/conf/"
    cp "$schema" "$core_dir/conf/schema.xml"
    printf 'name=%s\n' "$SOLR_CORE" >"$core_dir/core.properties"
}

solr_start() {
    if solr_running && solr_ping; then
        say "Solr already running on 127.0.0.1:$SOLR_PORT"
        return
    fi
    if solr_running; then
        kill "$(cat "$SOLR_PID")" 2>/dev/null || true
        sleep 2
    fi
    if port_in_use "$SOLR_PORT"; then
        die "port $SOLR_PORT is already taken by another program: stop it, or run with SOLR_PORT=<free port> (and set solr_url in the .ini files)"
    fi
    solr_jars
    solr_home
    say "starting Solr 9 on 127.0.0.1:$SOLR_PORT"
    : >"$LOG_DIR/solr.log"
    # Solr maps these environment variables to its own settings (ZK_HOST would
    # switch it to SolrCloud mode): keep them out.
    env -u ZK_HOST -u SOLR_HOME -u SOLR_MODULES -u SOLR_TIP -u SOLR_PORT -u SOLR_HOST \
        -u SOLR_DATA_HOME -u SOLR_OPTS -u SOLR_INCLUDE \
        java -Xms256m -Xmx768m -XX:+UseSerialGC -Djava.awt.headless=true \
        -cp "$SOLR_LIB/*" "$ROOT/dev/solr/Launcher.java" "$SOLR_HOME" "$SOLR_PORT" "$SOLR_CORE" \
        >>"$LOG_DIR/solr.log" 2>&1 </dev/null &
    echo $! >"$SOLR_PID"
    local pid
    pid="$(cat "$SOLR_PID")"
    for _ in $(seq 1 180); do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$SOLR_PID"
            die "Solr stopped while starting (a core that fails to load, or a port taken): read the log below" "$LOG_DIR/solr.log"
        fi
        if grep -q '^READY' "$LOG_DIR/solr.log" && solr_ping; then
            say "Solr ready: http://127.0.0.1:$SOLR_PORT/solr/$SOLR_CORE"
            return
        fi
        sleep 0.5
    done
    kill "$pid" 2>/dev/null || true
    die "Solr did not answer its core's ping within 90 s" "$LOG_DIR/solr.log"
}

solr_stop() {
    if solr_running; then
        say "stopping Solr"
        local pid
        pid="$(cat "$SOLR_PID")"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$SOLR_PID"
}

# --- entry point -----------------------------------------------------------

mkdir -p "$LOG_DIR"
case "${1:-start}" in
    start)
        started=$(date +%s)
        case "${2:-all}" in
            pg) pg_start ;;
            redis) redis_start ;;
            solr) solr_start ;;
            all) pg_start; redis_start; solr_start ;;
            *) die "unknown service ${2}: pg, redis or solr" ;;
        esac
        say "services up in $(( $(date +%s) - started )) s (logs: $LOG_DIR)"
        ;;
    stop)
        case "${2:-all}" in
            pg) pg_stop ;;
            redis) redis_stop ;;
            solr) solr_stop ;;
            all) solr_stop; redis_stop; pg_stop ;;
            *) die "unknown service ${2}: pg, redis or solr" ;;
        esac
        ;;
    status)
        pg_running && say "PostgreSQL: running" || say "PostgreSQL: stopped"
        redis_running && say "Redis: running" || say "Redis: stopped"
        solr_running && solr_ping && say "Solr: running" || say "Solr: stopped"
        ;;
    createdb)
        [ -n "${2:-}" ] || die "usage: $0 createdb NAME"
        pg_createdb "$2"
        ;;
    *)
        die "usage: $0 {start|stop|status|createdb NAME}"
        ;;
esac
