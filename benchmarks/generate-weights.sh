#!/usr/bin/env bash
# Regenerates the weights of the runtime's pallets from real measurements.
#
#   benchmarks/generate-weights.sh            # every pallet below
#   benchmarks/generate-weights.sh pallet_balances pallet_warden_operators
#
# Builds `warden-node` in release with the `runtime-benchmarks` feature, then runs its
# `benchmark pallet` subcommand on the development chain's runtime for each pallet and
# writes the result through a template:
#   - FRAME pallets -> runtime/src/weights/<pallet>.rs   (benchmarks/templates/runtime-weights.hbs)
#   - Warden pallets -> pallets/<name>/src/weights.rs    (benchmarks/templates/pallet-weights.hbs)
# and, for the name `overhead`, runs `benchmark overhead`: the base weights of an empty block
# and of an extrinsic (blocks of `System.remark`s), written to runtime/src/weights/
# block_weights.rs and extrinsic_weights.rs.
#
# STEPS and REPEAT can be lowered for a quick trial run: STEPS=2 REPEAT=1 ...
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/warden/target}"
steps="${STEPS:-50}"
repeat="${REPEAT:-20}"

# pallet name -> output file. Warden pallets get the pallet template.
declare -A runtime_pallets=(
	[frame_system]=runtime/src/weights/frame_system.rs
	[frame_system_extensions]=runtime/src/weights/frame_system_extensions.rs
	[pallet_balances]=runtime/src/weights/pallet_balances.rs
	[pallet_transaction_payment]=runtime/src/weights/pallet_transaction_payment.rs
	[pallet_timestamp]=runtime/src/weights/pallet_timestamp.rs
	[pallet_sudo]=runtime/src/weights/pallet_sudo.rs
	[pallet_collective]=runtime/src/weights/pallet_collective.rs
)
declare -A warden_pallets=()
for dir in pallets/*/; do
	name="$(basename "$dir")"
	if [ -f "$dir/src/benchmarking.rs" ]; then
		warden_pallets["pallet_warden_${name}"]="${dir}src/weights.rs"
	fi
done

selected=("$@")
if [ "${#selected[@]}" -eq 0 ]; then
	selected=(overhead "${!runtime_pallets[@]}" "${!warden_pallets[@]}")
fi

echo "[weights] building warden-node (release, runtime-benchmarks)" >&2
cargo build --locked --release -p warden-node --features runtime-benchmarks
node="$CARGO_TARGET_DIR/release/warden-node"

for pallet in "${selected[@]}"; do
	if [ "$pallet" = overhead ]; then
		echo "[weights] overhead -> runtime/src/weights/{block,extrinsic}_weights.rs" >&2
		"$node" benchmark overhead \
			--chain dev \
			--warmup "${OVERHEAD_WARMUP:-10}" \
			--repeat "${OVERHEAD_REPEAT:-100}" \
			--weight-path runtime/src/weights
		continue
	fi
	if [ -n "${runtime_pallets[$pallet]:-}" ]; then
		output="${runtime_pallets[$pallet]}"
		template=benchmarks/templates/runtime-weights.hbs
	elif [ -n "${warden_pallets[$pallet]:-}" ]; then
		output="${warden_pallets[$pallet]}"
		template=benchmarks/templates/pallet-weights.hbs
	else
		echo "[weights] unknown pallet $pallet" >&2
		exit 2
	fi
	echo "[weights] $pallet -> $output" >&2
	"$node" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template "$template" \
		--output "$output"
done
echo "[weights] done; review the diff and commit it" >&2
