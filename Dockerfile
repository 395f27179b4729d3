# zart serve: the worker and the HTTP API over one store, as a non-root container.
#   docker build -t zart .
#   docker run -p 3000:3000 -e ZART_API_TOKEN=… -e ZART_DATABASE_URL=postgres://… zart
#   docker run … zart serve --tasks /app/tasks/index.js   (mount or COPY your task modules)
# Not built in CI (no Docker there); see README "Deploying".

FROM node:20-slim AS build
# better-sqlite3 compiles when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
RUN corepack enable
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile \
  && pnpm turbo run build --filter=@zart/cli... \
  && pnpm deploy --legacy --filter=@zart/cli --prod /app

FROM node:20-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app /app
# The default SQLite file (sqlite:./zart.db) lives here; mount a volume, or use Postgres.
RUN mkdir -p /data && chown node:node /data
WORKDIR /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec form: SIGTERM reaches zart, which drains within --shutdown-timeout (30s; keep
# `docker stop --time` / Kubernetes terminationGracePeriodSeconds above it).
ENTRYPOINT ["node", "/app/bin/zart.js"]
CMD ["serve"]
