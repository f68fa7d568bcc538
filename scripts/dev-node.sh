#!/usr/bin/env bash
# Sets up the machine, builds warden-node and starts a development chain.
#
# Extra arguments go to the node, e.g. `scripts/dev-node.sh --sealing instant`.
# Without `--base-path` the chain lives in a temporary directory (`--tmp`).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/warden/target}"

cargo build --locked -p warden-node
storage=(--tmp)
for arg in "$@"; do
	case "$arg" in --base-path* | -d) storage=() ;; esac
done
exec "$CARGO_TARGET_DIR/debug/warden-node" --dev "${storage[@]}" "$@"
