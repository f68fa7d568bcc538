//! Applying a slash: the amount, who pays it, and where the money goes.

use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{fungible::Balanced, Imbalance, OnUnbalanced},
	weights::Weight,
};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{SaturatedConversion, Saturating, Zero},
	DispatchError, PerThing, Perbill, Percent, Rounding,
};
use warden_primitives::{OperatorRegistry, SlashId};

use crate::{
	BalanceOf, ConcludedSlash, ConcludedSlashes, Config, CreditOf, Error, Event, HeldBack,
	NextSlashId, Pallet, PendingSlash, PendingSlashCount, PendingSlashes, SlashOutcome, WeightInfo,
};

impl<T: Config> Pallet<T> {
	/// Applies a pending slash whose `apply_at` has come. Its queue entry is left behind,
	/// and dropped as stale when the hook reaches it. Returns how many positions it took
	/// from.
	pub(crate) fn do_apply_slash(slash_id: SlashId) -> Result<u32, DispatchError> {
		let slash =
			PendingSlashes::<T>::get(slash_id).ok_or_else(|| Self::not_pending_error(slash_id))?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= slash.apply_at, Error::<T>::NotDue);
		Self::remove_pending(slash_id, &slash);
		Ok(Self::apply(slash_id, slash))
	}

	/// The weight of applying a slash that takes from `positions` positions, by the hook
	/// or by `apply_slash`: the benchmark, plus the stake observer's weight per position.
	pub fn apply_weight(positions: u32, in_hook: bool) -> Weight {
		let measured = if in_hook {
			T::WeightInfo::on_initialize_apply(positions)
		} else {
			T::WeightInfo::apply_slash(positions)
		};
		measured.saturating_add(
			T::Operators::stake_change_weight().saturating_mul(u64::from(positions)),
		)
	}

	/// fraction × exposure × stake, rounded down, without overflow.
	///
	/// Computed as one exact rational, so it is never more than the true product.
	pub fn slash_amount(stake: BalanceOf<T>, exposure: Percent, fraction: Perbill) -> BalanceOf<T> {
		let parts =
			u128::from(exposure.deconstruct()).saturating_mul(u128::from(fraction.deconstruct()));
		let whole = u128::from(Percent::ACCURACY).saturating_mul(u128::from(Perbill::ACCURACY));
		// A stake wider than u128 saturates down, which can only slash less.
		let stake: u128 = stake.saturated_into();
		multiply_by_rational_with_rounding(stake, parts, whole, Rounding::Down)
			.unwrap_or_default()
			.saturated_into()
	}

	/// Applies a slash already taken out of [`PendingSlashes`] (see
	/// [`Self::remove_pending`], which also frees what it held back): takes from each
	/// recorded position what the slash recorded for it, or what it still holds if less,
	/// pays the reporter its reward out of what the offender's own stake lost, hands the
	/// rest to the slash destination and returns the report deposit. Returns how many
	/// positions it took from.
	///
	/// The reporter's reward never comes out of the delegators' stake: an operator
	/// reporting itself through an account it controls would otherwise be paid a part of
	/// its delegators' losses.
	///
	/// Infallible: once a slash is due it always concludes.
	pub(crate) fn apply(slash_id: SlashId, slash: PendingSlash<T>) -> u32 {
		let now = frame_system::Pallet::<T>::block_number();
		let sum = |takes: &[(T::AccountId, BalanceOf<T>)]| {
			takes.iter().fold(BalanceOf::<T>::zero(), |sum, (_, take)| sum.saturating_add(*take))
		};
		let amount = sum(&slash.positions);
		let (own, delegated): (Vec<_>, Vec<_>) =
			slash.positions.iter().cloned().partition(|(staker, _)| *staker == slash.offender);
		let take = |takes: &[(T::AccountId, BalanceOf<T>)]| {
			if sum(takes).is_zero() {
				CreditOf::<T>::zero()
			} else {
				T::Operators::slash_positions(&slash.offender, takes).0
			}
		};
		// The credits are what really moved, whatever the registry reports.
		let (own, delegated) = (take(&own), take(&delegated));
		let taken = own.peek().saturating_add(delegated.peek());

		let own_taken = own.peek();
		let (reward, rest) = own.split(slash.reporter_reward.mul_floor(own_taken));
		let rest = rest.merge(delegated);
		let (reporter_reward, rest) = if reward.peek().is_zero() {
			(Zero::zero(), rest.merge(reward))
		} else {
			let paid = reward.peek();
			match T::Currency::resolve(&slash.reporter, reward) {
				Ok(()) => (paid, rest),
				// Too small to create the reporter's account: it goes with the rest.
				Err(reward) => (Zero::zero(), rest.merge(reward)),
			}
		};
		T::SlashDestination::on_unbalanced(rest);

		ConcludedSlashes::<T>::insert(
			slash_id,
			ConcludedSlash { at: now, outcome: SlashOutcome::Applied },
		);
		Self::deposit_event(Event::SlashApplied {
			slash_id,
			offender: slash.offender,
			service: slash.service,
			stake: slash.stake,
			amount,
			taken,
			reporter_reward,
		});
		Self::return_deposit(slash_id, &slash.reporter, slash.deposit);
		slash.positions.len() as u32
	}

	/// Takes a slash out of the pending set and the offender's count, and frees what it
	/// held back of each position. Its queue entry stays, and is dropped as stale when the
	/// hook reaches it.
	pub(crate) fn remove_pending(slash_id: SlashId, slash: &PendingSlash<T>) {
		PendingSlashes::<T>::remove(slash_id);
		Self::uncount_pending(&slash.offender);
		for (staker, take) in slash.positions.iter() {
			HeldBack::<T>::mutate_exists(staker, &slash.offender, |held| {
				let left = held.unwrap_or_else(Zero::zero).saturating_sub(*take);
				*held = (!left.is_zero()).then_some(left);
			});
		}
	}

	/// One pending slash fewer against `offender`.
	pub(crate) fn uncount_pending(offender: &T::AccountId) {
		PendingSlashCount::<T>::mutate_exists(offender, |count| {
			let left = count.unwrap_or_default().saturating_sub(1);
			*count = (left > 0).then_some(left);
		});
	}

	/// The precise error for a slash id that is not pending.
	pub(crate) fn not_pending_error(slash_id: SlashId) -> Error<T> {
		if slash_id >= NextSlashId::<T>::get() {
			return Error::<T>::UnknownSlash;
		}
		match ConcludedSlashes::<T>::get(slash_id).map(|record| record.outcome) {
			Some(SlashOutcome::Applied) => Error::<T>::AlreadyApplied,
			Some(SlashOutcome::Vetoed(_)) => Error::<T>::AlreadyVetoed,
			None => Error::<T>::SlashConcluded,
		}
	}
}
