#!/usr/bin/env bash
# Installs what a fresh machine needs to build and test Warden.
#
# Idempotent: every step checks first and only installs what is missing, so
# both README commands call it on every run.
#   - Debian packages: protobuf-compiler (libp2p's build needs `protoc`), clang
#     (C/C++ parts of the dependency tree), and libssl-dev with pkg-config (the
#     networking stack's WebRTC transport links OpenSSL).
#   - Through rustup, on the machine's stable toolchain: the wasm targets the
#     runtime is built for, and rust-src.
#   - Node.js and npm (Debian packages) for the JavaScript tests in tests/js.
#   - cargo-nextest, which runs the workspace's tests (`.config/nextest.toml`): built from
#     crates.io at a pinned version when missing or older than the configuration needs,
#     in the shared target directory so a second install is incremental.
set -euo pipefail

# The cargo-nextest version installed when none (or too old a one) is found.
NEXTEST_VERSION=0.9.143
# The oldest version `.config/nextest.toml` works with (its `nextest-version`).
NEXTEST_MINIMUM=0.9.91

log() { printf '[setup] %s\n' "$*" >&2; }

sudo_if_needed() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing_pkgs=()
command -v protoc >/dev/null 2>&1 || missing_pkgs+=(protobuf-compiler)
command -v clang >/dev/null 2>&1 || missing_pkgs+=(clang)
command -v pkg-config >/dev/null 2>&1 || missing_pkgs+=(pkg-config)
if ! pkg-config --exists openssl 2>/dev/null; then missing_pkgs+=(libssl-dev); fi
command -v node >/dev/null 2>&1 || missing_pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || missing_pkgs+=(npm)
if [ "${#missing_pkgs[@]}" -gt 0 ]; then
	if ! command -v apt-get >/dev/null 2>&1; then
		log "missing ${missing_pkgs[*]} and no apt-get: install them with your package manager"
		exit 1
	fi
	log "installing ${missing_pkgs[*]}"
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}" >/dev/null
fi

if ! command -v rustup >/dev/null 2>&1; then
	log "rustup not found: install it from https://rustup.rs and run this script again"
	exit 1
fi

installed_targets="$(rustup target list --installed)"
for target in wasm32-unknown-unknown wasm32v1-none; do
	if ! grep -qx "$target" <<<"$installed_targets"; then
		log "adding rust target $target"
		rustup target add "$target"
	fi
done

if ! rustup component list --installed | grep -q '^rust-src'; then
	log "adding rust-src"
	rustup component add rust-src
fi

nextest_version() { cargo nextest --version 2>/dev/null | head -1 | awk '{print $2}'; }
found="$(nextest_version)"
if [ -z "$found" ] || [ "$(printf '%s\n%s\n' "$NEXTEST_MINIMUM" "$found" | sort -V | head -1)" != "$NEXTEST_MINIMUM" ]; then
	log "installing cargo-nextest $NEXTEST_VERSION from crates.io (found: ${found:-none})"
	cargo install --locked cargo-nextest --version "$NEXTEST_VERSION" \
		--target-dir "${CARGO_TARGET_DIR:-$HOME/.cache/warden/target}/tools"
	found="$(nextest_version)"
fi

log "ready: $(rustc --version), protoc $(protoc --version | cut -d' ' -f2), $(clang --version | head -1), node $(node --version), npm $(npm --version), cargo-nextest $found"
