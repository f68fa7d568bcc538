//! The runtime APIs: how the node and clients read the chain and build blocks.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use warden_primitives::{
	BlueprintId, BlueprintInfo, ChannelId, ChannelInfo, ChannelParams, DelegationInfo, EraIndex,
	EraInfo, EraReport, HeartbeatInfo, JobCallInfo, MonitorInfo, MonitoringParams, OperatorInfo,
	OperatorParams, OperatorStats, PendingSlashInfo, RegistrationInfo, RequestId, RequestInfo,
	RewardParams, ServiceId, ServiceInfo, ServicesParams, SlashingParams, UnbondingChunk,
	ValidatorSetInfo,
};

use super::{
	AccountId, Aura, Balance, Block, BlockNumber, Channels, Executive, Grandpa, Historical,
	InherentDataExt, Monitoring, Nonce, Operators, Rewards, Runtime, RuntimeCall,
	RuntimeGenesisConfig, Services, SessionKeys, Slashing, System, TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Grandpa::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use frame_support::traits::KeyOwnerProofSystem;
			Historical::prove((sp_consensus_grandpa::KEY_TYPE, authority_id))
				.map(|proof| proof.encode())
				.map(sp_consensus_grandpa::OpaqueKeyOwnershipProof::new)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl warden_primitives::OperatorsApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn operator(who: AccountId) -> Option<OperatorInfo<Balance, BlockNumber>> {
			Operators::operator_info(&who)
		}

		fn delegations_of(who: AccountId) -> Vec<DelegationInfo<AccountId, Balance, BlockNumber>> {
			Operators::delegations_of(&who)
		}

		fn operator_params() -> OperatorParams<Balance, BlockNumber> {
			Operators::operator_params()
		}

		fn exit_bond(who: AccountId) -> Option<UnbondingChunk<Balance, BlockNumber>> {
			Operators::exit_bond(&who)
		}
	}

	impl warden_primitives::ServicesApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn blueprints(from: BlueprintId, max: u32) -> Vec<BlueprintInfo<AccountId, Balance, BlockNumber>> {
			Services::blueprints(from, max)
		}

		fn blueprint(id: BlueprintId) -> Option<BlueprintInfo<AccountId, Balance, BlockNumber>> {
			Services::blueprint_info(id)
		}

		fn registrations_of(operator: AccountId) -> Vec<RegistrationInfo<Balance, BlockNumber>> {
			Services::registrations_of(operator)
		}

		fn pending_requests_of(operator: AccountId) -> Vec<RequestInfo<AccountId, Balance, BlockNumber>> {
			Services::pending_requests_of(operator)
		}

		fn request(id: RequestId) -> Option<RequestInfo<AccountId, Balance, BlockNumber>> {
			Services::request_info(id)
		}

		fn service(id: ServiceId) -> Option<ServiceInfo<AccountId, Balance, BlockNumber>> {
			Services::service_info(id)
		}

		fn services_params() -> ServicesParams<BlockNumber> {
			Services::services_params()
		}

		fn open_calls(id: ServiceId) -> Vec<JobCallInfo<AccountId, BlockNumber>> {
			Services::open_calls(id)
		}

		fn services_of(
			operator: AccountId,
			start_after: Option<ServiceId>,
			max: u32,
		) -> Vec<ServiceInfo<AccountId, Balance, BlockNumber>> {
			Services::services_of(&operator, start_after, max)
		}

		fn heartbeat_status(id: ServiceId) -> Vec<HeartbeatInfo<AccountId, BlockNumber>> {
			Services::heartbeat_status(id)
		}

		fn service_stats(id: ServiceId, era: EraIndex) -> Vec<(AccountId, OperatorStats)> {
			Services::service_stats(id, era)
		}

		fn blueprint_stats(
			id: BlueprintId,
			era: EraIndex,
			start_after: Option<AccountId>,
			max: u32,
		) -> Vec<(AccountId, OperatorStats)> {
			Services::blueprint_stats(id, era, start_after, max)
		}
	}

	impl warden_primitives::SlashingApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn pending_slashes_of_operator(
			operator: AccountId,
		) -> Vec<PendingSlashInfo<AccountId, Balance, BlockNumber>> {
			Slashing::pending_slashes_of_operator(&operator)
		}

		fn pending_slashes_of_service(
			service: ServiceId,
		) -> Vec<PendingSlashInfo<AccountId, Balance, BlockNumber>> {
			Slashing::pending_slashes_of_service(service)
		}

		fn slashing_params() -> SlashingParams<Balance, BlockNumber> {
			Slashing::params()
		}

		fn held_back_of(staker: AccountId) -> Vec<(AccountId, Balance)> {
			Slashing::held_back_of(&staker)
		}
	}

	impl warden_primitives::ChannelsApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn channel(id: ChannelId) -> Option<ChannelInfo<AccountId, Balance, BlockNumber>> {
			Channels::channel_info(id)
		}

		fn channels_of(
			who: AccountId,
			start_after: Option<ChannelId>,
			max: u32,
		) -> Vec<ChannelInfo<AccountId, Balance, BlockNumber>> {
			Channels::channels_of(&who, start_after, max)
		}

		fn channel_params() -> ChannelParams<BlockNumber, Balance> {
			Channels::channel_params()
		}
	}

	impl warden_primitives::ValidatorSetApi<Block, AccountId, BlockNumber> for Runtime {
		fn validator_set() -> ValidatorSetInfo<AccountId, BlockNumber> {
			crate::configs::validator_set_info()
		}

		fn has_session_keys(who: AccountId) -> bool {
			use frame_support::traits::Contains;
			crate::configs::SessionKeysRegistered::contains(&who)
		}
	}

	impl warden_primitives::MonitoringApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn first_allowed_block(channel: ChannelId, monitor: AccountId) -> Option<BlockNumber> {
			Monitoring::first_allowed_block(channel, &monitor)
		}

		fn escrow_balance(channel: ChannelId) -> Balance {
			Monitoring::escrow_balance(channel)
		}

		fn monitor(who: AccountId) -> Option<MonitorInfo<Balance, BlockNumber>> {
			Monitoring::monitor(&who)
		}

		fn monitoring_params() -> MonitoringParams<Balance, BlockNumber> {
			Monitoring::monitoring_params()
		}

		fn monitors(
			start_after: Option<AccountId>,
			max: u32,
		) -> Vec<(AccountId, MonitorInfo<Balance, BlockNumber>)> {
			Monitoring::monitors(start_after, max)
		}
	}

	impl warden_primitives::RewardsApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn pending_rewards(who: AccountId) -> Balance {
			Rewards::pending_rewards(who)
		}

		fn last_era_report() -> Option<EraReport<AccountId, Balance>> {
			Rewards::last_era_report()
		}

		fn active_era() -> EraInfo<BlockNumber> {
			Rewards::active_era()
		}

		fn reward_params() -> RewardParams<BlockNumber> {
			Rewards::reward_params()
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use crate::benchmarks::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = crate::AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::{TrackedStorageKey, WhitelistedStorageKeys};
			use crate::benchmarks::*;

			let whitelist: Vec<TrackedStorageKey> =
				crate::AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// try-runtime is an off-chain tool: a failed check should stop it loudly.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}
}
