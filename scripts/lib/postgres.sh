# A throwaway PostgreSQL cluster on 127.0.0.1 and a free port. Sourced by scripts/test.
# PostgreSQL refuses to run as root, so as root the cluster runs as the unprivileged user pcmops-test.
# pcm_pg_start sets PCMOPS_TEST_DATABASE_URL; pcm_pg_stop removes the cluster.

pcm_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

pcm_pg_as() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u pcmops-test -- "$@"
  else
    "$@"
  fi
}

pcm_pg_start() {
  if [ "$(id -u)" -eq 0 ] && ! id pcmops-test >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin pcmops-test
  fi
  PCM_PG_DIR=$(mktemp -d /tmp/pcmops-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown pcmops-test "$PCM_PG_DIR"
  PCM_PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  pcm_pg_as "$pcm_pg_bin/initdb" -D "$PCM_PG_DIR/data" -U pcmops --auth=trust -E UTF8 >"$PCM_PG_DIR/initdb.log" 2>&1 \
    || { cat "$PCM_PG_DIR/initdb.log"; return 1; }
  pcm_pg_as "$pcm_pg_bin/pg_ctl" -D "$PCM_PG_DIR/data" -l "$PCM_PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PCM_PG_PORT -k $PCM_PG_DIR -c max_connections=1000 -c fsync=off" start >/dev/null \
    || { cat "$PCM_PG_DIR/server.log"; return 1; }
  pcm_pg_as "$pcm_pg_bin/createdb" -h 127.0.0.1 -p "$PCM_PG_PORT" -U pcmops pcmops_test
  export PCMOPS_TEST_DATABASE_URL="postgres://pcmops@127.0.0.1:$PCM_PG_PORT/pcmops_test?sslmode=disable"
  echo "== PostgreSQL $(basename "$(dirname "$pcm_pg_bin")") on 127.0.0.1:$PCM_PG_PORT ($PCM_PG_DIR)"
}

pcm_pg_stop() {
  [ -n "${PCM_PG_DIR:-}" ] || return 0
  pcm_pg_as "$pcm_pg_bin/pg_ctl" -D "$PCM_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PCM_PG_DIR"
  PCM_PG_DIR=""
}
