#!/bin/sh
# Run by the postgres image once, when its data volume is first initialised: one role and one
# database per subgraph. Each role owns its database (so its migrations can create tables)
# and can connect to nothing else. Passwords come from <NAME>_DB_PASSWORD.
set -eu

for name in product payment order; do
  password_variable="$(echo "$name" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  eval "password=\${$password_variable:?set $password_variable}"
  psql --set=ON_ERROR_STOP=1 --no-psqlrc --username="${POSTGRES_USER:-postgres}" --dbname=postgres \
    --set=role="${name}_service" --set=database="$name" --set=password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
done
