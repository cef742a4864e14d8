#!/bin/sh
# Run by the postgres image once, when its data volume is first initialised: one role and one
# database per subgraph. Each role owns its database (so its migrations can create tables)
# and can connect to nothing else. One per <NAME>_DB_PASSWORD variable the postgres service is
# given (docker-compose.yml passes one per subgraph), so a new subgraph needs no edit here.
set -eu

created=0
for password_variable in $(env | sed -n 's/^\([A-Z][A-Z0-9_]*_DB_PASSWORD\)=.*/\1/p'); do
  name="$(echo "${password_variable%_DB_PASSWORD}" | tr '[:upper:]' '[:lower:]')"
  eval "password=\${$password_variable:?set $password_variable}"
  psql --set=ON_ERROR_STOP=1 --no-psqlrc --username="${POSTGRES_USER:-postgres}" --dbname=postgres \
    --set=role="${name}_service" --set=database="$name" --set=password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
  created=$((created + 1))
done
[ "$created" -gt 0 ] || { echo 'init.sh: set <NAME>_DB_PASSWORD for each subgraph' >&2; exit 1; }
