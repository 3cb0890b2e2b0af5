#!/usr/bin/env bash
# Installs what the tests need on a fresh machine: the e2e suite's npm packages and the reference
# Better Auth's packages (its run.sh compiles better-sqlite3 once). Idempotent; quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
if ! need node || ! need npm; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
if ! need bc; then apt-get update -qq && apt-get install -y -qq bc; fi
# better-sqlite3 (reference) builds from source.
for tool in python3 make g++; do need "$tool" || { apt-get update -qq && apt-get install -y -qq python3 make g++; break; }; done

if [ ! -d e2e/node_modules ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
