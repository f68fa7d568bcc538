//! The answers to the [`MonitoringApi`](warden_primitives::MonitoringApi) runtime API.

use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;
use warden_primitives::{
	ChannelId, ChannelPhase, ChannelUpdate, MonitorInfo, MAX_MONITORS_PER_QUERY,
};

use crate::{BalanceOf, Config, Escrows, MonitorOf, Monitors, Pallet, ParamsOf};

/// A monitor's record as the runtime API returns it.
pub type MonitorInfoOf<T> = MonitorInfo<BalanceOf<T>, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// The first block at which `monitor` may submit an update for `channel`, or `None`
	/// if the channel isn't closing.
	pub fn first_allowed_block(
		channel: ChannelId,
		monitor: &T::AccountId,
	) -> Option<BlockNumberFor<T>> {
		match T::Channels::phase(channel)? {
			ChannelPhase::Closing { closed_at, settle_from } => {
				let period = settle_from.saturating_sub(closed_at);
				Some(closed_at.saturating_add(Self::slot_offset(channel, monitor, period)))
			}
			ChannelPhase::Open => None,
		}
	}

	/// The parameters in force.
	pub fn monitoring_params() -> ParamsOf<T> {
		crate::Params::<T>::get()
	}

	/// The registered monitor `who`, if it is one.
	pub fn monitor(who: &T::AccountId) -> Option<MonitorInfo<BalanceOf<T>, BlockNumberFor<T>>> {
		Monitors::<T>::get(who).map(Self::monitor_info)
	}

	/// Registered monitors in storage order, after `start_after` if given: at most
	/// `min(max, MAX_MONITORS_PER_QUERY)`. Pass the last one returned to get the next page.
	pub fn monitors(
		start_after: Option<T::AccountId>,
		max: u32,
	) -> Vec<(T::AccountId, MonitorInfoOf<T>)> {
		let iter = match start_after {
			Some(after) => Monitors::<T>::iter_from(Monitors::<T>::hashed_key_for(after)),
			None => Monitors::<T>::iter(),
		};
		iter.take(max.min(MAX_MONITORS_PER_QUERY) as usize)
			.map(|(who, monitor)| (who, Self::monitor_info(monitor)))
			.collect()
	}

	fn monitor_info(monitor: MonitorOf<T>) -> MonitorInfo<BalanceOf<T>, BlockNumberFor<T>> {
		MonitorInfo {
			deposit: monitor.deposit,
			valid_until: monitor.valid_until,
			release_at: monitor.release_at,
			endpoint: monitor.endpoint.into_inner(),
		}
	}

	/// What the escrow of `channel` holds (zero if it has none).
	pub fn escrow_balance(channel: ChannelId) -> BalanceOf<T> {
		Escrows::<T>::get(channel).map(|escrow| escrow.amount).unwrap_or_default()
	}
}
