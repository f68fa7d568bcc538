//! Genesis presets.
//!
//! - `development`: one validator (Alice), 10-block sessions, short durations so every
//!   flow can be watched in minutes, and demo state: Alice and Bob are operators with delegations from
//!   Charlie and Dave, and both are registered for the demo "echo" blueprint (id 0, owned
//!   by Alice, incentivized for rewards).
//! - `local_testnet`: two validators (Alice, Bob; at least two), one-hour sessions,
//!   production-like durations, no demo state.
//!
//! Validators are set through the validator set pallet (`validatorSet`) and the session
//! pallet (`session.keys`: account, validator id, Aura and GRANDPA keys); the Aura and
//! GRANDPA pallets take their authorities from the session pallet.
//!
//! Both prefund the well-known dev accounts (Alice … Ferdie and their `//stash` accounts).

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use warden_primitives::{
	BlueprintMetadataInfo, BlueprintPolicy, ChannelParams, JobInfo, MonitoringParams,
	OperatorParams, PreferencesInfo, Reporters, ReportingPolicy, RewardParams, ServicesParams,
	SlashingParams,
};

use crate::{
	AccountId, Balance, BalancesConfig, BlockNumber, ChannelsConfig, MonitoringConfig,
	OperatorsConfig, RewardsConfig, Runtime, RuntimeGenesisConfig, ServicesConfig, SessionConfig,
	SessionKeys, SlashingConfig, SudoConfig, ValidatorSetConfig, DAYS, HOURS, UNIT,
};

/// Blocks per session on the development chain: ten blocks, so validator-set changes
/// can be watched (a change is active two boundaries after it is made).
pub const DEV_SESSION_LENGTH: BlockNumber = 10;

/// What each prefunded dev account starts with.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The accounts both presets prefund.
pub fn endowed_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

/// A genesis validator: its account (also its validator id) and session keys.
pub struct GenesisValidator {
	/// The validator's account.
	pub account: AccountId,
	/// Its Aura and GRANDPA keys.
	pub keys: SessionKeys,
}

/// The well-known dev validator `key`: account, Aura key (sr25519) and GRANDPA key
/// (ed25519) all derived from the same seed (`//Alice`, …).
pub fn dev_validator(key: Sr25519Keyring, grandpa: Ed25519Keyring) -> GenesisValidator {
	let aura: AuraId = key.public().into();
	let grandpa: GrandpaId = grandpa.public().into();
	GenesisValidator { account: key.to_account_id(), keys: SessionKeys { aura, grandpa } }
}

/// The validator set's genesis: who validates, the fewest allowed, blocks per session.
pub struct ValidatorParams {
	/// The first validators.
	pub validators: Vec<GenesisValidator>,
	/// The fewest validators governance may leave.
	pub min_validators: u32,
	/// Blocks per session; fixed for the chain's life.
	pub session_length: BlockNumber,
}

/// The runtime parameters of Warden's pallets, per preset: each pallet's genesis
/// `params`.
pub struct WardenParams {
	/// Operators: delays and minimums.
	pub operators: OperatorParams<Balance, BlockNumber>,
	/// Rewards: blocks per era, emission, points per heartbeat.
	pub rewards: RewardParams<BlockNumber>,
	/// Services: request expiry.
	pub services: ServicesParams<BlockNumber>,
	/// Slashing: defer window, reporter reward, report deposit.
	pub slashing: SlashingParams<Balance, BlockNumber>,
	/// Channels: challenge period and smallest deposit.
	pub channels: ChannelParams<BlockNumber, Balance>,
	/// Monitoring: registration deposit, period and unregister delay.
	pub monitoring: MonitoringParams<Balance, BlockNumber>,
}

/// Short durations, counted in tens of blocks, so every flow can be watched in minutes.
pub fn development_params() -> WardenParams {
	WardenParams {
		operators: OperatorParams {
			leave_delay: 20,
			bond_less_delay: 30,
			unbonding_delay: 30,
			min_operator_bond: 1_000 * UNIT,
			min_delegation: 10 * UNIT,
		},
		rewards: RewardParams { era_length: 20, emission_per_era: 100 * UNIT },
		services: ServicesParams { request_expiry: 20, min_heartbeat_interval: 10 },
		slashing: SlashingParams {
			defer_duration: 20,
			report_window: 5,
			max_offence_age: 25,
			reporter_reward: sp_runtime::Perbill::from_percent(10),
			min_fraction: sp_runtime::Perbill::from_parts(1_000_000),
			max_fraction: sp_runtime::Perbill::from_percent(50),
			report_deposit: UNIT,
			deposit_per_slashed: sp_runtime::Perbill::from_percent(1),
		},
		channels: ChannelParams {
			challenge_period: 20,
			min_deposit: crate::EXISTENTIAL_DEPOSIT * 10,
		},
		monitoring: MonitoringParams {
			min_monitor_deposit: 10 * UNIT,
			registration_period: 1_000,
			unregister_delay: 20,
		},
	}
}

/// Production-like durations, counted in days.
pub fn production_params() -> WardenParams {
	WardenParams {
		operators: OperatorParams {
			leave_delay: 7 * DAYS,
			bond_less_delay: 14 * DAYS,
			unbonding_delay: 14 * DAYS,
			min_operator_bond: 10_000 * UNIT,
			min_delegation: 100 * UNIT,
		},
		rewards: RewardParams { era_length: DAYS, emission_per_era: 0 },
		services: ServicesParams { request_expiry: 1_000, min_heartbeat_interval: 100 },
		slashing: SlashingParams {
			defer_duration: 7 * DAYS,
			report_window: 2 * DAYS,
			max_offence_age: 7 * DAYS,
			reporter_reward: sp_runtime::Perbill::from_percent(10),
			min_fraction: sp_runtime::Perbill::from_parts(1_000_000),
			max_fraction: sp_runtime::Perbill::from_percent(50),
			report_deposit: 100 * UNIT,
			deposit_per_slashed: sp_runtime::Perbill::from_percent(1),
		},
		channels: ChannelParams { challenge_period: DAYS, min_deposit: UNIT },
		monitoring: MonitoringParams {
			min_monitor_deposit: 1_000 * UNIT,
			registration_period: 30 * DAYS,
			unregister_delay: 7 * DAYS,
		},
	}
}

/// Demo state of the development chain: Alice and Bob are operators, Charlie delegates to
/// Alice and Dave to Bob.
pub struct DemoState {
	/// `(operator, bond)`.
	pub operators: Vec<(AccountId, Balance)>,
	/// `(delegator, operator, amount)`.
	pub delegations: Vec<(AccountId, AccountId, Balance)>,
	/// `(blueprint, weight)` of blueprints whose work earns rewards.
	pub incentivized: Vec<(u64, u32)>,
	/// Blueprints as `(owner, metadata, jobs, policy)`.
	pub blueprints: Vec<pallet_warden_services::GenesisBlueprintOf<Runtime>>,
	/// Registrations as `(operator, blueprint, preferences)`.
	pub registrations: Vec<(AccountId, u64, PreferencesInfo<Balance>)>,
}

/// The demo blueprint of the development chain: an "echo" service with one job.
fn demo_blueprint(
	owner: AccountId,
) -> (
	AccountId,
	BlueprintMetadataInfo,
	Vec<JobInfo<BlockNumber>>,
	BlueprintPolicy<Balance, BlockNumber>,
) {
	(
		owner,
		BlueprintMetadataInfo {
			name: b"echo".to_vec(),
			description: b"Demo service: operators answer each call with its arguments.".to_vec(),
			author: b"Warden".to_vec(),
			code_url: b"https://example.com/warden/echo".to_vec(),
		},
		vec![JobInfo { name: b"echo".to_vec(), max_args_len: 256, result_deadline: 10 }],
		BlueprintPolicy {
			min_operator_stake: 1_000 * UNIT,
			reporting: Some(ReportingPolicy {
				reporters: Reporters {
					service_owner: true,
					blueprint_owner: true,
					service_operators: true,
				},
				max_job_slash: sp_runtime::Perbill::from_percent(10),
				max_qos_slash: sp_runtime::Perbill::from_percent(1),
			}),
			heartbeat_interval: 10,
			missed_heartbeat_threshold: 3,
		},
	)
}

fn demo_preferences(seed: u8) -> PreferencesInfo<Balance> {
	PreferencesInfo {
		operator_key: [seed; 32],
		rpc_address: b"ws://127.0.0.1:9955".to_vec(),
		max_instances: 4,
		price_per_block: 0,
	}
}

fn demo_state() -> DemoState {
	let [alice, bob, charlie, dave] =
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave]
			.map(|k| k.to_account_id());
	DemoState {
		operators: vec![(alice.clone(), 10_000 * UNIT), (bob.clone(), 10_000 * UNIT)],
		delegations: vec![
			(charlie, alice.clone(), 1_000 * UNIT),
			(dave, bob.clone(), 1_000 * UNIT),
		],
		incentivized: vec![(0, 1)],
		blueprints: vec![demo_blueprint(alice.clone())],
		registrations: vec![(alice, 0, demo_preferences(1)), (bob, 0, demo_preferences(2))],
	}
}

fn base_genesis(
	validators: ValidatorParams,
	root: AccountId,
	params: WardenParams,
	demo: DemoState,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts()
				.into_iter()
				.map(|a| (a, ENDOWMENT))
				.chain([(crate::configs::TreasuryAccount::get(), UNIT)])
				.collect::<Vec<_>>(),
		},
		validator_set: ValidatorSetConfig {
			validators: validators.validators.iter().map(|v| v.account.clone()).collect::<Vec<_>>(),
			min_validators: validators.min_validators,
			session_length: validators.session_length,
		},
		session: SessionConfig {
			keys: validators
				.validators
				.into_iter()
				.map(|v| (v.account.clone(), v.account, v.keys))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		slashing_committee: pallet_collective::GenesisConfig {
			members: vec![
				Sr25519Keyring::Alice.to_account_id(),
				Sr25519Keyring::Bob.to_account_id(),
				Sr25519Keyring::Charlie.to_account_id(),
			],
		},
		operators: OperatorsConfig {
			params: params.operators,
			operators: demo.operators,
			delegations: demo.delegations,
		},
		services: ServicesConfig {
			params: params.services,
			blueprints: demo.blueprints,
			registrations: demo.registrations,
		},
		slashing: SlashingConfig { params: params.slashing },
		channels: ChannelsConfig { params: params.channels },
		monitoring: MonitoringConfig { params: params.monitoring },
		rewards: RewardsConfig { params: params.rewards, incentivized: demo.incentivized },
	})
}

/// The `development` preset.
pub fn development_genesis() -> Value {
	base_genesis(
		ValidatorParams {
			validators: vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
			min_validators: 1,
			session_length: DEV_SESSION_LENGTH,
		},
		Sr25519Keyring::Alice.to_account_id(),
		development_params(),
		demo_state(),
	)
}

/// The `local_testnet` preset.
pub fn local_testnet_genesis() -> Value {
	base_genesis(
		ValidatorParams {
			validators: vec![
				dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
				dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			],
			min_validators: 2,
			session_length: HOURS,
		},
		Sr25519Keyring::Alice.to_account_id(),
		production_params(),
		DemoState {
			operators: vec![],
			delegations: vec![],
			incentivized: vec![],
			blueprints: vec![],
			registrations: vec![],
		},
	)
}

/// The JSON patch of preset `id`, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|s| s.into_bytes())
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
