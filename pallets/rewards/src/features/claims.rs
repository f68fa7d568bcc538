//! Claims: paying an account everything its positions earned.

use crate::pallet::*;
use frame_support::{
	ensure,
	pallet_prelude::DispatchError,
	traits::{fungible::Mutate, tokens::Preservation},
};
use warden_primitives::Balance;

impl<T: Config> Pallet<T> {
	/// Moves what each of `who`'s positions earned to its unclaimed rewards. The work is one
	/// pool refresh and one position update per position, whatever the number of eras.
	pub(crate) fn accrue_all(who: &T::AccountId) -> u32 {
		let mut earned: Balance = 0;
		let positions = StakerPositions::<T>::get(who);
		let count = positions.len() as u32;
		for operator in positions {
			let (Some(mut pool), Some(mut position)) =
				(Self::refreshed_pool(&operator), Positions::<T>::get(&operator, who))
			else {
				continue;
			};
			earned =
				earned.saturating_add(Self::accrue_position(&operator, &mut pool, &mut position));
			Positions::<T>::insert(&operator, who, position);
			Pools::<T>::insert(&operator, pool);
		}
		Self::credit(who, earned);
		count
	}

	/// Pays all of `who`'s rewards from the pot. Returns how many positions it holds.
	pub(crate) fn do_claim(who: T::AccountId) -> Result<u32, DispatchError> {
		let positions = Self::accrue_all(&who);
		let amount = Unclaimed::<T>::take(&who);
		ensure!(amount > 0, Error::<T>::NothingToClaim);
		// The pot holds its liabilities plus its existential deposit: it stays alive.
		T::Currency::transfer(&Self::pot_account(), &who, amount, Preservation::Preserve)?;
		Totals::<T>::mutate(|totals| totals.claimed = totals.claimed.saturating_add(amount));
		Self::deposit_event(Event::Claimed { who, amount });
		Ok(positions)
	}
}
