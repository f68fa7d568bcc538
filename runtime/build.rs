//! Builds the runtime to wasm (unless `SKIP_WASM_BUILD` is set) for the node to embed.

fn main() {
	#[cfg(feature = "std")]
	{
		// The wasm build looks for `Cargo.lock` above its output directory, which isn't
		// inside the workspace when `CARGO_TARGET_DIR` points elsewhere. Point it at the
		// workspace so the wasm runtime is built from the same pinned versions.
		if std::env::var_os("WASM_BUILD_WORKSPACE_HINT").is_none() {
			let manifest_dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
			if let Some(workspace) = manifest_dir.parent() {
				std::env::set_var("WASM_BUILD_WORKSPACE_HINT", workspace);
			}
		}
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
	}
}
