#!/usr/bin/env bash
# One command: build our server (Release) and the ceiling app, install wrk if missing, start throwaway PostgreSQL and
# Redis (durable settings), benchmark ours and the reference side by side, write bench/RESULTS.md.
# `--quick` for one short run of each.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
# `ss` finds the pid of each server process (peak RSS).
command -v ss >/dev/null || { apt-get update -qq && apt-get install -y -qq iproute2; }
bash scripts/setup.sh
dotnet build src/BetterAuth.Server -c Release -nologo -v q
dotnet build bench/Ceiling -c Release -nologo -v q

services_dir=$(mktemp -d /tmp/better-auth-bench-services-XXXXXX)
trap 'bash scripts/services.sh stop "$services_dir"' EXIT
eval "$(BETTER_AUTH_SERVICES_DURABLE=1 bash scripts/services.sh start "$services_dir")"
node bench/run.mjs "$@"
