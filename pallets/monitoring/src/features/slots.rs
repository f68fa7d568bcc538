//! Monitor slots: each monitor's first allowed block inside a challenge window.

use codec::{Decode, Encode};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::UniqueSaturatedInto, Perbill, SaturatedConversion};
use warden_primitives::{ChannelId, MONITOR_SLOT_TAG};

use crate::{Config, Pallet};

/// The earliest slot, as a share of the challenge period.
const EARLIEST_SLOT: Perbill = Perbill::from_percent(30);
/// The latest slot, as a share of the challenge period.
const LATEST_SLOT: Perbill = Perbill::from_percent(80);

impl<T: Config> Pallet<T> {
	/// How many blocks after the close `monitor` may act for `channel`, in a challenge
	/// window of `period` blocks: between 30% and 80% of it, drawn from a hash of the
	/// channel and the monitor.
	pub fn slot_offset(
		channel: ChannelId,
		monitor: &T::AccountId,
		period: BlockNumberFor<T>,
	) -> BlockNumberFor<T> {
		let period: u64 = period.unique_saturated_into();
		let earliest = EARLIEST_SLOT.mul_floor(period);
		let latest = LATEST_SLOT.mul_floor(period);
		let choices = latest.saturating_sub(earliest).saturating_add(1);
		let hash = sp_io::hashing::blake2_256(&(MONITOR_SLOT_TAG, channel, monitor).encode());
		let draw = u64::decode(&mut &hash[..]).unwrap_or_default();
		earliest.saturating_add(draw.checked_rem(choices).unwrap_or_default()).saturated_into()
	}
}
