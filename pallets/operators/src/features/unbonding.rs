//! Unbonding chunks of one stake position: scheduling, releasing and cancelling.

use frame_support::ensure;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	ArithmeticError, DispatchResult,
};
use warden_primitives::UnbondingChunk;

use crate::{total_of, BalanceOf, Config, Error, UnbondingQueue};
use frame_system::pallet_prelude::BlockNumberFor;

/// Adds `amount` unlocking at `unlock_at`. A request unlocking in the same block as the
/// newest chunk joins it; otherwise it takes a new chunk, and fails with
/// [`Error::TooManyUnbondingRequests`] if there is no room.
pub(crate) fn schedule<T: Config>(
	queue: &mut UnbondingQueue<T>,
	amount: BalanceOf<T>,
	unlock_at: BlockNumberFor<T>,
) -> DispatchResult {
	if let Some(newest) = queue.last_mut() {
		if newest.unlock_at == unlock_at {
			newest.amount = newest.amount.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;
			return Ok(());
		}
	}
	queue
		.try_push(UnbondingChunk { amount, unlock_at })
		.map_err(|_| Error::<T>::TooManyUnbondingRequests.into())
}

/// Like [`schedule`], but never refused for lack of room: on a full queue, `amount` joins
/// the chunk that unlocks last, which then unlocks at the later of its block and
/// `unlock_at`. Used when an operator's exit moves delegations to unbonding.
pub(crate) fn schedule_forced<T: Config>(
	queue: &mut UnbondingQueue<T>,
	amount: BalanceOf<T>,
	unlock_at: BlockNumberFor<T>,
) {
	if schedule::<T>(queue, amount, unlock_at).is_ok() {
		return;
	}
	let latest = queue.iter_mut().reduce(|a, b| if b.unlock_at >= a.unlock_at { b } else { a });
	match latest {
		Some(chunk) => {
			chunk.amount = chunk.amount.saturating_add(amount);
			chunk.unlock_at = chunk.unlock_at.max(unlock_at);
		}
		// Unreachable: `schedule` only fails on a full (so non-empty) queue or on overflow.
		None => {
			let _ = queue.try_push(UnbondingChunk { amount, unlock_at });
		}
	}
}

/// What is due at `now` in `queue`.
pub(crate) fn due<T: Config>(queue: &UnbondingQueue<T>, now: BlockNumberFor<T>) -> BalanceOf<T> {
	queue
		.iter()
		.filter(|chunk| chunk.unlock_at <= now)
		.fold(Zero::zero(), |sum: BalanceOf<T>, chunk| sum.saturating_add(chunk.amount))
}

/// Removes what is due at `now`, in queue order, but at most `limit`: a chunk only partly
/// within the limit keeps the rest. Returns what was removed.
pub(crate) fn take_due<T: Config>(
	queue: &mut UnbondingQueue<T>,
	now: BlockNumberFor<T>,
	limit: BalanceOf<T>,
) -> BalanceOf<T> {
	let mut left = limit;
	let mut released = BalanceOf::<T>::zero();
	for chunk in queue.iter_mut().filter(|chunk| chunk.unlock_at <= now) {
		let take = chunk.amount.min(left);
		chunk.amount = chunk.amount.saturating_sub(take);
		released = released.saturating_add(take);
		left = left.saturating_sub(take);
	}
	queue.retain(|chunk| !chunk.amount.is_zero());
	released
}

/// Releases what is due in a position's `queue` at `now`, keeping back `held_back` of the
/// position's `total` (active plus unbonding) for pending slashes. Fails with
/// [`Error::UnbondingNotDue`] if nothing is due, and [`Error::HeldBackForSlash`] if all of
/// it is held back. Returns what was released.
pub(crate) fn release_due<T: Config>(
	queue: &mut UnbondingQueue<T>,
	now: BlockNumberFor<T>,
	total: BalanceOf<T>,
	held_back: BalanceOf<T>,
) -> Result<BalanceOf<T>, sp_runtime::DispatchError> {
	ensure!(!due::<T>(queue, now).is_zero(), Error::<T>::UnbondingNotDue);
	let released = take_due::<T>(queue, now, total.saturating_sub(held_back));
	ensure!(!released.is_zero(), Error::<T>::HeldBackForSlash);
	Ok(released)
}

/// Takes `amount` out of the chunks, newest first. Fails with
/// [`Error::NotEnoughUnbonding`], changing nothing, if they hold less.
pub(crate) fn cancel<T: Config>(
	queue: &mut UnbondingQueue<T>,
	amount: BalanceOf<T>,
) -> DispatchResult {
	ensure!(total_of::<T>(queue) >= amount, Error::<T>::NotEnoughUnbonding);
	let mut left = amount;
	while !left.is_zero() {
		let Some(newest) = queue.last_mut() else { break };
		if newest.amount <= left {
			left = left.saturating_sub(newest.amount);
			queue.pop();
		} else {
			newest.amount = newest.amount.saturating_sub(left);
			left = Zero::zero();
		}
	}
	Ok(())
}
