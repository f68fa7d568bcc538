#!/usr/bin/env bash
# Sets up the machine and runs every Warden test: pallet unit and property tests,
# runtime-level scenarios, and end-to-end tests against a real warden-node.
#
# Extra arguments go to `cargo test`, e.g. `scripts/test.sh -p pallet-warden-operators`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"

# One target directory outside the clone keeps warm builds incremental across clones.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/warden/target}"

cargo test --locked --workspace "$@"
