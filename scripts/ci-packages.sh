#!/usr/bin/env bash
# The Debian/Ubuntu packages the test suite uses, installed when missing (npm run ci:packages;
# .ci/run and the GitHub workflow run it): chromium for the browser tests, docker-compose (v1,
# `docker-compose config`) and psql for the deployment tests, iproute2 (`ip`, to bring up loopback
# in the air-gapped run's network namespace).
set -euo pipefail

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v ip >/dev/null || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "installing ${missing[*]}"
"${sudo[@]}" apt-get update
# Through env: sudo would drop a variable set in front of it.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
