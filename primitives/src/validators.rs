//! The validator set: what the [`ValidatorSetApi`] runtime API returns.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// The index of a session.
pub type SessionIndex = u32;

/// The validator set as governance manages it and as the session pallet applies it.
///
/// A change by governance is taken at the next session boundary into `queued`, and
/// becomes `active` (authors blocks, votes in GRANDPA) at the boundary after that.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ValidatorSetInfo<AccountId, BlockNumber> {
	/// The current session.
	pub session: SessionIndex,
	/// Blocks per session, fixed at genesis.
	pub session_length: BlockNumber,
	/// The first block of the next session.
	pub next_session_start: BlockNumber,
	/// The validators of the current session.
	pub active: Vec<AccountId>,
	/// The validators of the next session, with their keys already queued.
	pub queued: Vec<AccountId>,
	/// The set governance has decided on: taken into `queued` at the next boundary.
	pub target: Vec<AccountId>,
	/// Whether `target` changed since the last boundary took it.
	pub target_changed: bool,
	/// The fewest validators `target` may have.
	pub min_validators: u32,
	/// The most validators `target` may have.
	pub max_validators: u32,
}

sp_api::decl_runtime_apis! {
	/// Read access to the validator set, for validators and dashboards.
	pub trait ValidatorSetApi<AccountId, BlockNumber>
	where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The session, and the active, queued and target validator sets.
		fn validator_set() -> ValidatorSetInfo<AccountId, BlockNumber>;
		/// Whether `who` has registered session keys (`Session.set_keys`).
		fn has_session_keys(who: AccountId) -> bool;
	}
}
