#!/usr/bin/env bash
# Uses the packages as a user gets them from npm: packs every package, checks the tarballs with
# publint and arethetypeswrong, installs them into fresh npm projects outside the repository
# (the registry serves only third-party dependencies), then
#  - a default `npm init -y` (CommonJS) project: strict type-check with skipLibCheck off, a workflow
#    on SQLite and PostgreSQL (compiled to CommonJS, so through require(esm)), the README quick start
#    run with tsx, and `npx zart --help`;
#  - a project made by the packed create-zart: typecheck, `npm start` (SQLite), `npm run
#    start:postgres` and `npm test`.
# Needs built packages (`pnpm build`; prepack rebuilds what is stale) and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
WORK=$(mktemp -d "${TMPDIR:-/tmp}/zart-consumer.XXXXXX")
[ -n "${KEEP_CONSUMER:-}" ] || trap 'rm -rf "$WORK"' EXIT
PACKS=$WORK/packs
export ZART_TEST_POSTGRES_URL="${ZART_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

echo "── pack"
for dir in packages/*/; do (cd "$dir" && pnpm pack --pack-destination "$PACKS" >/dev/null); done

echo "── publint, arethetypeswrong"
# ESM only: CommonJS callers use require(esm) (Node ^20.19 / >=22.12, the engines range).
# attw waits on the network more than it computes: the tarballs are checked in parallel.
check_tarball() {
  "$REPO/node_modules/.bin/publint" run "$1" --strict && "$REPO/node_modules/.bin/attw" "$1" --profile esm-only
}
pids=()
for tgz in "$PACKS"/*.tgz; do
  check_tarball "$tgz" >"$tgz.check.log" 2>&1 &
  pids+=("$!")
done
failed=0
tarballs=("$PACKS"/*.tgz)
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then echo "  ok ${tarballs[$i]##*/}"; else cat "${tarballs[$i]}.check.log"; failed=1; fi
done
[ "$failed" = 0 ] || { echo "publint or attw found problems"; exit 1; }

echo "── consumer project (npm init -y, CommonJS)"
APP=$WORK/app
mkdir -p "$APP" && cd "$APP"
npm init -y >/dev/null
node "$REPO/.ci/consumer/use-tarballs.mjs" "$APP" "$PACKS" @zart/core @zart/store-memory @zart/store-sqlite \
  @zart/store-postgres @zart/store-redis @zart/conformance @zart/server @zart/cli @zart/testing
cp "$REPO/.ci/consumer/consumer.ts" "$REPO/.ci/consumer/tsconfig.json" .
# The README's quick start, as a user would paste it.
node "$REPO/.ci/consumer/readme-snippet.mjs" "$REPO/README.md" Quickstart > main.ts
npm install --silent zod@^4.1.0 typescript@^5.9.0 tsx@^4.20.0 @types/node@^20.19.0
test "$(npm pkg get type)" = '"commonjs"'
npx tsc -p tsconfig.json
node dist/consumer.js
npx tsx main.ts
npx zart --help >/dev/null && echo "npx zart --help: ok"

echo "── create-zart project"
cd "$WORK"
npm exec --yes --package="$PACKS/create-zart-$(node -p "require('$REPO/packages/create-zart/package.json').version").tgz" \
  -- create-zart my-app
cd my-app
node "$REPO/.ci/consumer/use-tarballs.mjs" "$PWD" "$PACKS"
npm install --silent
npm run typecheck
npm start
ZART_DATABASE_URL="$ZART_TEST_POSTGRES_URL" npm run start:postgres
npm test
echo "── consumer test: ok"
