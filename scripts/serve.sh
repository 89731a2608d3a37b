#!/usr/bin/env bash
# Builds the release site with Trunk and serves it on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh serve
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
echo "[serve] building the release site and serving it on http://127.0.0.1:8080 (Ctrl-C to stop)"
exec trunk serve --release
