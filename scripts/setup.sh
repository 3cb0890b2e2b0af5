#!/usr/bin/env bash
# Installs what the tests need on a fresh machine: system tools (node, bc, unzip, curl, openssl, sqlite3, a C++
# toolchain), PostgreSQL and Redis, Chromium, the e2e suite's and the hosted pages' npm packages. The reference Better
# Auth's packages are installed by its own run.sh the first time a suite starts it (it compiles better-sqlite3 once).
# Idempotent; quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
if ! need node || ! need npm; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
if ! need bc; then apt-get update -qq && apt-get install -y -qq bc; fi
# scripts/package-smoke.sh reads the packed .nupkg files and drives the built apps over HTTP.
for tool in unzip curl; do need "$tool" || { apt-get update -qq && apt-get install -y -qq unzip curl; break; }; done
# The container suite makes a throwaway TLS certificate with the openssl CLI (not always in a minimal image).
if ! need openssl; then apt-get update -qq && apt-get install -y -qq openssl; fi
# The admin e2e suite and the conformance admin group promote a user with the sqlite3 CLI.
if ! need sqlite3; then apt-get update -qq && apt-get install -y -qq sqlite3; fi
# better-sqlite3 (reference) builds from source.
for tool in python3 make g++; do need "$tool" || { apt-get update -qq && apt-get install -y -qq python3 make g++; break; }; done

if [ ! -d e2e/node_modules ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

# PostgreSQL and Redis for the storage tests, the PostgreSQL test run and the multi-instance e2e suite.
bash scripts/services.sh install

# Browser tests (e2e/tests/browser-pages.test.mjs) drive Debian's Chromium.
if [ ! -x /usr/bin/chromium ]; then apt-get update -qq && apt-get install -y -qq chromium; fi

# The hosted pages and admin console: web/ builds into src/BetterAuth.Server/wwwroot (git-ignored), which the
# server's build copies to its output. Rebuilt only when a source is newer than the last build.
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
built=src/BetterAuth.Server/wwwroot/index.html
if [ ! -f "$built" ] || [ -n "$(find web/src web/index.html web/vite.config.ts web/package-lock.json -newer "$built" -print -quit)" ]; then
  (cd web && npm run --silent build >/dev/null) || { echo "web build failed"; exit 1; }
fi
