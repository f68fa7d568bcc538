//! Applies each finalized block's events to the agent's database, exactly once (the
//! changes and the new cursor in one transaction, through `warden-daemon`'s follower).
//!
//! What it records is the truth the actor decides from: which requests to judge again,
//! which services the operator serves, which calls are open and whether the chain holds its
//! result, and the last window a heartbeat of it was recorded in.

use warden_client::{
	api::{
		self,
		runtime_types::{
			pallet_warden_services::pallet::Event as ServicesEvent,
			pallet_warden_slashing::pallet::Event as SlashingEvent,
		},
	},
	AccountId32, BlockEvents,
};
use warden_daemon::store::Error;

use crate::db::{CallRecord, Counter, RequestRecord, RequestStatus, ServiceRecord, Tx};

/// Applies one finalized block's events for operator `me` and moves the cursor past it.
pub fn apply_block(tx: &Tx, block: &BlockEvents, me: &AccountId32) -> Result<(), Error> {
	let number = block.block.number;
	for record in &block.events {
		match &record.event {
			api::Event::Services(event) => apply_services_event(tx, event, me, number)?,
			api::Event::Slashing(SlashingEvent::SlashProposed { slash_id, offender, .. })
				if offender == me =>
			{
				tracing::warn!(slash_id, block = number, "a slash against us was proposed");
				tx.bump(Counter::Reported, 1)?;
			}
			api::Event::Slashing(SlashingEvent::SlashApplied {
				slash_id, offender, taken, ..
			}) if offender == me => {
				tracing::error!(slash_id, taken, block = number, "a slash against us was applied");
			}
			_ => {}
		}
	}
	tx.set_cursor(number.saturating_add(1))
}

fn apply_services_event(
	tx: &Tx,
	event: &ServicesEvent,
	me: &AccountId32,
	number: u64,
) -> Result<(), Error> {
	match event {
		ServicesEvent::ServiceRequested { request, blueprint, .. } => {
			// Whether it names us is read at the next best block.
			let record = RequestRecord { blueprint: *blueprint, status: RequestStatus::Check };
			tx.put_request(*request, &record)?;
		}
		ServicesEvent::RequestUpdated { request, .. } => {
			if let Some(mut record) = tx.request(*request)? {
				// New terms: the chain dropped every approval, ours included; judged again, at
				// the new version.
				record.status = RequestStatus::Check;
				tx.put_request(*request, &record)?;
			}
		}
		ServicesEvent::RequestApproved { request, operator, .. } if operator == me => {
			if let Some(mut record) = tx.request(*request)? {
				let version = match record.status {
					RequestStatus::Approved { version, .. } => version,
					_ => 0,
				};
				record.status = RequestStatus::Approved { version, final_: true };
				tx.put_request(*request, &record)?;
			}
			tx.bump(Counter::Approved, 1)?;
		}
		ServicesEvent::RequestRejected { request, operator, .. } if operator == me => {
			tx.forget_request(*request)?;
			tx.bump(Counter::Rejected, 1)?;
		}
		ServicesEvent::RequestRejected { request, .. }
		| ServicesEvent::RequestCancelled { request, .. }
		| ServicesEvent::RequestExpired { request, .. }
		| ServicesEvent::RejectedAfterCancel { request, .. } => tx.forget_request(*request)?,
		ServicesEvent::ServiceActivated { service, request, blueprint, end, .. } => {
			let ours = tx
				.request(*request)?
				.is_some_and(|r| matches!(r.status, RequestStatus::Approved { .. }));
			tx.forget_request(*request)?;
			if ours {
				tracing::info!(service, blueprint, end, "a service of ours started");
				let record =
					ServiceRecord { blueprint: *blueprint, start: number, end: u64::from(*end) };
				tx.put_service(*service, &record)?;
			}
		}
		ServicesEvent::JobCalled { service, call_id, job, deadline, .. }
			if tx.service(*service)?.is_some() =>
		{
			let record = CallRecord { job: *job, deadline: u64::from(*deadline), answered: false };
			tx.put_call(*service, *call_id, &record)?;
		}
		ServicesEvent::ResultSubmitted { service, call_id, operator, .. } if operator == me => {
			if let Some(mut record) = tx.call(*service, *call_id)? {
				record.answered = true;
				tx.put_call(*service, *call_id, &record)?;
			}
			tx.bump(Counter::Results, 1)?;
		}
		ServicesEvent::CallClosed { service, call_id, .. }
		| ServicesEvent::CallCancelled { service, call_id, .. } => {
			let closed = tx.forget_call(*service, *call_id)?;
			if closed.is_some_and(|call| !call.answered) {
				tracing::warn!(service, call_id, "a call closed without our result");
				tx.bump(Counter::Missed, 1)?;
			}
		}
		ServicesEvent::HeartbeatRecorded { service, operator, window, .. } if operator == me => {
			let skipped = tx.heartbeat(*service, *window)?;
			if skipped > 0 {
				tracing::warn!(service, window, skipped, "heartbeat windows passed without ours");
				tx.bump(Counter::HeartbeatsMissed, u64::from(skipped))?;
			}
			tx.bump(Counter::Heartbeats, 1)?;
		}
		ServicesEvent::ServiceTerminated { service, .. } if tx.service(*service)?.is_some() => {
			tracing::info!(service, "a service of ours ended");
			tx.forget_service(*service)?;
		}
		ServicesEvent::OperatorReported { service, offender, reason, slash_id, .. }
			if offender == me =>
		{
			tracing::warn!(service, slash_id, ?reason, "we were reported");
			tx.bump(Counter::Reported, 1)?;
		}
		_ => {}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::db::Db;
	use warden_client::{
		api::runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_warden_services::types::{JobOutcome, TerminationReason},
			sp_arithmetic::per_things::Percent,
		},
		BlockId, EventRecord, H256,
	};

	fn me() -> AccountId32 {
		AccountId32([1; 32])
	}

	fn other() -> AccountId32 {
		AccountId32([2; 32])
	}

	fn apply(db: &Db, number: u64, events: Vec<ServicesEvent>) {
		let block = BlockEvents {
			block: BlockId { number, hash: H256([number as u8; 32]) },
			events: events
				.into_iter()
				.map(|event| EventRecord {
					pallet: String::new(),
					name: String::new(),
					fields: serde_json::Value::Null,
					display: None,
					event: api::Event::Services(event),
					extrinsic: Some(1),
				})
				.collect(),
		};
		db.write(|tx| apply_block(tx, &block, &me())).expect("applies");
	}

	fn requested(request: u64) -> ServicesEvent {
		ServicesEvent::ServiceRequested {
			request,
			blueprint: 0,
			requester: other(),
			payment: 0,
			deposit: 0,
			expires_at: 100,
		}
	}

	fn approved(request: u64, operator: AccountId32) -> ServicesEvent {
		ServicesEvent::RequestApproved { request, operator, exposure: Percent(20) }
	}

	fn activated(service: u64, request: u64) -> ServicesEvent {
		ServicesEvent::ServiceActivated { service, request, blueprint: 0, owner: other(), end: 50 }
	}

	fn called(service: u64, call_id: u64) -> ServicesEvent {
		ServicesEvent::JobCalled { service, call_id, job: 0, caller: other(), deadline: 20 }
	}

	fn db() -> (tempfile::TempDir, Db) {
		let dir = tempfile::tempdir().expect("a directory");
		let db = Db::open(&dir.path().join("agent.redb"), &[7; 32], &me().0).expect("opens");
		(dir, db)
	}

	#[test]
	fn a_request_is_judged_then_becomes_our_service() {
		let (_dir, db) = db();
		apply(&db, 5, vec![requested(3), requested(4)]);
		let status =
			|id| db.requests().unwrap().into_iter().find(|(r, _)| *r == id).map(|(_, r)| r.status);
		assert_eq!(status(3), Some(RequestStatus::Check));
		assert_eq!(db.cursor().unwrap(), Some(6));
		// Another operator's approval of 4 isn't ours; 3 is approved by us.
		apply(&db, 6, vec![approved(3, me()), approved(4, other())]);
		assert_eq!(status(3), Some(RequestStatus::Approved { version: 0, final_: true }));
		assert_eq!(status(4), Some(RequestStatus::Check));
		apply(&db, 7, vec![activated(1, 3), activated(2, 4)]);
		assert_eq!(
			db.services().unwrap(),
			vec![(1, ServiceRecord { blueprint: 0, start: 7, end: 50 })],
			"only the service we approved"
		);
		assert!(db.requests().unwrap().is_empty(), "activated requests are forgotten");
		assert_eq!(db.counter(Counter::Approved).unwrap(), 1);
	}

	#[test]
	fn an_update_asks_for_a_new_judgement_and_endings_forget_the_request() {
		let (_dir, db) = db();
		apply(&db, 5, vec![requested(3), requested(4), requested(5), requested(6)]);
		// Even a final approval: the chain drops approvals with the terms they approved.
		db.write(|tx| {
			tx.put_request(
				3,
				&RequestRecord {
					blueprint: 0,
					status: RequestStatus::Approved { version: 0, final_: true },
				},
			)
		})
		.unwrap();
		apply(
			&db,
			6,
			vec![
				ServicesEvent::RequestUpdated {
					request: 3,
					payment: 1,
					version: 1,
					expires_at: 100,
				},
				ServicesEvent::RequestCancelled { request: 4, refunded: 0 },
				ServicesEvent::RequestExpired { request: 5, refunded: 0, forfeited: 0 },
				ServicesEvent::RequestRejected {
					request: 6,
					operator: me(),
					refunded: 0,
					compensation: 0,
				},
			],
		);
		assert_eq!(
			db.requests().unwrap(),
			vec![(3, RequestRecord { blueprint: 0, status: RequestStatus::Check })]
		);
		assert_eq!(db.counter(Counter::Rejected).unwrap(), 1);
	}

	#[test]
	fn calls_of_our_services_are_followed_until_they_close() {
		let (_dir, db) = db();
		apply(&db, 5, vec![requested(3)]);
		apply(&db, 6, vec![approved(3, me()), activated(1, 3)]);
		// A call on a service that isn't ours is ignored.
		apply(&db, 7, vec![called(1, 10), called(1, 11), called(9, 12)]);
		let calls: Vec<_> = db.calls().unwrap().into_iter().map(|(key, _)| key).collect();
		assert_eq!(calls, vec![(1, 10), (1, 11)]);
		apply(
			&db,
			8,
			vec![
				ServicesEvent::ResultSubmitted {
					service: 1,
					call_id: 10,
					operator: me(),
					outcome: JobOutcome::Success(BoundedVec(b"42".to_vec())),
				},
				ServicesEvent::HeartbeatRecorded {
					service: 1,
					operator: me(),
					window: 2,
					metrics: BoundedVec(b"ok".to_vec()),
					free: true,
				},
			],
		);
		assert!(db.calls().unwrap()[0].1.answered);
		assert_eq!(db.heartbeat_window(1).unwrap(), Some(2));
		assert_eq!(db.counter(Counter::HeartbeatsMissed).unwrap(), 2, "windows 0 and 1 passed");
		let closed = |call_id| ServicesEvent::CallClosed {
			service: 1,
			call_id,
			successes: 1,
			failures: 0,
			missed: 1,
		};
		apply(&db, 9, vec![closed(10), closed(11)]);
		assert!(db.calls().unwrap().is_empty());
		assert_eq!(db.counter(Counter::Missed).unwrap(), 1, "11 closed without our result");
		assert_eq!(db.counter(Counter::Results).unwrap(), 1);

		// The end forgets the service with its calls and heartbeats.
		apply(&db, 10, vec![called(1, 13)]);
		apply(
			&db,
			11,
			vec![ServicesEvent::ServiceTerminated {
				service: 1,
				reason: TerminationReason::Ended,
				served: 5,
				paid_per_operator: 0,
				refunded: 0,
			}],
		);
		assert!(db.services().unwrap().is_empty());
		assert!(db.calls().unwrap().is_empty());
		assert_eq!(db.heartbeat_window(1).unwrap(), None);
	}
}
