//! What the agent does next, decided from what it reads at one best block: pure functions,
//! so every rule is tested without a node.
//!
//! - [`decide_request`]: approve a request (at its current version, with the policy's
//!   exposure), reject it with the policy's reason, or leave it;
//! - [`heartbeat_due`]: the window a heartbeat is owed for, as soon as the window opens;
//! - [`result_budget`]: how long a job's program may run so that its result still lands
//!   before the call's deadline;
//! - [`window_last_block`]: the last block a heartbeat for a window counts in;
//! - [`can_resend`]: whether a transaction signed earlier may still be included, so it is
//!   sent again rather than signed anew.

use std::time::Duration;

use warden_client::AccountId32;

use crate::config::BlueprintPolicy;

/// A pending request as the agent reads it at a best block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestView {
	/// Who asked.
	pub requester: AccountId32,
	/// The service's lifetime, in blocks.
	pub ttl: u32,
	/// The least exposure an approval may commit, in percent.
	pub min_exposure: u8,
	/// The version of its terms.
	pub version: u32,
	/// The operators it names, each with the exposure it approved with so far.
	pub operators: Vec<(AccountId32, Option<u8>)>,
}

/// What to do about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestAction {
	/// It doesn't name the operator: nothing, ever.
	NotOurs,
	/// The operator approved it already (at this version): nothing.
	Approved,
	/// Reject it: the policy refuses its terms, or the agent serves no such blueprint.
	Reject {
		/// Why, for the log.
		reason: String,
	},
	/// Approve `version` committing `exposure` percent.
	Approve {
		/// The version of the terms approved.
		version: u32,
		/// The exposure committed.
		exposure: u8,
	},
}

/// Decides about `request` for operator `me` under `policy` (`None` if the operator
/// serves no such blueprint).
pub fn decide_request(
	request: &RequestView,
	me: &AccountId32,
	policy: Option<&BlueprintPolicy>,
) -> RequestAction {
	let Some((_, approval)) = request.operators.iter().find(|(operator, _)| operator == me) else {
		return RequestAction::NotOurs;
	};
	if approval.is_some() {
		return RequestAction::Approved;
	}
	let Some(policy) = policy else {
		return RequestAction::Reject { reason: "the agent serves no such blueprint".into() };
	};
	match policy.judge(&request.requester, request.ttl, request.min_exposure) {
		Ok(()) => RequestAction::Approve { version: request.version, exposure: policy.exposure },
		Err(reason) => RequestAction::Reject { reason },
	}
}

/// The heartbeat window owed for a service that runs from block `start` to `end` with
/// windows of `interval` blocks, at best block `best`, when the last window a heartbeat
/// was recorded in is `last`: the current window if none was recorded in it and the
/// service still runs. A heartbeat is sent as soon as its window opens, so retries have
/// the whole window.
pub fn heartbeat_due(
	start: u64,
	end: u64,
	interval: u64,
	best: u64,
	last: Option<u32>,
) -> Option<u32> {
	if interval == 0 || best < start || best >= end {
		return None;
	}
	let window = u32::try_from((best - start) / interval).ok()?;
	match last {
		Some(last) if last >= window => None,
		_ => Some(window),
	}
}

/// How long a program may run for a call whose deadline (the first late block) is
/// `deadline`, at best block `best`, with blocks of `block_time` and `margin` blocks kept
/// to get the result included: `None` if the time is already gone.
pub fn result_budget(
	best: u64,
	deadline: u64,
	block_time: Duration,
	margin: u64,
) -> Option<Duration> {
	let blocks = deadline.checked_sub(best)?.checked_sub(margin)?;
	if blocks == 0 {
		return None;
	}
	let blocks = u32::try_from(blocks).unwrap_or(u32::MAX);
	Some(block_time.saturating_mul(blocks))
}

/// The last block a heartbeat for `window` of a service running from `start` to `end` with
/// windows of `interval` blocks can be included in.
pub fn window_last_block(start: u64, end: u64, interval: u64, window: u32) -> u64 {
	let next = start.saturating_add(interval.saturating_mul(u64::from(window).saturating_add(1)));
	next.min(end).saturating_sub(1)
}

/// Whether a transaction signed with `nonce` and valid up to `last_block` may still be
/// included at best block `best`, where the account's nonce is `account_nonce`: then the
/// same bytes are sent again. Otherwise it never will be (its nonce was used, or it
/// expired) and, if its effect isn't on chain, a new one is signed.
pub fn can_resend(best: u64, account_nonce: u64, nonce: u64, last_block: u64) -> bool {
	best <= last_block && account_nonce <= nonce
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::config::Policy;

	fn me() -> AccountId32 {
		AccountId32([1; 32])
	}

	fn policy() -> Policy {
		Policy::parse(
			"[[blueprint]]\nid = 0\nmax_ttl = 100\nexposure = \"20%\"\n\
			 [[blueprint.job]]\nid = 0\nprogram = \"/bin/cat\"\n",
		)
		.expect("a policy")
	}

	fn request(operators: Vec<(AccountId32, Option<u8>)>) -> RequestView {
		RequestView {
			requester: AccountId32([9; 32]),
			ttl: 50,
			min_exposure: 10,
			version: 2,
			operators,
		}
	}

	#[test]
	fn a_request_naming_us_is_approved_at_its_version_or_rejected_with_why() {
		let policy = policy();
		let bp = policy.blueprint(0);
		assert_eq!(
			decide_request(&request(vec![(AccountId32([2; 32]), None)]), &me(), bp),
			RequestAction::NotOurs
		);
		assert_eq!(
			decide_request(&request(vec![(me(), Some(20))]), &me(), bp),
			RequestAction::Approved
		);
		assert_eq!(
			decide_request(&request(vec![(me(), None)]), &me(), bp),
			RequestAction::Approve { version: 2, exposure: 20 }
		);
		let mut long = request(vec![(me(), None)]);
		long.ttl = 101;
		assert!(matches!(
			decide_request(&long, &me(), bp),
			RequestAction::Reject { reason } if reason.contains("ttl")
		));
		let mut greedy = request(vec![(me(), None)]);
		greedy.min_exposure = 30;
		assert!(matches!(
			decide_request(&greedy, &me(), bp),
			RequestAction::Reject { reason } if reason.contains("exposure")
		));
		assert!(matches!(
			decide_request(&request(vec![(me(), None)]), &me(), None),
			RequestAction::Reject { reason } if reason.contains("no such blueprint")
		));
	}

	#[test]
	fn a_heartbeat_is_owed_once_per_window_from_its_opening() {
		// A service from block 10 to 50, windows of 5 blocks.
		assert_eq!(heartbeat_due(10, 50, 5, 9, None), None, "not started");
		assert_eq!(heartbeat_due(10, 50, 5, 10, None), Some(0));
		assert_eq!(heartbeat_due(10, 50, 5, 14, Some(0)), None, "window 0 is done");
		assert_eq!(heartbeat_due(10, 50, 5, 15, Some(0)), Some(1), "as window 1 opens");
		assert_eq!(heartbeat_due(10, 50, 5, 27, Some(1)), Some(3), "a missed window is gone");
		assert_eq!(heartbeat_due(10, 50, 5, 50, Some(7)), None, "ended");
		assert_eq!(heartbeat_due(10, 50, 0, 20, None), None);
	}

	#[test]
	fn a_program_may_run_until_the_margin_before_the_deadline() {
		let block = Duration::from_secs(6);
		assert_eq!(result_budget(100, 110, block, 2), Some(Duration::from_secs(48)));
		assert_eq!(result_budget(100, 102, block, 2), None, "only the margin is left");
		assert_eq!(result_budget(100, 101, block, 2), None);
		assert_eq!(result_budget(110, 100, block, 2), None, "late");
	}

	#[test]
	fn a_window_ends_before_the_next_or_the_service_end() {
		assert_eq!(window_last_block(10, 100, 5, 0), 14);
		assert_eq!(window_last_block(10, 100, 5, 3), 29);
		assert_eq!(window_last_block(10, 22, 5, 2), 21, "the service ends in window 2");
	}

	#[test]
	fn signed_bytes_are_resent_only_while_they_can_land() {
		assert!(can_resend(10, 4, 4, 12), "nonce unused, not expired");
		assert!(can_resend(12, 3, 4, 12), "an earlier nonce pending");
		assert!(!can_resend(13, 4, 4, 12), "expired");
		assert!(!can_resend(10, 5, 4, 12), "the nonce was used");
	}
}
