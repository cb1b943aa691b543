#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the PostgreSQL-marked tests.
#   scripts/pg-test-cluster.sh start DIR   -> creates and starts a cluster in DIR on a free local
#                                            port, prints the server URL on stdout
#   scripts/pg-test-cluster.sh stop DIR    -> stops it and removes DIR
# Runs the server as an unprivileged user (PostgreSQL refuses root): the current user, or
# "centerdesk-pg" (created when missing) when run as root. Listens on 127.0.0.1 only.
set -euo pipefail
action=${1:?start|stop}
dir=${2:?cluster directory}

bindir=""
for candidate in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bindir=$candidate; fi
done
[ -n "$bindir" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

run_as=()
owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
  owner=centerdesk-pg
  id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  run_as=(runuser -u "$owner" --)
fi

case "$action" in
start)
  mkdir -p "$dir"
  chmod o+x "$(dirname "$dir")"
  chown "$owner" "$dir"
  chmod 700 "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  "${run_as[@]}" "$bindir/initdb" --pgdata "$dir/data" --username postgres --auth trust --encoding UTF8 --locale C >/dev/null
  "${run_as[@]}" "$bindir/pg_ctl" --pgdata "$dir/data" --log "$dir/server.log" --wait \
    --options "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off" start >/dev/null
  echo "$port" > "$dir/port"
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    "${run_as[@]}" "$bindir/pg_ctl" --pgdata "$dir/data" --mode immediate --wait stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
