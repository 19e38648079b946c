# A throw-away PostgreSQL on 127.0.0.1 for the tests (Debian's packages, no systemd).
# shellcheck shell=bash
PG_PORT="${YISHI_PG_PORT:-54329}"
PG_DIR="${YISHI_PG_DIR:-/tmp/yishi-pg-$PG_PORT}"

_pg_bin() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$d" ]; then echo "$d"; else dirname "$(command -v initdb)"; fi
}

_as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
    local bin; bin=$(_pg_bin)
    if [ ! -f "$PG_DIR/PG_VERSION" ]; then
        rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"
        [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
        _as_pg "$bin/initdb" -D "$PG_DIR" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! _as_pg "$bin/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
        _as_pg "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/log" -w \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off" start >/dev/null
        YISHI_PG_STARTED=1
    fi
    export YISHI_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
}

stop_postgres() {
    if [ "${YISHI_PG_STARTED:-}" = 1 ]; then
        _as_pg "$(_pg_bin)/pg_ctl" -D "$PG_DIR" -m fast stop >/dev/null 2>&1 || true
    fi
}
