//! The chain's calls, storage, events, errors and runtime APIs, generated at compile time
//! from `metadata.scale` (V16 metadata of the Warden runtime) by subxt.
//!
//! The test `metadata_matches_the_runtime` compares the file with the runtime in this
//! workspace, so the client can't drift from the chain it ships with. Refresh it with
//!
//! ```sh
//! WARDEN_WRITE_METADATA=1 cargo test -p warden-client --test metadata
//! ```

#[allow(missing_docs, clippy::all)]
#[subxt::subxt(
	runtime_metadata_path = "metadata.scale",
	derive_for_all_types = "Clone, PartialEq, Eq"
)]
pub mod api {}

pub use api::runtime_types;

/// The metadata the code above was generated from. Including it makes the compiler track
/// the file, so refreshing it rebuilds the generated code.
pub const METADATA: &[u8] = include_bytes!("../metadata.scale");
