#!/usr/bin/env bash
# The Debian/Ubuntu packages the test suite uses, installed when missing (npm run ci:packages;
# .ci/run and the GitHub workflow run it): chromium for the browser tests, docker-compose (v1,
# `docker-compose config`) and psql for the deployment tests, iproute2 (`ip`, to bring up loopback
# in the air-gapped run's network namespace), and for the compose run (scripts/compose-run.ts):
# podman with its network stack and runc (crun refuses cgroup v1/v2 hybrid hosts), mmdebstrap
# and Debian's keyring (the base images are built from Debian's packages, docs/containers.md).
# podman's settings for the run come with it (deploy/containers/containers.conf, by CONTAINERS_CONF),
# so no system-wide containers.conf is written.
set -euo pipefail

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v ip >/dev/null || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
command -v podman >/dev/null || missing+=(podman)
[ -x /usr/lib/podman/netavark ] || missing+=(netavark aardvark-dns)
command -v runc >/dev/null || missing+=(runc)
# Rootless podman (CI as a normal user) maps user namespaces with newuidmap and networks with slirp4netns.
if [ "$(id -u)" -ne 0 ]; then
  command -v newuidmap >/dev/null || missing+=(uidmap)
  command -v slirp4netns >/dev/null || missing+=(slirp4netns)
fi
command -v iptables >/dev/null || [ -x /usr/sbin/iptables ] || missing+=(iptables)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "installing ${missing[*]}"
"${sudo[@]}" apt-get update
# Through env: sudo would drop a variable set in front of it.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
