//! `warden service`, `warden report` and `warden report-missed-heartbeats`: requests,
//! services, jobs, heartbeats and reports.

use clap::{Args, Subcommand};
use serde_json::{json, Value as Json};
use warden_client::{
	api::{self, runtime_types as rt},
	AccountId32, Error,
};

use crate::{
	context::{bytes, Context},
	output::{cell, render, table},
	parse::{parse_account, parse_amount, parse_bytes, parse_perbill, parse_percent, Bytes},
};

use rt::{
	bounded_collections::bounded_vec::BoundedVec,
	sp_arithmetic::per_things::{Perbill, Percent},
};

/// The terms of a service request.
#[derive(Debug, Args)]
pub struct RequestTerms {
	/// The blueprint.
	#[arg(long)]
	pub blueprint: u64,
	/// An operator asked to run the service (repeat for several).
	#[arg(long = "operator", required = true, value_parser = parse_account)]
	pub operators: Vec<AccountId32>,
	/// An account besides the owner that may call jobs (repeat for several).
	#[arg(long = "caller", value_parser = parse_account)]
	pub callers: Vec<AccountId32>,
	/// The lifetime in blocks.
	#[arg(long)]
	pub ttl: u32,
	/// The smallest part of its stake each operator must commit.
	#[arg(long, default_value = "1%", value_parser = parse_percent)]
	pub min_exposure: u8,
	/// The payment, held until the service ends.
	#[arg(long, value_parser = parse_amount)]
	pub payment: u128,
}

/// `warden service`.
#[derive(Debug, Subcommand)]
pub enum ServiceCmd {
	/// Requests a service, holding the payment and a deposit per operator.
	Request(RequestTerms),
	/// Changes a pending request's terms (approvals must be given again).
	Update {
		/// The request.
		request: u64,
		#[command(flatten)]
		terms: RequestTerms,
	},
	/// Approves a request as one of its operators, committing part of the stake.
	Approve {
		/// The request.
		request: u64,
		/// The part of the operator's stake to commit.
		#[arg(long, value_parser = parse_percent)]
		exposure: u8,
		/// The version of the terms approved (the request's current one if not given).
		#[arg(long = "terms-version", id = "terms_version")]
		version: Option<u32>,
	},
	/// Rejects a request as one of its operators.
	Reject {
		/// The request.
		request: u64,
	},
	/// Cancels the key's pending request.
	Cancel {
		/// The request.
		request: u64,
	},
	/// Expires an overdue request (anyone; free when it expires one).
	Expire {
		/// The request.
		request: u64,
	},
	/// Terminates the key's service.
	Terminate {
		/// The service.
		service: u64,
	},
	/// Terminates a service whose lifetime ended (anyone; free when it terminates one).
	TerminateExpired {
		/// The service.
		service: u64,
	},
	/// Calls a job of a service.
	Call {
		/// The service.
		service: u64,
		/// The job's index in its blueprint.
		job: u32,
		/// The arguments: 0x hex, or text.
		#[arg(default_value = "", value_parser = parse_bytes)]
		args: Bytes,
	},
	/// Submits the operator's result for a job call.
	Result {
		/// The service.
		service: u64,
		/// The call.
		call: u64,
		/// The output: 0x hex, or text.
		#[arg(default_value = "", value_parser = parse_bytes)]
		output: Bytes,
		/// The job failed (the output says why).
		#[arg(long)]
		failure: bool,
	},
	/// Closes a call past its deadline (anyone; free when it closes one).
	CloseCall {
		/// The service.
		service: u64,
		/// The call.
		call: u64,
	},
	/// Sends the operator's heartbeat for a service.
	Heartbeat {
		/// The service.
		service: u64,
		/// Metrics: 0x hex, or text.
		#[arg(long, default_value = "", value_parser = parse_bytes)]
		metrics: Bytes,
	},
	/// A service, its open calls and its operators' heartbeats.
	Show {
		/// The service.
		service: u64,
	},
	/// A pending request.
	ShowRequest {
		/// The request.
		request: u64,
	},
	/// A service's statistics in an era (the current one if not given).
	Stats {
		/// The service.
		service: u64,
		/// The era.
		#[arg(long)]
		era: Option<u32>,
	},
}

/// `warden report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
	/// The service.
	pub service: u64,
	/// The operator reported.
	#[arg(value_parser = parse_account)]
	pub offender: AccountId32,
	/// Job misbehaviour on this call.
	#[arg(long, conflicts_with = "qos", required_unless_present = "qos")]
	pub job_call: Option<u64>,
	/// Quality of service fell short on this metric.
	#[arg(long)]
	pub qos: Option<String>,
	/// The part of the offender's committed exposure to slash (e.g. 10% or 0.5%).
	#[arg(long, value_parser = parse_perbill)]
	pub fraction: u32,
	/// Evidence for the reviewers: 0x hex, or text.
	#[arg(long, default_value = "", value_parser = parse_bytes)]
	pub evidence: Bytes,
}

fn request_args(
	terms: RequestTerms,
) -> (u64, BoundedVec<AccountId32>, BoundedVec<AccountId32>, u32, Percent, u128) {
	(
		terms.blueprint,
		BoundedVec(terms.operators),
		BoundedVec(terms.callers),
		terms.ttl,
		Percent(terms.min_exposure),
		terms.payment,
	)
}

/// Runs `cmd`.
pub async fn run(cmd: ServiceCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().services();
	match cmd {
		ServiceCmd::Request(terms) => {
			let (blueprint, operators, callers, ttl, min_exposure, payment) = request_args(terms);
			let call = tx.request(blueprint, operators, callers, ttl, min_exposure, payment);
			ctx.submit("service request", call).await
		}
		ServiceCmd::Update { request, terms } => {
			let (_, operators, callers, ttl, min_exposure, payment) = request_args(terms);
			let call = tx.update_request(request, operators, callers, ttl, min_exposure, payment);
			ctx.submit("service update", call).await
		}
		ServiceCmd::Approve { request, exposure, version } => {
			let version = match version {
				Some(version) => version,
				None => {
					let info =
						ctx.read_value(api::runtime_apis().services_api().request(request)).await?;
					info["version"]
						.as_u64()
						.and_then(|v| u32::try_from(v).ok())
						.ok_or_else(|| Error::Input(format!("request {request} is not pending")))?
				}
			};
			ctx.submit("service approve", tx.approve(request, version, Percent(exposure))).await
		}
		ServiceCmd::Reject { request } => ctx.submit("service reject", tx.reject(request)).await,
		ServiceCmd::Cancel { request } => {
			ctx.submit("service cancel", tx.cancel_request(request)).await
		}
		ServiceCmd::Expire { request } => {
			ctx.submit("service expire", tx.expire_request(request)).await
		}
		ServiceCmd::Terminate { service } => {
			ctx.submit("service terminate", tx.terminate(service)).await
		}
		ServiceCmd::TerminateExpired { service } => {
			ctx.submit("service terminate-expired", tx.terminate_expired(service)).await
		}
		ServiceCmd::Call { service, job, args } => {
			ctx.submit("service call", tx.call(service, job, bytes(args))).await
		}
		ServiceCmd::Result { service, call, output, failure } => {
			use rt::pallet_warden_services::types::JobOutcome;
			let outcome = if failure {
				JobOutcome::Failure(bytes(output))
			} else {
				JobOutcome::Success(bytes(output))
			};
			ctx.submit("service result", tx.submit_result(service, call, outcome)).await
		}
		ServiceCmd::CloseCall { service, call } => {
			ctx.submit("service close-call", tx.close_call(service, call)).await
		}
		ServiceCmd::Heartbeat { service, metrics } => {
			ctx.submit("service heartbeat", tx.heartbeat(service, bytes(metrics))).await
		}
		ServiceCmd::Show { service } => {
			let apis = api::runtime_apis().services_api();
			let info = ctx.read_value(apis.service(service)).await?;
			if info.is_null() && !ctx.out().json {
				ctx.out().line(&format!("no active service {service}"));
				return Ok(());
			}
			let calls = ctx.read_value(apis.open_calls(service)).await?;
			let heartbeats = ctx.read_value(apis.heartbeat_status(service)).await?;
			let out = ctx.out();
			if out.json {
				out.value(
					&json!({ "service": info, "open_calls": calls, "heartbeats": heartbeats }),
				);
			} else {
				out.line(&service_text(info, &calls, &heartbeats));
			}
			Ok(())
		}
		ServiceCmd::ShowRequest { request } => {
			ctx.read(api::runtime_apis().services_api().request(request), "no pending request")
				.await
		}
		ServiceCmd::Stats { service, era } => {
			let era = match era {
				Some(era) => era,
				None => {
					let active =
						ctx.read_value(api::runtime_apis().rewards_api().active_era()).await?;
					active["index"].as_u64().unwrap_or_default() as u32
				}
			};
			let stats = ctx
				.read_value(api::runtime_apis().services_api().service_stats(service, era))
				.await?;
			let out = ctx.out();
			if out.json {
				out.value(&json!({ "service": service, "era": era, "operators": stats }));
				return Ok(());
			}
			// `[[operator, { successes, failures, heartbeats }], …]`
			let rows: Vec<Vec<String>> = pairs(&stats)
				.map(|(operator, counts)| {
					let count = |field: &str| cell(field, &counts[field]);
					vec![
						cell("", operator),
						count("successes"),
						count("failures"),
						count("heartbeats"),
					]
				})
				.collect();
			out.line(&format!("service {service}, era {era}"));
			out.line(table(&["operator", "successes", "failures", "heartbeats"], &rows).trim_end());
			Ok(())
		}
	}
}

/// The `[key, value]` pairs of a JSON list of pairs (how maps and tuples come).
fn pairs(list: &Json) -> impl Iterator<Item = (&Json, &Json)> {
	list.as_array().into_iter().flatten().filter_map(|pair| match pair.as_array()?.as_slice() {
		[key, value] => Some((key, value)),
		_ => None,
	})
}

/// A service for a person: its terms, then its operators as a table with their exposure and
/// heartbeats, then its open calls.
fn service_text(mut info: Json, calls: &Json, heartbeats: &Json) -> String {
	let operators = info.as_object_mut().and_then(|info| info.remove("operators"));
	let rows: Vec<Vec<String>> = pairs(operators.as_ref().unwrap_or(&Json::Null))
		.map(|(operator, exposure)| {
			let beats = heartbeats
				.as_array()
				.into_iter()
				.flatten()
				.find(|status| &status["operator"] == operator)
				.unwrap_or(&Json::Null);
			vec![
				cell("", operator),
				cell("", exposure),
				cell("", &beats["last_heartbeat"]),
				cell("", &beats["missed_intervals"]),
				cell("", &beats["reportable"]),
			]
		})
		.collect();
	let headers = ["operator", "exposure", "last heartbeat", "missed windows", "reportable"];
	let calls = match calls {
		Json::Array(list) if !list.is_empty() => render(calls, 2),
		_ => "  none\n".into(),
	};
	format!("{}\noperators:\n{}\nopen calls:\n{calls}", render(&info, 0), table(&headers, &rows))
		.trim_end()
		.to_string()
}

/// Reports an operator of a service for misbehaviour.
pub async fn report(args: ReportArgs, ctx: &mut Context) -> Result<(), Error> {
	let kind = match (args.job_call, args.qos) {
		(Some(call_id), _) => {
			rt::pallet_warden_services::types::ReportKind::JobMisbehaviour { call_id }
		}
		(None, Some(metric)) => rt::pallet_warden_services::types::ReportKind::QualityOfService {
			metric: bytes(metric.into_bytes()),
		},
		(None, None) => return Err(Error::Input("give --job-call or --qos".into())),
	};
	let call = api::tx().services().report(
		args.service,
		args.offender,
		kind,
		bytes(args.evidence),
		Perbill(args.fraction),
	);
	ctx.submit("report", call).await
}

/// Reports an operator of a service for missed heartbeats.
pub async fn report_missed_heartbeats(
	service: u64,
	operator: AccountId32,
	ctx: &mut Context,
) -> Result<(), Error> {
	let call = api::tx().services().report_missed_heartbeats(service, operator);
	ctx.submit("report-missed-heartbeats", call).await
}
