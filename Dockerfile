# Invoice-distribution worker image: compile TypeScript in a build stage, ship only dist/ and the
# production dependencies in the runtime stage, run as the non-root `node` user.
#
#   docker build -t factoring-finans/invoice-distribution-worker:<git-sha> .
#   (or: docker compose build worker)
#
# Debian (glibc), not Alpine: @temporalio/core-bridge ships prebuilt native binaries for glibc.
# Node 20 left upstream support at the end of April 2026 and the official image dropped it on
# 2026-05-01; 20.20.2 is its last release. package.json still targets Node 20 (engines, @types/node);
# move NODE_IMAGE to a maintained LTS line (e.g. node:22-bookworm-slim) together with those.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Dependencies first, so source edits do not invalidate this layer.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

COPY . .
# tsc -p tsconfig.build.json -> dist/ (worker entry point: dist/worker/main.js)
RUN npm run build \
 && test -f dist/worker/main.js
# The workflow bundle, made now: the runtime user cannot write a cache, and webpack at every start
# would cost a restarted worker 3 to 8 s before it polls. A worker whose files differ from those
# the bundle was made from bundles afresh (worker/workflow-bundle-cache.ts), never runs it.
RUN node dist/worker/bundle-workflows.js --out /app/workflow-bundle

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

# CA bundle for TLS made outside Node's own store (the Temporal core bridge, in Rust, when it
# connects to Temporal Cloud over TLS without TEMPORAL_TLS_CA_PATH).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# The worker's runtime settings (worker/worker-tuning.ts): glibc held to two malloc arenas, and
# its V8 heaps capped in CMD, so garbage is collected instead of filling the machine's memory.
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    MALLOC_ARENA_MAX=2
WORKDIR /app

COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# Owned by root and only readable by `node`: the process cannot rewrite its own code.
COPY --from=build /app/dist ./dist
COPY --from=build /app/workflow-bundle ./workflow-bundle
ENV WORKFLOW_BUNDLE_DIR=/app/workflow-bundle

USER node
CMD ["node", "--max-old-space-size=384", "dist/worker/main.js"]
