# The platform as a container: `docker build -t rrr-platform .` then `docker run -p 3000:3000 -v rrr-data:/data rrr-platform`.
# docker-compose.yml runs it with PostgreSQL and NATS JetStream.

ARG NODE_IMAGE=node:20.20-bookworm-slim
# npm 11 honours package.json's allowScripts (which install scripts may run); the Node 20 images ship npm 10.
ARG NPM_VERSION=11.19.0

# ---- build: every dependency, the esbuild bundle of apps/platform, then production dependencies only
FROM ${NODE_IMAGE} AS build
ARG NPM_VERSION
WORKDIR /app
# better-sqlite3 compiles from source during `npm ci` (node-gyp).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/* \
  && npm install -g npm@${NPM_VERSION}
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build-platform.mjs
# Drops the dev dependencies but keeps the native modules compiled above for this very image.
RUN npm prune --omit=dev --no-audit --no-fund

# ---- runtime: node, production node_modules and the bundle; runs as the unprivileged `node` user
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
  RRR_ENV=production \
  RRR_SERVER_HOST=0.0.0.0 \
  RRR_SERVER_PORT=3000 \
  RRR_DATABASE_SQLITE_PATH=/data/rrr.db \
  RRR_MODELS_DIR=/data/models
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/platform ./dist/apps/platform
# The SQLite file and trained models live on the volume (unused for the database when RRR_DATABASE_URL is set).
RUN mkdir -p /data/models && chown -R node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# /health answers 200 while the platform is up or degraded, 503 when a service is down.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.RRR_SERVER_PORT||3000)+'/health').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/platform/main.js", "serve"]
