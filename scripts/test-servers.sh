#!/usr/bin/env bash
# The contract and property suites against live servers: starts the compose
# file's EventStoreDB and MongoDB under a project of their own (a stack you run
# from the same file keeps its data, though it must not hold ports 2113 and
# 27017), waits until both are healthy, runs the suites with the URLs that
# reach them from this host, then removes the servers and their volumes.
# Arguments are passed on to jest. Needs Docker with Compose; CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! docker info >/dev/null 2>&1; then
  echo "test:servers needs Docker with a running engine" >&2
  exit 1
fi
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  echo "test:servers needs Docker with Compose (docker compose or docker-compose)" >&2
  exit 1
fi
compose+=(--project-name ledger-test-servers --file docker/compose.yml)

stop() {
  "${compose[@]}" down --volumes --remove-orphans
}
trap stop EXIT

"${compose[@]}" up --detach eventstore mongo

# Compose v1 has no `up --wait`, so the healthchecks are polled here.
wait_until_healthy() {
  local service=$1 container status=starting deadline=$((SECONDS + 180))
  container=$("${compose[@]}" ps --quiet "$service")
  while ((SECONDS < deadline)); do
    status=$(docker inspect --format '{{.State.Health.Status}}' "$container")
    [[ $status == healthy ]] && return 0
    [[ $status == unhealthy ]] && break
    sleep 2
  done
  echo "$service is $status after its healthchecks; its last log lines:" >&2
  "${compose[@]}" logs --tail 50 "$service" >&2
  return 1
}
wait_until_healthy eventstore
wait_until_healthy mongo

EVENTSTORE_URL='esdb://localhost:2113?tls=false' \
  MONGO_URL='mongodb://localhost:27017/?directConnection=true' \
  npx jest test/contract test/property "$@"
