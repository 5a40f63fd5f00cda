#!/usr/bin/env bash
# Try the product on this machine, from a fresh clone: boots the cluster a stack renders as real
# etcd processes (npm run try; see scripts/try.ts) after installing what it needs: Node >= 22,
# the npm dependencies, iproute2 and etcd 3.5. Arguments go to the try script:
#   bash scripts/try.sh [--stack dev] [--members 3|5|7] [--keep]
# Needs root (network namespaces), the npm registry and the Debian archive; no AWS, no Pulumi CLI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=.ci/node.sh
source .ci/node.sh

# npm ci writes node_modules/.package-lock.json: older than package-lock.json means stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "try: installing the npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

if ! command -v ip >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "try: the ip command (iproute2) is missing; run as root to install it" >&2; exit 1; }
  echo "try: installing iproute2" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iproute2 >/dev/null
fi

ETCD_BIN_DIR="$(scripts/fetch-etcd.sh)"
export ETCD_BIN_DIR

npm run -s try -- "$@"
