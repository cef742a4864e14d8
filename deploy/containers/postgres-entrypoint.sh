#!/bin/sh
# The entrypoint of the PostgreSQL image the compose test builds from Debian's postgresql
# (deploy/containers/base-images.sh): what docker-compose.yml relies on of the official image.
# A new data directory gets POSTGRES_USER with POSTGRES_PASSWORD, then runs
# /docker-entrypoint-initdb.d/*.sh and *.sql with the server on its Unix socket only, so that
# a TCP pg_isready turns healthy only after them.
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

if [ "$(id -u)" = 0 ]; then
  # A fresh named volume is root's; the server runs as postgres.
  mkdir -p "$PGDATA" /run/postgresql
  chown postgres:postgres "$PGDATA" /run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
  export POSTGRES_USER="${POSTGRES_USER:-postgres}"
  password_file="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
  initdb --username="$POSTGRES_USER" --pwfile="$password_file" --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$password_file"
  echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  pg_ctl --wait --silent --options="-c listen_addresses=''" start
  if [ "${POSTGRES_DB:-$POSTGRES_USER}" != postgres ]; then
    createdb --username="$POSTGRES_USER" "${POSTGRES_DB:-$POSTGRES_USER}"
  fi
  for script in /docker-entrypoint-initdb.d/*; do
    case "$script" in
      *.sh) echo "running $script"; if [ -x "$script" ]; then "$script"; else sh "$script"; fi ;;
      *.sql) echo "running $script"; psql --set=ON_ERROR_STOP=1 --username="$POSTGRES_USER" --dbname="${POSTGRES_DB:-$POSTGRES_USER}" --file="$script" ;;
    esac
  done
  pg_ctl --wait --silent --mode=fast stop
  echo 'initialised; starting the server'
fi

exec "$@"
