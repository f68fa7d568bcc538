//! The command line: global options and every subcommand, with their help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use warden_client::{units, AccountId32, Scheme, Wait};

/// `warden`: operate, delegate, buy services, report, collect rewards and monitor channels
/// on a Warden chain.
///
/// Every command that changes the chain signs with the key of `--suri` (or `--key-file`)
/// and waits for finalization unless `--wait` says otherwise; progress goes to stderr, the
/// result to stdout (a table, or JSON with `--json`). Exit codes: 0 success, 1 the chain
/// refused (the error and its documentation are printed), 2 bad usage or input, 3 the node
/// can't be reached, 4 no `wardend` answers (`channel` and `wallet` commands). With
/// `--json`, failures are JSON on stdout too.
#[derive(Debug, Parser)]
#[command(
	name = "warden",
	version,
	propagate_version = true,
	max_term_width = 100,
	after_help = "Amounts: 1.5, 1.5WRD or 1500000000000planck (a bare number is WRD, 12 \
	              decimals). Percentages: 50 or 50%. Accounts: SS58, 0x and 32 bytes, or a \
	              development name (alice … ferdie)."
)]
pub struct Cli {
	#[command(flatten)]
	pub global: Global,

	#[command(subcommand)]
	pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
	/// The node's WebSocket RPC endpoint.
	#[arg(
		long,
		global = true,
		help_heading = "Global options",
		env = "WARDEN_URL",
		default_value = "ws://127.0.0.1:9944"
	)]
	pub url: String,

	/// The secret URI of the signing key: `//Alice`, a mnemonic with an optional derivation
	/// path (`<words>//hard/soft`), or a 0x hex seed.
	#[arg(
		long,
		global = true,
		help_heading = "Global options",
		env = "WARDEN_SURI",
		conflicts_with = "key_file",
		hide_env_values = true
	)]
	pub suri: Option<String>,

	/// A file holding the secret URI on its first line. Refused if others may read it.
	#[arg(long, global = true, help_heading = "Global options", env = "WARDEN_KEY_FILE")]
	pub key_file: Option<PathBuf>,

	/// The key's signature scheme: sr25519 or ecdsa.
	#[arg(long, global = true, help_heading = "Global options", default_value = "sr25519", value_parser = parse_scheme)]
	pub scheme: Scheme,

	/// How long to wait for a transaction: `none` (until the node took it), `in-block` or
	/// `finalized`.
	#[arg(long, global = true, help_heading = "Global options", default_value = "finalized", value_parser = parse_wait)]
	pub wait: Wait,

	/// Print results as JSON instead of tables.
	#[arg(long, global = true, help_heading = "Global options")]
	pub json: bool,

	/// Print no progress lines on stderr.
	#[arg(long, short, global = true, help_heading = "Global options")]
	pub quiet: bool,
	/// Where `wardend` serves (the `channel` and `wallet` commands go through it).
	#[arg(long, global = true, help_heading = "Global options", env = "WARDEN_WALLET", default_value = warden_client::wallet::DEFAULT_URL)]
	pub wallet: String,
	/// The token file `wardend` wrote (default `$HOME/.local/share/warden/wardend.token`).
	#[arg(long, global = true, help_heading = "Global options", env = "WARDEN_WALLET_TOKEN_FILE")]
	pub wallet_token_file: Option<PathBuf>,
}

/// An amount: `1.5`, `1.5WRD` or `1500000000000planck` (a bare number is in WRD).
pub fn parse_amount(input: &str) -> Result<u128, String> {
	units::parse_amount(input).map_err(|e| e.to_string())
}

/// An account: an SS58 address, 0x and 32 bytes of hex, or a development name (`alice`).
pub fn parse_account(input: &str) -> Result<AccountId32, String> {
	warden_client::parse_account(input).map_err(|e| e.to_string())
}

/// A percentage `0`–`100`, with or without `%`.
pub fn parse_percent(input: &str) -> Result<u8, String> {
	let number = input.trim().trim_end_matches('%').trim();
	match number.parse::<u8>() {
		Ok(percent) if percent <= 100 => Ok(percent),
		_ => Err(format!("`{input}` is not a whole percentage from 0 to 100")),
	}
}

/// A fraction as parts per billion, from a percentage with up to 7 decimals (`10%`,
/// `0.1%`).
pub fn parse_perbill(input: &str) -> Result<u32, String> {
	let bad = || format!("`{input}` is not a percentage from 0% to 100% (e.g. 10% or 0.1%)");
	let number = input.trim().trim_end_matches('%').trim();
	let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
	if fraction.len() > 7 || !fraction.chars().all(|c| c.is_ascii_digit()) {
		return Err(bad());
	}
	let whole: u64 = whole.parse().map_err(|_| bad())?;
	let fraction: u64 = format!("{fraction:0<7}").parse().map_err(|_| bad())?;
	let parts =
		whole.checked_mul(10_000_000).and_then(|w| w.checked_add(fraction)).ok_or_else(bad)?;
	u32::try_from(parts).ok().filter(|parts| *parts <= 1_000_000_000).ok_or_else(bad)
}

fn parse_scheme(input: &str) -> Result<Scheme, String> {
	input.parse().map_err(|e: warden_client::Error| e.to_string())
}

fn parse_wait(input: &str) -> Result<Wait, String> {
	input.parse().map_err(|e: warden_client::Error| e.to_string())
}

/// Bytes given on the command line. An alias, so clap takes one value rather than many.
pub type Bytes = Vec<u8>;

/// Bytes: `0x` hex, or text taken as its UTF-8 bytes.
pub fn parse_bytes(input: &str) -> Result<Vec<u8>, String> {
	match input.strip_prefix("0x") {
		Some(hex) => decode_hex(hex).ok_or_else(|| format!("`{input}` is not valid hex")),
		None => Ok(input.as_bytes().to_vec()),
	}
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
	if !hex.len().is_multiple_of(2) {
		return None;
	}
	(0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

/// A 32-byte hash or key in hex.
pub fn parse_hash(input: &str) -> Result<[u8; 32], String> {
	let bytes = parse_bytes(input)?;
	if !input.starts_with("0x") {
		return Err(format!("`{input}` is not 0x and 32 bytes of hex"));
	}
	bytes.try_into().map_err(|_| format!("`{input}` is not 32 bytes"))
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
	/// The chain: head, finalized block, era and parameters.
	#[command(subcommand)]
	Chain(ChainCmd),
	/// The free, reserved and held balance of an account (the key's if none is given).
	Balance {
		/// The account.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// Transfers an amount, keeping the sender alive.
	Transfer {
		/// The recipient.
		#[arg(value_parser = parse_account)]
		to: AccountId32,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// The account of the signing key.
	Account,
	/// Operators: bond, lifecycle and exit.
	#[command(subcommand)]
	Operator(OperatorCmd),
	/// Delegates an amount to an Active operator.
	Delegate {
		/// The operator.
		#[arg(value_parser = parse_account)]
		operator: AccountId32,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
		/// Back only these blueprints (comma-separated ids): the stake is never slashed for
		/// another blueprint. Without it, the delegation backs all of the operator's
		/// blueprints. A delegation keeps its blueprints until it is fully released.
		#[arg(long, value_delimiter = ',', num_args = 1..)]
		blueprints: Vec<u64>,
	},
	/// Takes delegated stake out through unbonding.
	#[command(subcommand)]
	Undelegate(UndelegateCmd),
	/// The delegations of an account (the key's if none is given).
	Delegations {
		/// The account.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// Blueprints: the services operators offer.
	#[command(subcommand)]
	Blueprint(BlueprintCmd),
	/// An operator's registration for a blueprint.
	#[command(subcommand)]
	Registration(RegistrationCmd),
	/// Service requests and services: request, approve, call jobs, answer, heartbeat.
	#[command(subcommand)]
	Service(ServiceCmd),
	/// Reports an operator of a service for misbehaviour (a pending slash).
	Report(ReportArgs),
	/// Reports an operator of a service for missed heartbeats (anyone may).
	ReportMissedHeartbeats {
		/// The service.
		service: u64,
		/// The operator.
		#[arg(value_parser = parse_account)]
		operator: AccountId32,
	},
	/// Pending slashes: list, dispute, veto through the committee, apply.
	#[command(subcommand)]
	Slash(SlashCmd),
	/// Era rewards: pending, claim, commission.
	#[command(subcommand)]
	Rewards(RewardsCmd),
	/// The rewards pot.
	#[command(subcommand)]
	Pot(PotCmd),
	/// Blueprints whose work earns rewards (sudo).
	#[command(subcommand)]
	Incentive(IncentiveCmd),
	/// Monitors: registry, endpoint, slots.
	#[command(subcommand)]
	Monitor(MonitorCmd),
	/// Pays a settled channel's escrow: the reward to the monitor whose update stood, the
	/// rest to the funder. Anyone may call it.
	ClaimReward {
		/// The channel.
		channel: u64,
	},
	/// The runtime parameters of each pallet: show them, or set them through sudo.
	#[command(subcommand)]
	Params(ParamsCmd),
	/// Slashing-committee motions: propose a veto, vote, close.
	#[command(subcommand)]
	Committee(CommitteeCmd),
	/// The validator set and session keys: show the set, rotate keys, add and remove
	/// validators (sudo or a committee motion).
	#[command(subcommand)]
	Validator(crate::cmd::validator::ValidatorCmd),
	/// Payment channels, through the account's `wardend` (which signs, watches and defends
	/// them): open, pay, receive, close, settle.
	#[command(subcommand)]
	Channel(ChannelCmd),
	/// A channel's monitoring escrow, through the account's `wardend`.
	#[command(subcommand)]
	Escrow(EscrowCmd),
	/// The account's `wardend`: its status, or stop it.
	#[command(subcommand)]
	Wallet(WalletCmd),
	/// SWAP accounting with another party's `wardend`: pay for units of service with
	/// cheques that are balance proofs on a channel.
	#[command(subcommand)]
	Swap(SwapCmd),
	/// Prints shell completions.
	Completions {
		/// The shell.
		shell: clap_complete::Shell,
	},
}

/// `warden chain`.
#[derive(Debug, Subcommand)]
pub enum ChainCmd {
	/// Best and finalized blocks, the genesis hash, the era and the runtime version.
	Status,
}

/// `warden operator`.
#[derive(Debug, Subcommand)]
pub enum OperatorCmd {
	/// Bonds an amount (at least the minimum operator bond) and becomes an Active operator.
	Join {
		/// The bond.
		#[arg(value_parser = parse_amount)]
		bond: u128,
		/// If the account is an operator already, print its record and exit 0 without a
		/// transaction (for scripts that retry).
		#[arg(long)]
		if_needed: bool,
	},
	/// Adds to the operator's bond.
	BondMore {
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Takes part of the bond out through unbonding.
	#[command(subcommand)]
	BondLess(BondLessCmd),
	/// Goes Inactive: keeps serving its services, accepts nothing new.
	Offline,
	/// Goes back to Active.
	Online,
	/// Leaves: schedule, cancel, or execute once due.
	#[command(subcommand)]
	Leave(LeaveCmd),
	/// Releases the exit bond a former operator left, once unbonded.
	ReleaseExitBond,
	/// Sets the smallest delegation the operator accepts, on top of the chain's minimum.
	MinDelegation {
		/// The minimum.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// An operator: state, bond, delegated stake, exit bond (the key's if none is given).
	Show {
		/// The operator.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// An operator on chain and, with `--agent`, what its `warden-operator` reports: its
	/// heads, services, open calls and counters (the agent's operator if no account or key
	/// is given).
	Status {
		/// The operator.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
		/// The agent's HTTP endpoint, e.g. `http://127.0.0.1:9956`.
		#[arg(long)]
		agent: Option<String>,
	},
}

/// `warden operator bond-less`.
#[derive(Debug, Subcommand)]
pub enum BondLessCmd {
	/// Moves an amount of the bond to unbonding.
	Schedule {
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Moves an amount back from unbonding to the bond.
	Cancel {
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Releases what is due.
	Execute,
}

/// `warden operator leave`.
#[derive(Debug, Subcommand)]
pub enum LeaveCmd {
	/// Starts leaving: accepts nothing new, leaves after the leave delay.
	Schedule,
	/// Stops leaving.
	Cancel,
	/// Leaves once due: the bond becomes the exit bond, delegations start unbonding.
	Execute,
}

/// `warden undelegate`.
#[derive(Debug, Subcommand)]
pub enum UndelegateCmd {
	/// Moves an amount of a delegation to unbonding.
	Schedule {
		/// The operator.
		#[arg(value_parser = parse_account)]
		operator: AccountId32,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Moves an amount back from unbonding to the delegation.
	Cancel {
		/// The operator.
		#[arg(value_parser = parse_account)]
		operator: AccountId32,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Releases what is due, except what pending slashes may still take.
	Execute {
		/// The operator.
		#[arg(value_parser = parse_account)]
		operator: AccountId32,
	},
}

/// `warden blueprint`.
#[derive(Debug, Subcommand)]
pub enum BlueprintCmd {
	/// Creates a blueprint from a TOML or JSON file (see the README's example), holding its
	/// deposit.
	Create {
		/// The file.
		file: PathBuf,
	},
	/// Replaces a blueprint's metadata with the metadata of a TOML or JSON file.
	UpdateMetadata {
		/// The blueprint.
		blueprint: u64,
		/// The file.
		file: PathBuf,
	},
	/// Deactivates a blueprint: no new requests.
	Deactivate {
		/// The blueprint.
		blueprint: u64,
	},
	/// Removes a blueprint nothing uses and releases its deposit.
	Remove {
		/// The blueprint.
		blueprint: u64,
	},
	/// A blueprint.
	Show {
		/// The blueprint.
		blueprint: u64,
	},
}

/// `warden registration`.
#[derive(Debug, Subcommand)]
pub enum RegistrationCmd {
	/// Registers the operator for a blueprint.
	Register {
		/// The blueprint.
		blueprint: u64,
		/// The operator's service key for this blueprint (0x and 32 bytes).
		#[arg(long, value_parser = parse_hash)]
		operator_key: [u8; 32],
		/// Where customers reach the operator's service.
		#[arg(long)]
		rpc_address: String,
		/// The most instances it runs at once.
		#[arg(long, default_value_t = 1)]
		max_instances: u32,
		/// Its price per block of service.
		#[arg(long, default_value = "0", value_parser = parse_amount)]
		price_per_block: u128,
		/// If the operator is registered for the blueprint already, print the registration
		/// and exit 0 without a transaction (for scripts that retry).
		#[arg(long)]
		if_needed: bool,
	},
	/// Changes a registration.
	Update {
		/// The blueprint.
		blueprint: u64,
		/// The most instances it runs at once.
		#[arg(long)]
		max_instances: Option<u32>,
		/// Where customers reach the operator's service.
		#[arg(long)]
		rpc_address: Option<String>,
		/// Its price per block of service.
		#[arg(long, value_parser = parse_amount)]
		price_per_block: Option<u128>,
	},
	/// Unregisters from a blueprint.
	Unregister {
		/// The blueprint.
		blueprint: u64,
	},
	/// A registration.
	Show {
		/// The blueprint.
		blueprint: u64,
		/// The operator (the key's if none is given).
		#[arg(value_parser = parse_account)]
		operator: Option<AccountId32>,
	},
}

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

/// `warden slash`.
#[derive(Debug, Subcommand)]
pub enum SlashCmd {
	/// Pending slashes of an operator or a service.
	List {
		/// Against this operator.
		#[arg(long, value_parser = parse_account, conflicts_with = "service", required_unless_present = "service")]
		operator: Option<AccountId32>,
		/// For offences in this service.
		#[arg(long)]
		service: Option<u64>,
	},
	/// What pending slashes hold back of an account's stake (the key's if none is given).
	HeldBack {
		/// The staker.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// Disputes a pending slash against the key's operator, with a statement.
	Dispute {
		/// The slash.
		slash: u64,
		/// The statement for the reviewers.
		statement: String,
	},
	/// Proposes a committee motion to veto a pending slash (executed at once if the
	/// threshold is one vote).
	Veto {
		/// The slash.
		slash: u64,
		/// Why: the report was unfounded (its deposit is forfeited) or the offender is
		/// pardoned (the deposit is returned).
		#[arg(long, value_enum)]
		reason: VetoReasonArg,
	},
	/// Votes on a committee motion.
	Vote(VoteArgs),
	/// Closes a committee motion once decided.
	Close(CloseArgs),
	/// Applies a due slash the per-block queue hasn't reached yet (anyone; free).
	Apply {
		/// The slash.
		slash: u64,
	},
}

/// A veto's reason.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VetoReasonArg {
	/// The report was wrong or made in bad faith.
	Unfounded,
	/// The report was right, but the slash should not happen.
	Pardoned,
}

/// A vote on a committee motion.
#[derive(Debug, Args)]
pub struct VoteArgs {
	/// The motion's hash.
	#[arg(value_parser = parse_hash)]
	pub motion: [u8; 32],
	/// The motion's index.
	pub index: u32,
	/// Vote against it (the default is for).
	#[arg(long)]
	pub nay: bool,
}

/// Closing a committee motion.
#[derive(Debug, Args)]
pub struct CloseArgs {
	/// The motion's hash.
	#[arg(value_parser = parse_hash)]
	pub motion: [u8; 32],
	/// The motion's index.
	pub index: u32,
}

/// `warden rewards`.
#[derive(Debug, Subcommand)]
pub enum RewardsCmd {
	/// What an account may claim now (the key's if none is given).
	Pending {
		/// The account.
		#[arg(value_parser = parse_account)]
		account: Option<AccountId32>,
	},
	/// Claims the key's rewards.
	Claim,
	/// Claims an account's rewards for it (paid to it; anyone may).
	ClaimFor {
		/// The account.
		#[arg(value_parser = parse_account)]
		account: AccountId32,
	},
	/// Sets the key's operator commission (e.g. 10%).
	Commission {
		/// The commission.
		#[arg(value_parser = parse_perbill)]
		commission: u32,
	},
	/// Settles the next ended era's rewards by hand (anyone).
	SettleNext,
	/// The last settled era's report.
	Era,
}

/// `warden pot`.
#[derive(Debug, Subcommand)]
pub enum PotCmd {
	/// Adds an amount to the rewards pot.
	Fund {
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
}

/// `warden incentive`.
#[derive(Debug, Subcommand)]
pub enum IncentiveCmd {
	/// Makes a blueprint's work earn rewards with a weight (through sudo).
	Set {
		/// The blueprint.
		blueprint: u64,
		/// Its weight.
		weight: u32,
	},
	/// Stops a blueprint's work earning rewards (through sudo).
	Remove {
		/// The blueprint.
		blueprint: u64,
	},
}

/// `warden monitor`.
#[derive(Debug, Subcommand)]
pub enum MonitorCmd {
	/// Registers the key as a monitor, holding a deposit, with its public API's URL.
	Register {
		/// The deposit (at least the minimum).
		#[arg(value_parser = parse_amount)]
		deposit: u128,
		/// Where its public API listens.
		#[arg(long)]
		endpoint: String,
		/// If the key is a registered monitor already, print its record and exit 0 without a
		/// transaction (for scripts that retry).
		#[arg(long)]
		if_needed: bool,
	},
	/// Renews the registration, optionally adding to the deposit.
	Renew {
		/// What to add to the deposit.
		#[arg(default_value = "0", value_parser = parse_amount)]
		top_up: u128,
	},
	/// Unregisters: stops at once; the deposit is released after the unregister delay.
	Unregister,
	/// Releases the deposit once the unregister delay passed.
	Release,
	/// Changes the monitor's endpoint.
	SetEndpoint {
		/// Where its public API listens.
		endpoint: String,
	},
	/// The first block a monitor may act in for a closing channel.
	Slot {
		/// The channel.
		channel: u64,
		/// The monitor (the key's if none is given).
		#[arg(value_parser = parse_account)]
		monitor: Option<AccountId32>,
	},
	/// A monitor (the key's if none is given).
	Show {
		/// The monitor.
		#[arg(value_parser = parse_account)]
		monitor: Option<AccountId32>,
	},
	/// Registered monitors, page by page.
	List {
		/// Start after this monitor.
		#[arg(long, value_parser = parse_account)]
		after: Option<AccountId32>,
		/// The most to list.
		#[arg(long, default_value_t = 100)]
		max: u32,
	},
}

/// A pallet with runtime parameters.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ParamsPallet {
	/// Delays and minimums of operators and delegations.
	Operators,
	/// Request expiry and the minimum heartbeat interval.
	Services,
	/// Defer and report windows, deposits, reporter reward.
	Slashing,
	/// Era length and emission.
	Rewards,
	/// Challenge period and minimum deposit.
	Channels,
	/// Monitor deposit, registration period and unregister delay.
	Monitoring,
}

/// `warden params`.
#[derive(Debug, Subcommand)]
pub enum ParamsCmd {
	/// A pallet's parameters.
	Show {
		/// The pallet.
		#[arg(value_enum)]
		pallet: ParamsPallet,
	},
	/// Changes some of a pallet's parameters, through sudo: `field=value` pairs, with
	/// amounts in WRD (or planck) and fractions as percentages.
	Set {
		/// The pallet.
		#[arg(value_enum)]
		pallet: ParamsPallet,
		/// `field=value` pairs, e.g. `leave_delay=30 min_delegation=20WRD`.
		#[arg(required = true)]
		assignments: Vec<String>,
	},
}

/// `warden committee`.
#[derive(Debug, Subcommand)]
pub enum CommitteeCmd {
	/// Proposes a motion to veto a pending slash.
	ProposeVeto {
		/// The slash.
		slash: u64,
		/// Why.
		#[arg(long, value_enum)]
		reason: VetoReasonArg,
	},
	/// Votes on a motion.
	Vote(VoteArgs),
	/// Closes a motion once decided.
	Close(CloseArgs),
	/// The committee's members and open motions.
	Show,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn percentages_parse() {
		assert_eq!(parse_percent("20%"), Ok(20));
		assert_eq!(parse_percent("100"), Ok(100));
		assert!(parse_percent("101%").is_err());
		assert!(parse_percent("2.5%").is_err());
		assert_eq!(parse_perbill("10%"), Ok(100_000_000));
		assert_eq!(parse_perbill("0.1%"), Ok(1_000_000));
		assert_eq!(parse_perbill("0.0000001%"), Ok(1));
		assert_eq!(parse_perbill("100%"), Ok(1_000_000_000));
		assert!(parse_perbill("100.1%").is_err());
		assert!(parse_perbill("0.00000001%").is_err());
		assert!(parse_perbill("ten").is_err());
	}

	#[test]
	fn bytes_and_hashes_parse() {
		assert_eq!(parse_bytes("hi"), Ok(b"hi".to_vec()));
		assert_eq!(parse_bytes("0x6869"), Ok(b"hi".to_vec()));
		assert!(parse_bytes("0x686").is_err());
		assert!(parse_hash("0x12").is_err());
		assert!(parse_hash(&"ab".repeat(32)).is_err());
		assert_eq!(parse_hash(&format!("0x{}", "ab".repeat(32))), Ok([0xab; 32]));
	}

	#[test]
	fn the_command_line_is_consistent() {
		use clap::CommandFactory;
		Cli::command().debug_assert();
	}

	#[test]
	fn command_lines_parse_into_their_values() {
		let parse = |line: &str| {
			Cli::try_parse_from(std::iter::once("warden").chain(line.split(' ')))
				.unwrap_or_else(|e| panic!("{line}: {e}"))
				.command
		};
		let Command::Service(ServiceCmd::Call { service: 3, job: 0, args }) =
			parse("service call 3 0 ping")
		else {
			panic!("a call")
		};
		assert_eq!(args, b"ping");
		let Command::Channel(ChannelCmd::Pay { channel: 3, amount }) = parse("channel pay 3 1.5")
		else {
			panic!("a payment")
		};
		assert_eq!(amount, 1_500_000_000_000);
		let Command::Channel(ChannelCmd::Receive { proof }) = parse("channel receive @proof.json")
		else {
			panic!("a proof")
		};
		assert_eq!(proof, "@proof.json");
		let Command::Service(ServiceCmd::Result { output, failure: true, .. }) =
			parse("service result 3 1 0x0102 --failure")
		else {
			panic!("a result")
		};
		assert_eq!(output, vec![1, 2]);
		let Command::Service(ServiceCmd::Heartbeat { metrics, .. }) =
			parse("service heartbeat 3 --metrics ok")
		else {
			panic!("a heartbeat")
		};
		assert_eq!(metrics, b"ok");
		let Command::Report(report) =
			parse("report 3 eve --job-call 1 --fraction 10% --evidence wrong")
		else {
			panic!("a report")
		};
		assert_eq!((report.evidence, report.fraction), (b"wrong".to_vec(), 100_000_000));
		let Command::Service(ServiceCmd::Request(terms)) = parse(
			"service request --blueprint 0 --operator eve --operator bob --ttl 5 --payment 1.5",
		) else {
			panic!("a request")
		};
		assert_eq!(terms.operators.len(), 2);
		assert_eq!(terms.payment, 1_500_000_000_000);
	}
}

/// `warden channel`: every command goes through `wardend` (`--wallet`), which holds the key.
#[derive(Debug, Subcommand)]
pub enum ChannelCmd {
	/// Opens a channel to `receiver`, holding `deposit` from the account.
	Open {
		/// Who is paid.
		#[arg(value_parser = parse_account)]
		receiver: AccountId32,
		/// The deposit.
		#[arg(value_parser = parse_amount)]
		deposit: u128,
		/// The receiver's wardend peer API (`http://host:port`): each payment's proof is
		/// delivered there, and a cooperative close asks it to co-sign.
		#[arg(long)]
		peer: Option<String>,
	},
	/// Adds to a channel's deposit (its sender).
	TopUp {
		/// The channel.
		channel: u64,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Pays `amount` more: prints the next balance proof (JSON) to hand to the receiver.
	Pay {
		/// The channel.
		channel: u64,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Takes a balance proof from the sender (its JSON, `@file`, or `-` for stdin).
	Receive {
		/// The proof.
		proof: String,
	},
	/// Starts closing: a receiver with its newest proof, a sender admitting nothing (the
	/// receiver's wardend answers with hers).
	Close {
		/// The channel.
		channel: u64,
	},
	/// Submits the newest proof now (wardend does so by itself when a close needs it).
	Update {
		/// The channel.
		channel: u64,
	},
	/// Settles at once with the newest proof, co-signed by the receiver (its wardend, over
	/// the peer API, when the sender asks).
	CooperativeClose {
		/// The channel.
		channel: u64,
	},
	/// Settles a channel whose challenge window has ended.
	Settle {
		/// The channel.
		channel: u64,
	},
	/// Hands the newest proof of the account's channels (or one) to monitors, which defend
	/// it while the account is away: funds the escrow to cover the largest reward and sends
	/// each monitor a reward authorization naming it (at least its own minimum reward).
	HandOff {
		/// Only this channel.
		#[arg(long)]
		channel: Option<u64>,
		/// Only these monitors (repeat the flag); every registered one otherwise.
		#[arg(long = "monitor", value_parser = parse_account)]
		monitors: Vec<AccountId32>,
		/// The least reward to offer each monitor.
		#[arg(long, value_parser = parse_amount)]
		reward: Option<u128>,
		/// The most reward to offer (wardend's `--max-reward` by default): a monitor asking
		/// more is passed over.
		#[arg(long, value_parser = parse_amount)]
		max_reward: Option<u128>,
	},
	/// The account's open and closing channels.
	List,
	/// A channel: its deposit, newest proof and phase, or how it settled.
	Show {
		/// The channel.
		channel: u64,
	},
}

/// `warden escrow`: a channel's monitoring escrow, through `wardend`.
#[derive(Debug, Subcommand)]
pub enum EscrowCmd {
	/// Adds to the escrow monitors' rewards are paid from.
	Fund {
		/// The channel.
		channel: u64,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
	/// Takes from the escrow (the funder, while no reward is owed).
	Withdraw {
		/// The channel.
		channel: u64,
		/// The amount.
		#[arg(value_parser = parse_amount)]
		amount: u128,
	},
}

/// `warden swap`: SWAP accounting through `wardend`.
#[derive(Debug, Subcommand)]
pub enum SwapCmd {
	/// Starts paying `peer` for its service: opens a channel to it if there is none, and
	/// exchanges thresholds with its wardend.
	Connect {
		/// The provider's account.
		#[arg(value_parser = parse_account)]
		peer: AccountId32,
		/// Its wardend peer API (`http://host:port`).
		url: String,
		/// The deposit of a new channel (wardend's `--swap-deposit` by default).
		#[arg(long, value_parser = parse_amount)]
		deposit: Option<u128>,
		/// The most the peer may ask per unit: a dearer peer is refused.
		#[arg(long, value_parser = parse_amount)]
		max_price: Option<u128>,
	},
	/// Records units of service: provided to `peer` (refused, and the peer disconnected,
	/// past its disconnect threshold), or consumed from it (a cheque is paid at its payment
	/// threshold).
	Record {
		/// The peer.
		#[arg(value_parser = parse_account)]
		peer: AccountId32,
		/// Units provided to the peer.
		#[arg(long, default_value_t = 0)]
		provided: u64,
		/// Units consumed from the peer.
		#[arg(long, default_value_t = 0)]
		consumed: u64,
	},
	/// Every SWAP ledger.
	List,
	/// The ledger with `peer`: units each way, cheques each way, the balance.
	Show {
		/// The peer.
		#[arg(value_parser = parse_account)]
		peer: AccountId32,
	},
}

/// `warden wallet`.
#[derive(Debug, Subcommand)]
pub enum WalletCmd {
	/// The daemon's account, heads, the watcher's lag and channels.
	Status,
	/// Stops the daemon.
	Shutdown,
}
