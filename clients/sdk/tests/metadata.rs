//! The client can't drift from the runtime: `metadata.scale`, which its types are generated
//! from, must match the metadata of the runtime in this workspace for everything the client
//! uses (every pallet and runtime API, compared by subxt's structural hashes, so a doc
//! comment doesn't count). `WARDEN_WRITE_METADATA=1` writes the file anew.

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/metadata.scale");
const REFRESH: &str = "WARDEN_WRITE_METADATA=1 cargo test -p warden-client --test metadata";

/// The runtime's V16 metadata, as the node serves it: inside externalities, since some
/// constants (the timestamp pallet's minimum period, half the genesis' slot length) are
/// read from storage. Empty storage gives their defaults.
fn runtime_metadata() -> Vec<u8> {
	sp_io::TestExternalities::default().execute_with(|| {
		warden_runtime::Runtime::metadata_at_version(16)
			.expect("the runtime serves V16 metadata")
			.to_vec()
	})
}

#[test]
fn metadata_matches_the_runtime() {
	let bytes = runtime_metadata();
	if std::env::var_os("WARDEN_WRITE_METADATA").is_some() {
		std::fs::write(FILE, &bytes).expect("metadata.scale is writable");
		eprintln!("wrote {FILE}");
		return;
	}
	let committed = std::fs::read(FILE).expect("metadata.scale exists");
	let committed = subxt::Metadata::decode_from(&committed[..]).expect("the file decodes");
	let runtime = subxt::Metadata::decode_from(&bytes[..]).expect("the runtime's decodes");

	let mut drifted = Vec::new();
	for pallet in runtime.pallets() {
		match committed.pallet_by_name(pallet.name()) {
			Some(old) if old.hash() == pallet.hash() && old.call_index() == pallet.call_index() => {
			}
			Some(_) => drifted.push(format!("pallet {}", pallet.name())),
			None => drifted.push(format!("new pallet {}", pallet.name())),
		}
	}
	for api in runtime.runtime_api_traits() {
		match committed.runtime_api_trait_by_name(api.name()) {
			Some(old) if old.hash() == api.hash() => {}
			Some(_) => drifted.push(format!("runtime API {}", api.name())),
			None => drifted.push(format!("new runtime API {}", api.name())),
		}
	}
	for pallet in committed.pallets() {
		if runtime.pallet_by_name(pallet.name()).is_none() {
			drifted.push(format!("removed pallet {}", pallet.name()));
		}
	}
	assert!(
		drifted.is_empty(),
		"clients/sdk/metadata.scale is out of date ({}). Refresh it with:\n    {REFRESH}",
		drifted.join(", ")
	);
	// The generated code agrees with the file too.
	assert!(warden_client::api::is_codegen_valid_for(&runtime), "regenerate: {REFRESH}");
}
