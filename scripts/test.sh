#!/usr/bin/env bash
# Sets up the machine and runs every Warden test: pallet unit and property tests,
# runtime-level scenarios, end-to-end tests against a real warden-node (Rust clients and
# binaries), the doc tests, every pallet's benchmarks as tests, and the JavaScript suite
# (@polkadot/api).
#
# The workspace's tests run under cargo-nextest (`.config/nextest.toml`): each test in
# its own process, several at once, so the end-to-end tests, which mostly wait for
# blocks, overlap with the CPU-bound ones. The JavaScript suite, which also mostly
# waits, runs in the background meanwhile. Every runner's summary is printed, then one
# closing line with the totals; the exit code is non-zero if any test failed.
#
# Extra arguments go to `cargo nextest run` and skip the other steps, e.g.
# `scripts/test.sh -p pallet-warden-operators` or `scripts/test.sh -E 'test(/proptest/)'`.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh" || exit 1

# One target directory outside the clone keeps warm builds incremental across clones.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/warden/target}"

if [ "$#" -gt 0 ]; then
	exec cargo nextest run --locked "$@"
fi

started=$SECONDS
logs="$(mktemp -d)"
js_pid=""
cleanup() {
	if [ -n "$js_pid" ]; then kill -- "-$js_pid" 2>/dev/null || kill "$js_pid" 2>/dev/null; fi
	rm -rf "$logs"
}
trap cleanup EXIT
phase() { printf '\n[test] %s (at %dm%02ds)\n' "$1" $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)); }

passed=0
failed=0
failures=()
# Adds a runner's counts: `count <name> <passed> <failed> <exit code>`. A runner that
# failed without a failed test (a build error, a crash) still counts as one failure.
count() {
	local name=$1 ok=${2:-0} bad=${3:-0} code=$4
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$code" -ne 0 ]; then
		failures+=("$name")
		if [ "$bad" -eq 0 ]; then failed=$((failed + 1)); fi
	fi
}

# 1. Every test binary of the workspace, and warden-node for the JavaScript suite.
phase "building the workspace's tests"
if ! cargo nextest run --locked --workspace --no-run; then
	echo "[test] the workspace doesn't build" >&2
	exit 1
fi

# 2. The JavaScript suite in the background, in its own process group: @polkadot/api
#    against the node built above. Its output is printed when it ends.
phase "starting the JavaScript suite in the background"
setsid bash -c 'cd "$1" && npm ci --no-audit --no-fund --loglevel=error && npm test' \
	js "$root/tests/js" >"$logs/js.log" 2>&1 </dev/null &
js_pid=$!

# 3. Each pallet's benchmarks run once as tests (`runtime-benchmarks`), so a benchmark
#    that no longer runs fails here, not when weights are regenerated.
phase "pallet benchmarks as tests"
pallets=(operators services slashing rewards channels monitoring validators)
packages=()
features=()
for pallet in "${pallets[@]}"; do
	packages+=(-p "pallet-warden-$pallet")
	features+=("pallet-warden-$pallet/runtime-benchmarks")
done
SKIP_WASM_BUILD=1 cargo test --locked "${packages[@]}" --lib \
	--features "$(IFS=,; echo "${features[*]}")" -- benchmarking:: 2>&1 | tee "$logs/bench.log"
code=$?
count benchmarks \
	"$(grep -o '[0-9]* passed' "$logs/bench.log" | awk '{s += $1} END {print s + 0}')" \
	"$(grep -o '[0-9]* failed' "$logs/bench.log" | awk '{s += $1} END {print s + 0}')" "$code"

# 4. The workspace's tests, side by side.
phase "workspace tests (cargo nextest)"
cargo nextest run --locked --workspace 2>&1 | tee "$logs/nextest.log"
code=$?
summary="$(grep -E '^ *Summary \[' "$logs/nextest.log" | tail -1)"
count nextest \
	"$(grep -oE '[0-9]+ passed' <<<"$summary" | awk '{s += $1} END {print s + 0}')" \
	"$(grep -oE '[0-9]+ (failed|timed out)' <<<"$summary" | awk '{s += $1} END {print s + 0}')" \
	"$code"

# The slowest test binaries, from nextest's JUnit report: the sum of their tests' times
# (what they would take one test after another) and their longest test.
junit="$root/target/nextest/default/junit.xml"
if [ -f "$junit" ]; then
	echo "[test] slowest test binaries (sum of their tests' times):"
	grep -o '<testcase [^>]*>' "$junit" |
		sed -E 's/.*classname="([^"]*)".*time="([^"]*)".*/\1 \2/' |
		awk '{ sum[$1] += $2; n[$1]++; if ($2 > max[$1]) max[$1] = $2 }
			END { for (b in sum) printf "%8.1f s  %-34s %3d tests, longest %.1f s\n", sum[b], b, n[b], max[b] }' |
		sort -rn | head -5
fi

# 5. The doc tests, which nextest doesn't run.
phase "doc tests"
cargo test --locked --workspace --doc 2>&1 | tee "$logs/doc.log"
code=$?
count doc \
	"$(grep -o '[0-9]* passed' "$logs/doc.log" | awk '{s += $1} END {print s + 0}')" \
	"$(grep -o '[0-9]* failed' "$logs/doc.log" | awk '{s += $1} END {print s + 0}')" "$code"

# 6. The JavaScript suite's result.
phase "JavaScript suite (waiting for it to end)"
wait "$js_pid"
code=$?
js_pid=""
cat "$logs/js.log"
count javascript \
	"$(grep -E '^# pass [0-9]+' "$logs/js.log" | grep -oE '[0-9]+' | tail -1)" \
	"$(grep -E '^# fail [0-9]+' "$logs/js.log" | grep -oE '[0-9]+' | tail -1)" "$code"

phase "done"
if [ "${#failures[@]}" -gt 0 ]; then echo "[test] failed: ${failures[*]}"; fi
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
