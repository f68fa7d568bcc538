//! Running each command: build the call or the read, submit or call it, print the outcome.

use serde_json::{json, Value as Json};
use subxt::{dynamic::Value, tx::Payload};
use warden_client::{
	api::{self, runtime_types as rt},
	http, parse_account, AccountId32, Client, Error, Keypair,
};

use crate::{args::*, blueprint, output::Output, params};

use rt::{
	bounded_collections::bounded_vec::BoundedVec,
	sp_arithmetic::per_things::{Perbill, Percent},
};

/// Bounded bytes, as calls take them.
pub fn bytes(data: impl Into<Vec<u8>>) -> BoundedVec<u8> {
	BoundedVec(data.into())
}

/// What a command needs: the node, the key (if it signs), and how to print.
pub struct Context {
	client: Option<Client>,
	global: Global,
	out: Output,
}

impl Context {
	/// The global options.
	pub fn global(&self) -> &Global {
		&self.global
	}

	/// How to print.
	pub fn out(&self) -> Output {
		self.out
	}

	/// A context for `global`; connects on first use.
	pub fn new(global: Global) -> Self {
		let out = Output { json: global.json, quiet: global.quiet };
		Self { client: None, global, out }
	}

	/// The node, connected on first use.
	pub async fn client(&mut self) -> Result<&Client, Error> {
		if self.client.is_none() {
			self.client = Some(Client::connect(&self.global.url).await?);
		}
		Ok(self.client.as_ref().expect("just connected"))
	}

	/// The signing key: `--suri` or `--key-file`.
	fn key(&self) -> Result<Keypair, Error> {
		Keypair::load(
			self.global.suri.as_deref(),
			self.global.key_file.as_deref(),
			self.global.scheme,
		)?
		.ok_or_else(|| {
			Error::Input(
				"this command signs a transaction: give --suri (or WARDEN_SURI) or --key-file"
					.into(),
			)
		})
	}

	/// `account`, or the key's account.
	pub fn who(&self, account: Option<AccountId32>) -> Result<AccountId32, Error> {
		match account {
			Some(account) => Ok(account),
			None => self.key().map(|key| key.account_id()).map_err(|_| {
				Error::Input("give an account, or --suri / --key-file for the key's own".into())
			}),
		}
	}

	/// Signs and submits `payload`, printing progress and the outcome.
	pub async fn submit<P: Payload>(&mut self, what: &str, payload: P) -> Result<(), Error> {
		let key = self.key()?;
		let (wait, out) = (self.global.wait, self.out);
		let client = self.client().await?;
		let done = client.submit(&payload, &key, wait, |p| out.progress(p)).await?;
		// Sudo and the committee succeed even when the call they dispatch fails: that is
		// the command's failure.
		let metadata = client.at_best().await?.metadata();
		if let Some(failure) = warden_client::nested_failure(&done.events, &metadata) {
			return Err(failure);
		}
		out.submitted(what, &done);
		Ok(())
	}

	/// Reads a runtime API and prints the answer.
	async fn read(
		&mut self,
		api: &str,
		method: &str,
		args: Vec<Value>,
		none: &str,
	) -> Result<(), Error> {
		let out = self.out;
		let value = self.client().await?.read_json(api, method, args).await?;
		out.maybe(&value, none);
		Ok(())
	}

	async fn read_value(
		&mut self,
		api: &str,
		method: &str,
		args: Vec<Value>,
	) -> Result<Json, Error> {
		self.client().await?.read_json(api, method, args).await
	}

	/// Reads a runtime API without arguments and prints the answer.
	pub async fn read_api(&mut self, api: &str, method: &str) -> Result<(), Error> {
		self.read(api, method, vec![], "none").await
	}

	/// Reads a runtime API without arguments as a value carrying its types.
	pub async fn read_typed(
		&mut self,
		api: &str,
		method: &str,
	) -> Result<(Value<u32>, subxt::ArcMetadata), Error> {
		self.client().await?.read_typed(api, method, vec![]).await
	}
}

/// An account as a runtime API argument.
fn account_arg(who: &AccountId32) -> Value {
	Value::from_bytes(who.0)
}

fn option_arg(value: Option<Value>) -> Value {
	match value {
		Some(value) => Value::unnamed_variant("Some", [value]),
		None => Value::unnamed_variant("None", []),
	}
}

/// Runs `command`.
pub async fn run(command: Command, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx();
	match command {
		Command::Completions { .. } => unreachable!("handled before connecting"),
		Command::Account => {
			let key = ctx.key()?;
			let value = json!({
				"account": key.account_id().to_string(),
				"public_hex": format!("0x{}", hex_encode(&key.account_id().0)),
				"scheme": key.scheme().to_string(),
			});
			ctx.out.value(&value);
			Ok(())
		}
		Command::Chain(ChainCmd::Status) => chain_status(ctx).await,
		Command::Channel(cmd) => crate::channel::channel(cmd, ctx).await,
		Command::Wallet(cmd) => crate::channel::wallet(cmd, ctx).await,
		Command::Escrow(cmd) => crate::channel::escrow(cmd, ctx).await,
		Command::Swap(cmd) => crate::channel::swap(cmd, ctx).await,
		Command::Balance { account } => {
			let who = ctx.who(account)?;
			let out = ctx.out;
			let info = ctx.client().await?.account(&who).await?;
			out.value(&json!({
				"account": who.to_string(),
				"free": info.data.free.to_string(),
				"reserved": info.data.reserved.to_string(),
				"frozen": info.data.frozen.to_string(),
				"nonce": info.nonce,
			}));
			Ok(())
		}
		Command::Transfer { to, amount } => {
			ctx.submit("transfer", tx.balances().transfer_keep_alive(to.into(), amount)).await
		}
		Command::Operator(cmd) => operator(cmd, ctx).await,
		Command::Delegate { operator, amount, blueprints } if blueprints.is_empty() => {
			ctx.submit("delegate", tx.operators().delegate(operator, amount)).await
		}
		Command::Delegate { operator, amount, mut blueprints } => {
			use warden_client::api::runtime_types::{
				bounded_collections::bounded_vec::BoundedVec,
				warden_primitives::operators::BlueprintSelection,
			};
			blueprints.sort_unstable();
			blueprints.dedup();
			let selection = BlueprintSelection::Only(BoundedVec(blueprints));
			ctx.submit(
				"delegate",
				tx.operators().delegate_with_selection(operator, amount, selection),
			)
			.await
		}
		Command::Undelegate(cmd) => match cmd {
			UndelegateCmd::Schedule { operator, amount } => {
				ctx.submit(
					"undelegate schedule",
					tx.operators().schedule_undelegate(operator, amount),
				)
				.await
			}
			UndelegateCmd::Cancel { operator, amount } => {
				ctx.submit("undelegate cancel", tx.operators().cancel_undelegate(operator, amount))
					.await
			}
			UndelegateCmd::Execute { operator } => {
				ctx.submit("undelegate execute", tx.operators().execute_undelegate(operator)).await
			}
		},
		Command::Delegations { account } => {
			let who = ctx.who(account)?;
			ctx.read("OperatorsApi", "delegations_of", vec![account_arg(&who)], "no delegations")
				.await
		}
		Command::Blueprint(cmd) => blueprint_cmd(cmd, ctx).await,
		Command::Registration(cmd) => registration(cmd, ctx).await,
		Command::Service(cmd) => service(cmd, ctx).await,
		Command::Report(args) => {
			let kind = match (args.job_call, args.qos) {
				(Some(call_id), _) => {
					rt::pallet_warden_services::types::ReportKind::JobMisbehaviour { call_id }
				}
				(None, Some(metric)) => {
					rt::pallet_warden_services::types::ReportKind::QualityOfService {
						metric: bytes(metric.into_bytes()),
					}
				}
				(None, None) => return Err(Error::Input("give --job-call or --qos".into())),
			};
			let call = tx.services().report(
				args.service,
				args.offender,
				kind,
				bytes(args.evidence),
				Perbill(args.fraction),
			);
			ctx.submit("report", call).await
		}
		Command::ReportMissedHeartbeats { service, operator } => {
			ctx.submit(
				"report-missed-heartbeats",
				tx.services().report_missed_heartbeats(service, operator),
			)
			.await
		}
		Command::Slash(cmd) => slash(cmd, ctx).await,
		Command::Rewards(cmd) => rewards(cmd, ctx).await,
		Command::Pot(PotCmd::Fund { amount }) => {
			ctx.submit("pot fund", tx.rewards().fund_pot(amount)).await
		}
		Command::Incentive(cmd) => {
			let call = match cmd {
				IncentiveCmd::Set { blueprint, weight } => {
					api::Call::Rewards(rt::pallet_warden_rewards::pallet::Call::set_incentivized {
						blueprint,
						weight,
					})
				}
				IncentiveCmd::Remove { blueprint } => api::Call::Rewards(
					rt::pallet_warden_rewards::pallet::Call::remove_incentivized { blueprint },
				),
			};
			ctx.submit("incentive (sudo)", tx.sudo().sudo(call)).await
		}
		Command::Monitor(cmd) => monitor(cmd, ctx).await,
		Command::ClaimReward { channel } => {
			ctx.submit("claim-reward", tx.monitoring().claim_reward(channel)).await
		}
		Command::Params(cmd) => params::run(cmd, ctx).await,
		Command::Committee(cmd) => committee(cmd, ctx).await,
		Command::Validator(cmd) => crate::cmd::validator::run(cmd, ctx).await,
	}
}

fn hex_encode(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn chain_status(ctx: &mut Context) -> Result<(), Error> {
	let out = ctx.out;
	let client = ctx.client().await?;
	let best = client.at_best().await?;
	let finalized = client.at_finalized().await?;
	let era = client.read_json("RewardsApi", "active_era", vec![]).await?;
	out.value(&json!({
		"url": client.url(),
		"genesis_hash": format!("{:?}", client.genesis_hash()),
		"best": best.block_number(),
		"finalized": finalized.block_number(),
		"spec_version": best.spec_version(),
		"era": era,
	}));
	Ok(())
}

async fn operator(cmd: OperatorCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().operators();
	match cmd {
		OperatorCmd::Join { bond, if_needed } => {
			if if_needed {
				let record = operator_record(ctx, ctx.who(None)?).await?;
				if !record["operator"].is_null() {
					ctx.out.value(&record);
					return Ok(());
				}
			}
			ctx.submit("operator join", tx.join_operators(bond)).await
		}
		OperatorCmd::BondMore { amount } => {
			ctx.submit("operator bond-more", tx.bond_more(amount)).await
		}
		OperatorCmd::BondLess(BondLessCmd::Schedule { amount }) => {
			ctx.submit("operator bond-less schedule", tx.schedule_bond_less(amount)).await
		}
		OperatorCmd::BondLess(BondLessCmd::Cancel { amount }) => {
			ctx.submit("operator bond-less cancel", tx.cancel_bond_less(amount)).await
		}
		OperatorCmd::BondLess(BondLessCmd::Execute) => {
			ctx.submit("operator bond-less execute", tx.execute_bond_less()).await
		}
		OperatorCmd::Offline => ctx.submit("operator offline", tx.go_offline()).await,
		OperatorCmd::Online => ctx.submit("operator online", tx.go_online()).await,
		OperatorCmd::Leave(LeaveCmd::Schedule) => {
			ctx.submit("operator leave schedule", tx.schedule_leave()).await
		}
		OperatorCmd::Leave(LeaveCmd::Cancel) => {
			ctx.submit("operator leave cancel", tx.cancel_leave()).await
		}
		OperatorCmd::Leave(LeaveCmd::Execute) => {
			ctx.submit("operator leave execute", tx.execute_leave()).await
		}
		OperatorCmd::ReleaseExitBond => {
			ctx.submit("operator release-exit-bond", tx.release_exit_bond()).await
		}
		OperatorCmd::MinDelegation { amount } => {
			ctx.submit("operator min-delegation", tx.set_min_delegation(amount)).await
		}
		OperatorCmd::Show { account } => {
			let who = ctx.who(account)?;
			let value = operator_record(ctx, who).await?;
			ctx.out.value(&value);
			Ok(())
		}
		OperatorCmd::Status { account, agent } => {
			let Some(url) = agent else {
				let who = ctx.who(account)?;
				let value = operator_record(ctx, who).await?;
				ctx.out.value(&value);
				return Ok(());
			};
			let status = agent_status(&url).await?;
			let who = match account {
				Some(account) => account,
				None => match ctx.who(None) {
					Ok(who) => who,
					Err(_) => {
						status["operator"].as_str().and_then(|s| parse_account(s).ok()).ok_or_else(
							|| Error::Input(format!("the agent at {url} names no operator")),
						)?
					}
				},
			};
			if status["operator"].as_str() != Some(who.to_string().as_str()) {
				return Err(Error::Input(format!(
					"the agent at {url} runs for {}, not {who}",
					status["operator"].as_str().unwrap_or("no operator")
				)));
			}
			let mut value = operator_record(ctx, who).await?;
			value["agent"] = status;
			ctx.out.value(&value);
			Ok(())
		}
	}
}

/// The chain's record of operator `who`: its state, bond and stake, and its exit bond.
async fn operator_record(ctx: &mut Context, who: AccountId32) -> Result<Json, Error> {
	let operator = ctx.read_value("OperatorsApi", "operator", vec![account_arg(&who)]).await?;
	let exit_bond = ctx.read_value("OperatorsApi", "exit_bond", vec![account_arg(&who)]).await?;
	Ok(json!({
		"account": who.to_string(),
		"operator": operator,
		"exit_bond": exit_bond,
	}))
}

/// What the `warden-operator` at `url` reports on `GET /status`.
async fn agent_status(url: &str) -> Result<Json, Error> {
	let unreachable = |why: String| Error::Input(format!("can't read the agent at {url}: {why}"));
	let answer =
		http::fetch(url, "GET", "/status", b"", AGENT_TIMEOUT).await.map_err(unreachable)?;
	if answer.status != 200 {
		return Err(unreachable(format!("HTTP {}: {}", answer.status, answer.text())));
	}
	match answer.json() {
		Json::Null => Err(unreachable("its answer is not JSON".into())),
		status => Ok(status),
	}
}

/// How long `warden operator status --agent` waits for the agent.
const AGENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

async fn blueprint_cmd(cmd: BlueprintCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().services();
	match cmd {
		BlueprintCmd::Create { file } => {
			let file = blueprint::load(&file)?;
			let (metadata, jobs, policy) = file.into_call_args()?;
			ctx.submit("blueprint create", tx.create_blueprint(metadata, jobs, policy)).await
		}
		BlueprintCmd::UpdateMetadata { blueprint, file } => {
			let (metadata, _, _) = blueprint::load(&file)?.into_call_args()?;
			ctx.submit(
				"blueprint update-metadata",
				tx.update_blueprint_metadata(blueprint, metadata),
			)
			.await
		}
		BlueprintCmd::Deactivate { blueprint } => {
			ctx.submit("blueprint deactivate", tx.deactivate_blueprint(blueprint)).await
		}
		BlueprintCmd::Remove { blueprint } => {
			ctx.submit("blueprint remove", tx.remove_blueprint(blueprint)).await
		}
		BlueprintCmd::Show { blueprint } => {
			ctx.read(
				"ServicesApi",
				"blueprint",
				vec![Value::u128(blueprint.into())],
				"no such blueprint",
			)
			.await
		}
	}
}

async fn registration(cmd: RegistrationCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().services();
	match cmd {
		RegistrationCmd::Register {
			blueprint,
			operator_key,
			rpc_address,
			max_instances,
			price_per_block,
			if_needed,
		} => {
			if if_needed {
				let found = registration_record(ctx, blueprint, ctx.who(None)?).await?;
				if !found.is_null() {
					ctx.out.value(&found);
					return Ok(());
				}
			}
			let preferences = rt::pallet_warden_services::types::OperatorPreferences {
				operator_key,
				rpc_address: bytes(rpc_address.into_bytes()),
				max_instances,
				price_per_block,
			};
			ctx.submit("registration register", tx.register(blueprint, preferences)).await
		}
		RegistrationCmd::Update { blueprint, max_instances, rpc_address, price_per_block } => {
			let call = tx.update_registration(
				blueprint,
				max_instances,
				rpc_address.map(|address| bytes(address.into_bytes())),
				price_per_block,
			);
			ctx.submit("registration update", call).await
		}
		RegistrationCmd::Unregister { blueprint } => {
			ctx.submit("registration unregister", tx.unregister(blueprint)).await
		}
		RegistrationCmd::Show { blueprint, operator } => {
			let who = ctx.who(operator)?;
			let found = registration_record(ctx, blueprint, who).await?;
			ctx.out.maybe(&found, "not registered for this blueprint");
			Ok(())
		}
	}
}

/// Operator `who`'s registration for `blueprint`, or null.
async fn registration_record(
	ctx: &mut Context,
	blueprint: u64,
	who: AccountId32,
) -> Result<Json, Error> {
	let all = ctx.read_value("ServicesApi", "registrations_of", vec![account_arg(&who)]).await?;
	let mut found = all
		.as_array()
		.and_then(|list| list.iter().find(|r| r["blueprint"] == json!(blueprint)))
		.cloned()
		.unwrap_or(Json::Null);
	as_text(&mut found, "/preferences/rpc_address");
	Ok(found)
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

async fn service(cmd: ServiceCmd, ctx: &mut Context) -> Result<(), Error> {
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
					let info = ctx
						.read_value("ServicesApi", "request", vec![Value::u128(request.into())])
						.await?;
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
			let id = || vec![Value::u128(service.into())];
			let info = ctx.read_value("ServicesApi", "service", id()).await?;
			if info.is_null() && !ctx.out.json {
				ctx.out.line(&format!("no active service {service}"));
				return Ok(());
			}
			let calls = ctx.read_value("ServicesApi", "open_calls", id()).await?;
			let heartbeats = ctx.read_value("ServicesApi", "heartbeat_status", id()).await?;
			ctx.out
				.value(&json!({ "service": info, "open_calls": calls, "heartbeats": heartbeats }));
			Ok(())
		}
		ServiceCmd::ShowRequest { request } => {
			ctx.read(
				"ServicesApi",
				"request",
				vec![Value::u128(request.into())],
				"no pending request",
			)
			.await
		}
		ServiceCmd::Stats { service, era } => {
			let era = match era {
				Some(era) => era,
				None => {
					let active = ctx.read_value("RewardsApi", "active_era", vec![]).await?;
					active["index"].as_u64().unwrap_or_default() as u32
				}
			};
			let stats = ctx
				.read_value(
					"ServicesApi",
					"service_stats",
					vec![Value::u128(service.into()), Value::u128(era.into())],
				)
				.await?;
			ctx.out.value(&json!({ "service": service, "era": era, "operators": stats }));
			Ok(())
		}
	}
}

/// The slashing pallet's veto call.
fn veto_call(slash_id: u64, reason: VetoReasonArg) -> api::Call {
	use rt::pallet_warden_slashing::types::VetoReason;
	let reason = match reason {
		VetoReasonArg::Unfounded => VetoReason::Unfounded,
		VetoReasonArg::Pardoned => VetoReason::Pardoned,
	};
	api::Call::Slashing(rt::pallet_warden_slashing::pallet::Call::veto { slash_id, reason })
}

async fn slash(cmd: SlashCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().slashing();
	match cmd {
		SlashCmd::List { operator: Some(operator), .. } => {
			ctx.read(
				"SlashingApi",
				"pending_slashes_of_operator",
				vec![account_arg(&operator)],
				"none",
			)
			.await
		}
		SlashCmd::List { service: Some(service), .. } => {
			ctx.read(
				"SlashingApi",
				"pending_slashes_of_service",
				vec![Value::u128(service.into())],
				"none",
			)
			.await
		}
		SlashCmd::List { .. } => Err(Error::Input("give --operator or --service".into())),
		SlashCmd::HeldBack { account } => {
			let who = ctx.who(account)?;
			ctx.read("SlashingApi", "held_back_of", vec![account_arg(&who)], "nothing held back")
				.await
		}
		SlashCmd::Dispute { slash, statement } => {
			ctx.submit("slash dispute", tx.dispute(slash, bytes(statement.into_bytes()))).await
		}
		SlashCmd::Veto { slash, reason } => propose_veto(slash, reason, ctx).await,
		SlashCmd::Vote(args) => vote(args, ctx).await,
		SlashCmd::Close(args) => close(args, ctx).await,
		SlashCmd::Apply { slash } => ctx.submit("slash apply", tx.apply_slash(slash)).await,
	}
}

/// A motion needs this many votes: half the committee, rounded up.
async fn threshold(ctx: &mut Context) -> Result<u32, Error> {
	let members = committee_members(ctx).await?;
	Ok((members.len() as u32).div_ceil(2).max(1))
}

/// The committee's members, at the best block.
pub async fn committee_members(ctx: &mut Context) -> Result<Vec<AccountId32>, Error> {
	let at = ctx.client().await?.at_best().await?;
	at.storage()
		.fetch(api::storage().slashing_committee().members(), ())
		.await
		.map_err(Error::rpc)?
		.decode()
		.map_err(Error::rpc)
}

async fn propose_veto(slash: u64, reason: VetoReasonArg, ctx: &mut Context) -> Result<(), Error> {
	let call = veto_call(slash, reason);
	let length_bound = encoded_len(&call, ctx).await?;
	let threshold = threshold(ctx).await?;
	let propose = api::tx().slashing_committee().propose(threshold, call, length_bound);
	ctx.submit("committee propose (veto)", propose).await
}

/// The encoded length of `call`, which bounds a motion carrying it.
pub async fn encoded_len(call: &api::Call, ctx: &mut Context) -> Result<u32, Error> {
	use subxt::ext::scale_encode::EncodeAsType;
	let at = ctx.client().await?.at_best().await?;
	let metadata = at.metadata();
	let bytes = call
		.encode_as_type(metadata.outer_enums().call_enum_ty(), metadata.types())
		.map_err(Error::rpc)?;
	Ok(bytes.len() as u32)
}

async fn vote(args: VoteArgs, ctx: &mut Context) -> Result<(), Error> {
	let call = api::tx().slashing_committee().vote(args.motion.into(), args.index, !args.nay);
	ctx.submit("committee vote", call).await
}

async fn close(args: CloseArgs, ctx: &mut Context) -> Result<(), Error> {
	// The motion's call bounds the close: its length, and its weight as the runtime
	// reports it (the weight the closer pays for up front; the unused part is refunded).
	let client = ctx.client().await?;
	let at = client.at_best().await?;
	let proposal = at
		.storage()
		.try_fetch(api::storage().slashing_committee().proposal_of(), (args.motion.into(),))
		.await
		.map_err(Error::rpc)?
		.ok_or_else(|| Error::Input("no open motion with this hash".into()))?
		.decode()
		.map_err(Error::rpc)?;
	let length_bound = encoded_len(&proposal, ctx).await?;
	let info = ctx
		.client()
		.await?
		.read(
			api::runtime_apis()
				.transaction_payment_call_api()
				.query_call_info(proposal, length_bound),
		)
		.await?;
	let weight = info.weight;
	let call =
		api::tx().slashing_committee().close(args.motion.into(), args.index, weight, length_bound);
	ctx.submit("committee close", call).await
}

async fn committee(cmd: CommitteeCmd, ctx: &mut Context) -> Result<(), Error> {
	match cmd {
		CommitteeCmd::ProposeVeto { slash, reason } => propose_veto(slash, reason, ctx).await,
		CommitteeCmd::Vote(args) => vote(args, ctx).await,
		CommitteeCmd::Close(args) => close(args, ctx).await,
		CommitteeCmd::Show => {
			let out = ctx.out;
			let members = committee_members(ctx).await?;
			let client = ctx.client().await?;
			let at = client.at_best().await?;
			let storage = at.storage();
			let proposals = storage
				.fetch(api::storage().slashing_committee().proposals(), ())
				.await
				.map_err(Error::rpc)?
				.decode()
				.map_err(Error::rpc)?;
			let mut motions = Vec::new();
			for hash in proposals.0 {
				let votes = storage
					.try_fetch(api::storage().slashing_committee().voting(), (hash,))
					.await
					.map_err(Error::rpc)?;
				let votes = match votes {
					Some(votes) => votes.decode().map_err(Error::rpc)?,
					None => continue,
				};
				motions.push(json!({
					"motion": format!("{hash:?}"),
					"index": votes.index,
					"threshold": votes.threshold,
					"ayes": votes.ayes.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
					"nays": votes.nays.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
					"end": votes.end,
				}));
			}
			out.value(&json!({
				"members": members.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
				"motions": motions,
			}));
			Ok(())
		}
	}
}

async fn rewards(cmd: RewardsCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().rewards();
	match cmd {
		RewardsCmd::Pending { account } => {
			let who = ctx.who(account)?;
			let pending =
				ctx.read_value("RewardsApi", "pending_rewards", vec![account_arg(&who)]).await?;
			ctx.out.value(&json!({ "account": who.to_string(), "pending_reward": pending }));
			Ok(())
		}
		RewardsCmd::Claim => ctx.submit("rewards claim", tx.claim()).await,
		RewardsCmd::ClaimFor { account } => {
			ctx.submit("rewards claim-for", tx.claim_for(account)).await
		}
		RewardsCmd::Commission { commission } => {
			ctx.submit("rewards commission", tx.set_commission(Perbill(commission))).await
		}
		RewardsCmd::SettleNext => ctx.submit("rewards settle-next", tx.settle_next()).await,
		RewardsCmd::Era => {
			let active = ctx.read_value("RewardsApi", "active_era", vec![]).await?;
			let last = ctx.read_value("RewardsApi", "last_era_report", vec![]).await?;
			ctx.out.value(&json!({ "active_era": active, "last_settled": last }));
			Ok(())
		}
	}
}

async fn monitor(cmd: MonitorCmd, ctx: &mut Context) -> Result<(), Error> {
	let tx = api::tx().monitoring();
	match cmd {
		MonitorCmd::Register { deposit, endpoint, if_needed } => {
			if if_needed {
				let who = ctx.who(None)?;
				let found =
					ctx.read_value("MonitoringApi", "monitor", vec![account_arg(&who)]).await?;
				if !found.is_null() {
					ctx.out.value(&with_text_endpoint(found));
					return Ok(());
				}
			}
			ctx.submit(
				"monitor register",
				tx.register_monitor(deposit, bytes(endpoint.into_bytes())),
			)
			.await
		}
		MonitorCmd::Renew { top_up } => ctx.submit("monitor renew", tx.renew_monitor(top_up)).await,
		MonitorCmd::Unregister => ctx.submit("monitor unregister", tx.unregister_monitor()).await,
		MonitorCmd::Release => ctx.submit("monitor release", tx.release_monitor_deposit()).await,
		MonitorCmd::SetEndpoint { endpoint } => {
			ctx.submit("monitor set-endpoint", tx.set_endpoint(bytes(endpoint.into_bytes()))).await
		}
		MonitorCmd::Slot { channel, monitor } => {
			let who = ctx.who(monitor)?;
			let slot = ctx
				.read_value(
					"MonitoringApi",
					"first_allowed_block",
					vec![Value::u128(channel.into()), account_arg(&who)],
				)
				.await?;
			ctx.out.value(
				&json!({ "channel": channel, "monitor": who.to_string(), "first_allowed_block": slot }),
			);
			Ok(())
		}
		MonitorCmd::Show { monitor } => {
			let who = ctx.who(monitor)?;
			let value = ctx.read_value("MonitoringApi", "monitor", vec![account_arg(&who)]).await?;
			let value = with_text_endpoint(value);
			ctx.out.maybe(&value, "not a registered monitor");
			Ok(())
		}
		MonitorCmd::List { after, max } => {
			let args = vec![option_arg(after.as_ref().map(account_arg)), Value::u128(max.into())];
			let list = ctx.read_value("MonitoringApi", "monitors", args).await?;
			let list: Vec<Json> = list
				.as_array()
				.cloned()
				.unwrap_or_default()
				.into_iter()
				.map(|entry| match entry {
					Json::Array(pair) if pair.len() == 2 => json!({
						"monitor": pair[0],
						"info": with_text_endpoint(pair[1].clone()),
					}),
					other => other,
				})
				.collect();
			ctx.out.value(&Json::Array(list));
			Ok(())
		}
	}
}

/// A monitor record with its endpoint as text rather than hex bytes.
fn with_text_endpoint(mut value: Json) -> Json {
	as_text(&mut value, "/endpoint");
	value
}

/// Shows the bytes at JSON `pointer` in `value` as text, when they are UTF-8: URLs and
/// addresses are stored as bytes on chain.
fn as_text(value: &mut Json, pointer: &str) {
	let Some(field) = value.pointer_mut(pointer) else { return };
	let text = field
		.as_str()
		.filter(|bytes| bytes.starts_with("0x"))
		.and_then(|hex| crate::args::parse_bytes(hex).ok())
		.and_then(|bytes| String::from_utf8(bytes).ok());
	if let Some(text) = text {
		*field = json!(text);
	}
}
