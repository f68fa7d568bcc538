//! The chains this node knows by name.

use sc_service::ChainType;
use warden_runtime::WASM_BINARY;

/// A chain spec of the Warden runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The token's symbol and decimals and the SS58 prefix, for wallets.
pub fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), "WRD".into());
	properties.insert("tokenDecimals".into(), 12.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

/// The runtime's wasm blob.
pub fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"this node was built without the runtime's wasm blob (SKIP_WASM_BUILD was set); \
		 rebuild without it"
			.to_string()
	})
}

/// The single-node development chain (`--dev`, `--chain dev`).
pub fn development() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Warden Development")
		.with_id("warden_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The two-validator local testnet (`--chain local`): Alice and Bob.
pub fn local_testnet() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Warden Local Testnet")
		.with_id("warden_local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}
