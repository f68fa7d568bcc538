//! The reward pot: a pallet account that receives the emission and `fund_pot` payments and
//! pays the claims.

use crate::{pallet::*, LOG_TARGET};
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
		Get,
	},
};
use sp_runtime::traits::AccountIdConversion;
use warden_primitives::Balance;

impl<T: Config> Pallet<T> {
	/// The pot's account.
	pub fn pot_account() -> T::AccountId {
		T::PotId::get().into_account_truncating()
	}

	/// What the pot holds beyond its liabilities and its existential deposit: what the next
	/// era to end will distribute.
	pub fn distributable() -> Balance {
		T::Currency::balance(&Self::pot_account())
			.saturating_sub(T::Currency::minimum_balance())
			.saturating_sub(Totals::<T>::get().liability())
	}

	/// Tops the pot up to the existential deposit, so it exists and claims never have to
	/// take it below: the pot always holds its liabilities plus the existential deposit.
	pub(crate) fn ensure_pot_exists() {
		let pot = Self::pot_account();
		let missing = T::Currency::minimum_balance().saturating_sub(T::Currency::balance(&pot));
		if missing > 0 {
			if let Err(e) = T::Currency::mint_into(&pot, missing) {
				log::error!(target: LOG_TARGET, "could not endow the reward pot: {e:?}");
			}
		}
	}

	/// Mints the era's emission into the pot; returns what was minted.
	pub(crate) fn mint_emission(emission: Balance) -> Balance {
		if emission == 0 {
			return 0;
		}
		match T::Currency::mint_into(&Self::pot_account(), emission) {
			Ok(minted) => minted,
			Err(e) => {
				log::error!(target: LOG_TARGET, "could not mint the era emission: {e:?}");
				0
			}
		}
	}

	/// Moves `amount` from `who` into the pot.
	pub(crate) fn do_fund_pot(who: T::AccountId, amount: Balance) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		T::Currency::transfer(&who, &Self::pot_account(), amount, Preservation::Preserve)?;
		Self::deposit_event(Event::PotFunded { who, amount });
		Ok(())
	}
}
