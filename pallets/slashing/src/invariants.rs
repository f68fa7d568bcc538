//! The pallet's invariants, checked by `try_state` and after every test.

use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::{ensure, traits::fungible::InspectHold};
use sp_runtime::{
	traits::{CheckedAdd, Zero},
	TryRuntimeError,
};
use warden_primitives::SlashId;

use crate::{
	BalanceOf, ConcludedSlashes, Config, HeldBack, HoldReason, NextSlashId, NextToPrune, Pallet,
	Params, PendingSlashCount, PendingSlashes, ReportDeposits, SlashSchedule,
};

impl<T: Config> Pallet<T> {
	/// Proves that:
	/// - the parameters are valid (including defer < the operators' unbonding delay);
	/// - the application queue ([`SlashSchedule`]) is well formed, and every pending slash
	///   has an id below [`NextSlashId`], no concluded record, and exactly one queue entry,
	///   at its `apply_at` or later (queue entries of vetoed or hand-applied slashes are
	///   stale and allowed);
	/// - [`PendingSlashCount`] equals the pending slashes per offender, with no zero entry;
	/// - every pending slash records at most [`Config::MaxSlashedPositions`] positions, each
	///   once and with something to take, and no more than its stake in all;
	/// - [`HeldBack`] equals, for each staker and operator, the sum of what the pending
	///   slashes against that operator may take from that staker, with no zero entry;
	/// - [`ReportDeposits`] equals the deposits of each reporter's pending slashes, and what
	///   the currency holds for them under [`HoldReason::ReportDeposit`];
	/// - concluded records lie in `[NextToPrune, NextSlashId)`, and no pending slash is below
	///   [`NextToPrune`].
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::validate_params(&Params::<T>::get()).map_err(|_| "parameters are invalid")?;

		SlashSchedule::<T>::check()?;
		let next_slash_id = NextSlashId::<T>::get();
		let mut queued: BTreeMap<SlashId, alloc::vec::Vec<_>> = BTreeMap::new();
		for (block, _, id) in SlashSchedule::<T>::all_entries() {
			queued.entry(id).or_default().push(block);
		}
		let mut counts: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut pending_ids: BTreeSet<SlashId> = BTreeSet::new();
		let mut held_back: BTreeMap<(T::AccountId, T::AccountId), BalanceOf<T>> = BTreeMap::new();

		for (id, slash) in PendingSlashes::<T>::iter() {
			ensure!(id < next_slash_id, "pending slash id not below NextSlashId");
			ensure!(!ConcludedSlashes::<T>::contains_key(id), "pending slash is also concluded");
			ensure!(slash.proposed_at < slash.apply_at, "pending slash due before its proposal");
			match queued.get(&id).map(|blocks| blocks.as_slice()) {
				Some([block]) => {
					ensure!(*block >= slash.apply_at, "pending slash queued before its apply_at")
				}
				_ => return Err("pending slash not queued exactly once".into()),
			}
			let count = counts.entry(slash.offender.clone()).or_default();
			*count = count.checked_add(1).ok_or("pending count overflow")?;
			let held = deposits.entry(slash.reporter.clone()).or_insert_with(Zero::zero);
			*held = held.checked_add(&slash.deposit).ok_or("deposit overflow")?;
			let mut stakers = BTreeSet::new();
			let mut amount = BalanceOf::<T>::zero();
			for (staker, take) in slash.positions.iter() {
				ensure!(!take.is_zero(), "a pending slash records a position with nothing to take");
				ensure!(stakers.insert(staker.clone()), "a pending slash records a position twice");
				amount = amount.checked_add(take).ok_or("slash amount overflow")?;
				let held = held_back
					.entry((staker.clone(), slash.offender.clone()))
					.or_insert_with(Zero::zero);
				*held = held.checked_add(take).ok_or("held back overflow")?;
			}
			ensure!(amount <= slash.stake, "a pending slash takes more than the stake it recorded");
			pending_ids.insert(id);
		}

		for id in queued.keys() {
			ensure!(*id < next_slash_id, "queued slash id not below NextSlashId");
		}

		let mut count_entries = 0usize;
		for (operator, count) in PendingSlashCount::<T>::iter() {
			ensure!(count > 0, "zero pending count kept");
			ensure!(counts.get(&operator) == Some(&count), "pending count mismatch");
			count_entries = count_entries.saturating_add(1);
		}
		ensure!(count_entries == counts.len(), "operator with pending slashes but no count");

		let mut held_back_entries = 0usize;
		for (staker, operator, held) in HeldBack::<T>::iter() {
			ensure!(!held.is_zero(), "zero held back kept");
			ensure!(
				held_back.get(&(staker, operator)) == Some(&held),
				"HeldBack differs from the pending slashes"
			);
			held_back_entries = held_back_entries.saturating_add(1);
		}
		ensure!(held_back_entries == held_back.len(), "a pending slash's hold is missing");

		let mut deposit_entries = 0usize;
		for (reporter, held) in ReportDeposits::<T>::iter() {
			ensure!(!held.is_zero(), "zero deposit ledger kept");
			ensure!(deposits.get(&reporter) == Some(&held), "deposit ledger mismatch");
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ReportDeposit.into(), &reporter) == held,
				"held report deposit differs from the ledger"
			);
			deposit_entries = deposit_entries.saturating_add(1);
		}
		ensure!(deposit_entries == deposits.len(), "reporter with deposits but no ledger");

		let next_to_prune = NextToPrune::<T>::get();
		ensure!(next_to_prune <= next_slash_id, "prune cursor past NextSlashId");
		ensure!(
			pending_ids.first().is_none_or(|oldest| *oldest >= next_to_prune),
			"prune cursor past a pending slash"
		);
		for (id, _) in ConcludedSlashes::<T>::iter() {
			ensure!(
				id >= next_to_prune && id < next_slash_id,
				"concluded record outside [NextToPrune, NextSlashId)"
			);
		}
		Ok(())
	}
}
