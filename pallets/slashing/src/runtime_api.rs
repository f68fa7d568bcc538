//! The answers to the [`SlashingApi`](warden_primitives::SlashingApi) runtime API.

use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use warden_primitives::{
	DisputeInfo, PendingSlashInfo, ServiceId, SlashId, MAX_PENDING_SLASHES_PER_QUERY,
};

use crate::{BalanceOf, Config, HeldBack, Pallet, Params, ParamsOf, PendingSlash, PendingSlashes};

/// A pending slash as the runtime API returns it.
pub type PendingSlashInfoOf<T> =
	PendingSlashInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// The slashing parameters in force.
	pub fn params() -> ParamsOf<T> {
		Params::<T>::get()
	}

	/// The pending slashes against `operator`, oldest first, at most
	/// [`MAX_PENDING_SLASHES_PER_QUERY`]. Reads the whole pending set: off-chain use only.
	pub fn pending_slashes_of_operator(operator: &T::AccountId) -> Vec<PendingSlashInfoOf<T>> {
		Self::pending_slashes_where(|slash| slash.offender == *operator)
	}

	/// The pending slashes for offences in `service`, oldest first, at most
	/// [`MAX_PENDING_SLASHES_PER_QUERY`]. Reads the whole pending set: off-chain use only.
	pub fn pending_slashes_of_service(service: ServiceId) -> Vec<PendingSlashInfoOf<T>> {
		Self::pending_slashes_where(|slash| slash.service == service)
	}

	/// What pending slashes hold back of `staker`'s positions, as `(operator, amount)`: the
	/// part of each it can't release until they conclude.
	pub fn held_back_of(staker: &T::AccountId) -> Vec<(T::AccountId, BalanceOf<T>)> {
		HeldBack::<T>::iter_prefix(staker).collect()
	}

	fn pending_slashes_where(
		filter: impl Fn(&PendingSlash<T>) -> bool,
	) -> Vec<PendingSlashInfoOf<T>> {
		let mut found: Vec<(SlashId, PendingSlash<T>)> =
			PendingSlashes::<T>::iter().filter(|(_, slash)| filter(slash)).collect();
		found.sort_by_key(|(id, _)| *id);
		found
			.into_iter()
			.take(MAX_PENDING_SLASHES_PER_QUERY as usize)
			.map(|(id, slash)| PendingSlashInfo {
				id,
				offender: slash.offender,
				service: slash.service,
				blueprint: slash.blueprint,
				fraction: slash.fraction,
				exposure: slash.exposure,
				reporter: slash.reporter,
				deposit: slash.deposit,
				stake: slash.stake,
				positions: slash.positions.into_inner(),
				reporter_reward: slash.reporter_reward,
				reason: slash.reason,
				evidence: slash.evidence,
				offence_at: slash.offence_at,
				proposed_at: slash.proposed_at,
				apply_at: slash.apply_at,
				dispute: slash
					.dispute
					.map(|d| DisputeInfo { at: d.at, statement: d.statement.into_inner() }),
			})
			.collect()
	}
}
