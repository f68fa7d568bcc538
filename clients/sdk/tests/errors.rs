//! A chain refusal decodes into `Pallet::Error` with the error's documentation, from the
//! same metadata the client is generated from.

use codec::Encode;
use sp_runtime::{DispatchError as RuntimeError, ModuleError};
use subxt::error::DispatchError;
use warden_client::Error;

fn metadata() -> subxt::ArcMetadata {
	let metadata = subxt::Metadata::decode_from(warden_client::METADATA).expect("metadata decodes");
	metadata.into()
}

/// The bytes the runtime reports for `pallet`'s error `name`.
fn module_error(metadata: &subxt::Metadata, pallet: &str, name: &str) -> Vec<u8> {
	let pallet = metadata.pallet_by_name(pallet).expect("the pallet exists");
	let variant = pallet
		.error_variants()
		.and_then(|variants| variants.iter().find(|v| v.name == name))
		.expect("the error exists");
	RuntimeError::Module(ModuleError {
		index: pallet.call_index(),
		error: [variant.index, 0, 0, 0],
		message: None,
	})
	.encode()
}

#[test]
fn pallet_errors_decode_with_their_docs() {
	let metadata = metadata();
	let bytes = module_error(&metadata, "Operators", "DelegationBelowMinimum");
	let decoded = DispatchError::decode_from(bytes, metadata.clone()).expect("decodes");
	let error = Error::from_dispatch(&decoded);
	let Error::Rejected { pallet, error: name, docs } = &error else {
		panic!("a pallet error: {error:?}")
	};
	assert_eq!((pallet.as_str(), name.as_str()), ("Operators", "DelegationBelowMinimum"));
	assert!(docs.contains("minimum delegation"), "{docs}");
	assert_eq!(error.pallet_error().as_deref(), Some("Operators::DelegationBelowMinimum"));
	assert!(error.is_refusal());
	assert_eq!(
		error.to_string(),
		format!("the chain refused it: Operators::DelegationBelowMinimum: {docs}")
	);
	assert!(!error.to_string().contains('\n'), "one line");
}

#[test]
fn system_errors_keep_their_name() {
	let decoded =
		DispatchError::decode_from(RuntimeError::BadOrigin.encode(), metadata()).expect("decodes");
	let error = Error::from_dispatch(&decoded);
	assert_eq!(error, Error::Dispatch("BadOrigin: Bad origin.".into()));
	assert!(error.is_refusal() && error.pallet_error().is_none());
}
