//! The types the rewards pallet stores and the calls take.

use codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::Perbill;
use warden_primitives::{Balance, EraIndex};

/// The fixed-point scale of the reward-per-share accumulators: `10^18` units of
/// [`Pool::reward_per_share`] are one planck of reward per planck of stake.
///
/// Why 18 decimals: an era's increment is `floor(rewards × 10^18 / eligible stake)`, so the
/// rounding loss of one increment is below `eligible stake / 10^18` planck: less than one
/// planck for any stake below `10^18` planck (a million tokens of 12 decimals) and a
/// negligible fraction of a token above. The accumulator stays far from `u128::MAX`
/// (`3.4 × 10^38`): with stake of at least one token (`10^12` planck) behind a pool, even a
/// total issuance of `10^25` planck paid every era for a million eras adds up to
/// `10^37`. The product `stake × accumulator` is taken with 256-bit intermediates, so it
/// never overflows.
pub const REWARD_PER_SHARE_SCALE: u128 = 1_000_000_000_000_000_000;

/// The era in progress.
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ActiveEraInfo<BlockNumber> {
	/// The era's index.
	pub index: EraIndex,
	/// The block the era started at.
	pub start: BlockNumber,
	/// The weighted points every operator earned so far in this era.
	pub weighted_points: u128,
}

/// An ended era whose pot is being split over its operators.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct EraSettlement<AccountId> {
	/// The era being settled.
	pub era: EraIndex,
	/// What the era's operators share: the pot's free balance at the era's end, less
	/// every outstanding liability and the pot's existential deposit.
	pub pot: Balance,
	/// The weighted points of every operator in that era.
	pub weighted_points: u128,
	/// What was allocated so far: commissions plus the stakers' parts.
	pub distributed: Balance,
	/// The last operator the settlement walk visited; the walk goes on after it.
	pub last_visited: Option<AccountId>,
}

/// The era-boundary work in progress, done a bounded number of items per block.
///
/// ```text
///        era due            walk done                 prune done
/// Idle ──────────▶ Settling ─────────▶ Pruning(era-1) ──────────▶ Idle
///   │ (no weighted points)                 ▲
///   └──────────────────────────────────────┘
/// ```
#[derive(Clone, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum EraWork<AccountId> {
	/// Nothing to do until the active era ends.
	#[default]
	Idle,
	/// Splitting an ended era's pot, one operator per item.
	Settling(EraSettlement<AccountId>),
	/// Removing the statistics of an era older than the last settled one, one operator per
	/// item.
	Pruning {
		/// The era whose statistics are removed.
		era: EraIndex,
	},
}

/// The outcome of the last settled era.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct SettledEra {
	/// The era.
	pub era: EraIndex,
	/// What its operators shared.
	pub pot: Balance,
	/// The weighted points of every operator in that era.
	pub weighted_points: u128,
	/// What was allocated: commissions plus the stakers' parts. The rest stayed in the pot.
	pub distributed: Balance,
}

/// One operator's work in one era, and its reward once the era is settled.
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct OperatorEraStats {
	/// Points earned on incentivized blueprints, before the blueprints' weights: stake at
	/// risk times the blocks it was available.
	pub points: u128,
	/// Points earned on incentivized blueprints, each times its blueprint's weight.
	pub weighted_points: u128,
	/// Successful job results, on any blueprint.
	pub successes: u32,
	/// Failed job results, on any blueprint.
	pub failures: u32,
	/// Job calls left unanswered until their deadline, on any blueprint.
	pub missed: u32,
	/// Heartbeats, on any blueprint.
	pub heartbeats: u32,
	/// The reward, once the era is settled for this operator.
	pub payout: Option<OperatorPayout>,
}

/// What an operator's work in a settled era earned.
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct OperatorPayout {
	/// The operator's share of the era pot: `pot × weighted points / all weighted points`.
	pub share: Balance,
	/// The operator's commission, taken from the share.
	pub commission: Balance,
	/// What was allocated to the operator's stakers. `share - commission - stakers` stayed
	/// in the pot (rounding dust, or the whole share if no stake was eligible).
	pub stakers: Balance,
}

/// The reward accumulator of one operator's stakers.
///
/// Stake added during an era is `pending`: it earns from the next era on. Lazily, the first
/// time the pool is touched in a later era, it is promoted into `earning`, and the
/// accumulator value at that moment is kept in [`Promotion`] for the positions that added
/// it.
#[derive(Clone, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Pool {
	/// Rewards allocated per planck of earning stake since the pool was created, scaled by
	/// [`REWARD_PER_SHARE_SCALE`]. Never decreases.
	pub reward_per_share: u128,
	/// The stake that earns in the current era.
	pub earning: Balance,
	/// The stake added in era `pending_era`; it earns from the era after.
	pub pending: Balance,
	/// The era `pending` was added in.
	pub pending_era: EraIndex,
	/// How many positions have a part of `pending`.
	pub pending_positions: u32,
	/// How many positions the pool has.
	pub positions: u32,
	/// Allocated to the stakers and not yet moved to their unclaimed balances.
	pub outstanding: Balance,
	/// The operator's commission.
	pub commission: Perbill,
	/// A commission change and the era it takes effect in.
	pub next_commission: Option<(Perbill, EraIndex)>,
}

impl Pool {
	/// The commission that applies to the rewards of `era`.
	pub fn commission_in(&self, era: EraIndex) -> Perbill {
		match self.next_commission {
			Some((next, from)) if era >= from => next,
			_ => self.commission,
		}
	}
}

/// One staker's stake on one operator (the operator's own bond is the position
/// `(operator, operator)`).
#[derive(Clone, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Position {
	/// The stake that earns.
	pub earning: Balance,
	/// The stake added in era `pending_era`; it earns from the era after.
	pub pending: Balance,
	/// The era `pending` was added in.
	pub pending_era: EraIndex,
	/// The pool's accumulator up to which `earning` has been paid out.
	pub reward_per_share_paid: u128,
}

impl Position {
	/// All of the position's stake.
	pub fn total(&self) -> Balance {
		self.earning.saturating_add(self.pending)
	}
}

/// The accumulator value at which a pool's pending stake of one era started to earn.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Promotion {
	/// The pool's accumulator when the stake was promoted.
	pub reward_per_share: u128,
	/// How many positions still have to pick up their promotion.
	pub positions: u32,
}

/// Running totals over the pallet's life, proving that no more is paid than allocated.
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RewardTotals {
	/// Allocated to operators (commission) and stakers.
	pub allocated: Balance,
	/// Paid out by claims.
	pub claimed: Balance,
	/// Allocated to stakers but released back to the pot when their pool emptied: the
	/// rounding dust of its accumulator.
	pub released: Balance,
}

impl RewardTotals {
	/// What the pot owes: allocated, neither claimed nor released.
	pub fn liability(&self) -> Balance {
		self.allocated.saturating_sub(self.claimed).saturating_sub(self.released)
	}
}
