//! The monitor registry: register, renew, unregister, release the deposit.

use frame_support::{ensure, pallet_prelude::DispatchResult, traits::fungible::MutateHold};
use sp_runtime::traits::{CheckedAdd, Zero};

use crate::{
	BalanceOf, Config, EndpointOf, Error, Event, HoldReason, Monitor, Monitors, Pallet, Params,
};

impl<T: Config> Pallet<T> {
	/// Registers `who` with `deposit` held, valid for one registration period.
	pub(crate) fn do_register_monitor(
		who: T::AccountId,
		deposit: BalanceOf<T>,
		endpoint: EndpointOf<T>,
	) -> DispatchResult {
		ensure!(!Monitors::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
		let params = Params::<T>::get();
		ensure!(deposit >= params.min_monitor_deposit, Error::<T>::DepositTooLow);
		let valid_until = frame_system::Pallet::<T>::block_number()
			.checked_add(&params.registration_period)
			.ok_or(Error::<T>::Overflow)?;

		T::Currency::hold(&HoldReason::MonitorDeposit.into(), &who, deposit)?;
		Monitors::<T>::insert(
			&who,
			Monitor { deposit, valid_until, release_at: None, endpoint: endpoint.clone() },
		);
		Self::deposit_event(Event::MonitorRegistered {
			monitor: who,
			deposit,
			valid_until,
			endpoint,
		});
		Ok(())
	}

	/// Replaces `who`'s endpoint.
	pub(crate) fn do_set_endpoint(who: T::AccountId, endpoint: EndpointOf<T>) -> DispatchResult {
		Monitors::<T>::try_mutate(&who, |monitor| -> DispatchResult {
			let monitor = monitor.as_mut().ok_or(Error::<T>::NotMonitor)?;
			monitor.endpoint = endpoint.clone();
			Ok(())
		})?;
		Self::deposit_event(Event::EndpointSet { monitor: who, endpoint });
		Ok(())
	}

	/// Extends `who`'s registration to one registration period from now, adding `top_up`
	/// to its deposit. Also revives an expired registration.
	pub(crate) fn do_renew_monitor(who: T::AccountId, top_up: BalanceOf<T>) -> DispatchResult {
		let mut monitor = Monitors::<T>::get(&who).ok_or(Error::<T>::NotMonitor)?;
		ensure!(monitor.release_at.is_none(), Error::<T>::MonitorUnregistering);
		let params = Params::<T>::get();
		let deposit = monitor.deposit.checked_add(&top_up).ok_or(Error::<T>::Overflow)?;
		ensure!(deposit >= params.min_monitor_deposit, Error::<T>::DepositTooLow);
		let valid_until = frame_system::Pallet::<T>::block_number()
			.checked_add(&params.registration_period)
			.ok_or(Error::<T>::Overflow)?;

		if !top_up.is_zero() {
			T::Currency::hold(&HoldReason::MonitorDeposit.into(), &who, top_up)?;
		}
		monitor.deposit = deposit;
		monitor.valid_until = valid_until;
		Monitors::<T>::insert(&who, monitor);
		Self::deposit_event(Event::MonitorRenewed { monitor: who, deposit, valid_until });
		Ok(())
	}

	/// Stops `who` acting as a monitor and starts its unregister delay.
	pub(crate) fn do_unregister_monitor(who: T::AccountId) -> DispatchResult {
		let mut monitor = Monitors::<T>::get(&who).ok_or(Error::<T>::NotMonitor)?;
		ensure!(monitor.release_at.is_none(), Error::<T>::MonitorUnregistering);
		let release_at = frame_system::Pallet::<T>::block_number()
			.checked_add(&Params::<T>::get().unregister_delay)
			.ok_or(Error::<T>::Overflow)?;

		monitor.release_at = Some(release_at);
		Monitors::<T>::insert(&who, monitor);
		Self::deposit_event(Event::MonitorUnregistered { monitor: who, release_at });
		Ok(())
	}

	/// Releases the deposit of an unregistered monitor whose delay is over and forgets it.
	pub(crate) fn do_release_monitor_deposit(who: T::AccountId) -> DispatchResult {
		let monitor = Monitors::<T>::get(&who).ok_or(Error::<T>::NotMonitor)?;
		let release_at = monitor.release_at.ok_or(Error::<T>::NotUnregistering)?;
		ensure!(frame_system::Pallet::<T>::block_number() >= release_at, Error::<T>::ReleaseNotDue);

		let amount = T::Currency::release(
			&HoldReason::MonitorDeposit.into(),
			&who,
			monitor.deposit,
			frame_support::traits::tokens::Precision::Exact,
		)?;
		Monitors::<T>::remove(&who);
		Self::deposit_event(Event::MonitorDepositReleased { monitor: who, amount });
		Ok(())
	}
}
