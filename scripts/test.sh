#!/usr/bin/env bash
# Sets up the machine and runs every Warden test: pallet unit and property tests,
# runtime-level scenarios, end-to-end tests against a real warden-node (Rust clients and
# binaries), every pallet's benchmarks as tests, and the JavaScript suite (@polkadot/api).
#
# Extra arguments go to the workspace's `cargo test` and skip the other two steps, e.g.
# `scripts/test.sh -p pallet-warden-operators`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"

# One target directory outside the clone keeps warm builds incremental across clones.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/warden/target}"

cargo test --locked --workspace "$@"
if [ "$#" -gt 0 ]; then exit 0; fi

# Each pallet's benchmarks run once as tests (`runtime-benchmarks`), so a benchmark that
# no longer runs fails here, not when weights are regenerated. The other tests of these
# crates ran above.
pallets=(operators services slashing rewards channels monitoring validators)
packages=()
features=()
for pallet in "${pallets[@]}"; do
	packages+=(-p "pallet-warden-$pallet")
	features+=("pallet-warden-$pallet/runtime-benchmarks")
done
SKIP_WASM_BUILD=1 cargo test --locked "${packages[@]}" --lib \
	--features "$(IFS=,; echo "${features[*]}")" -- benchmarking::

# The JavaScript suite: @polkadot/api against the node built above.
(cd "$root/tests/js" && npm ci --no-audit --no-fund --loglevel=error && npm test)
