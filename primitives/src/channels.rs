//! The channels boundary: balance proofs, reward authorizations, updates submitted on a
//! receiver's behalf, and the settlement notice the monitoring pallet waits for.
//!
//! Every off-chain message is a SCALE-encoded payload signed with the chain's signature
//! scheme (`MultiSignature`). Each payload starts with a domain tag and the chain's genesis
//! hash and names its channel, so a signature made for one purpose, chain or channel is
//! worthless for any other.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Hash as HashT, IdentifyAccount, Verify},
	DispatchError, DispatchResult,
};

use crate::ChannelId;

/// A balance proof of a unidirectional payment channel: the sender's promise that
/// `transferred` (cumulative) belongs to the receiver. Signed off-chain by the sender
/// over [`BalanceProofPayload`] with [`BALANCE_PROOF_TAG`].
///
/// Make one with [`BalanceProofPayload::new`], sign its [`signing_bytes`], then
/// [`BalanceProofPayload::into_proof`].
///
/// [`signing_bytes`]: BalanceProofPayload::signing_bytes
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct BalanceProof<Balance, Signature> {
	/// The channel.
	pub channel: ChannelId,
	/// Strictly increasing with every new proof of the channel; the first proof has nonce 1.
	pub nonce: u64,
	/// Everything transferred to the receiver so far.
	pub transferred: Balance,
	/// The sender's signature over [`BalanceProofPayload`].
	pub signature: Signature,
}

impl<Balance: Clone, Signature> BalanceProof<Balance, Signature> {
	/// What the sender signed for this proof on the chain with `genesis_hash`.
	pub fn payload<Hash>(&self, genesis_hash: Hash) -> BalanceProofPayload<Hash, Balance> {
		BalanceProofPayload::new(genesis_hash, self.channel, self.nonce, self.transferred.clone())
	}

	/// What the receiver signs to co-sign this proof for a cooperative close on the chain
	/// with `genesis_hash`.
	pub fn cooperative_close_payload<Hash>(
		&self,
		genesis_hash: Hash,
	) -> BalanceProofPayload<Hash, Balance> {
		BalanceProofPayload::cooperative_close(
			genesis_hash,
			self.channel,
			self.nonce,
			self.transferred.clone(),
		)
	}
}

impl<Balance: Clone + Encode, Signature: Verify> BalanceProof<Balance, Signature>
where
	Signature::Signer: IdentifyAccount,
{
	/// Whether `sender` signed this proof for the chain with `genesis_hash`: the check the
	/// channels pallet makes, and a monitor makes before it holds a proof.
	pub fn is_signed_by<Hash: Encode>(
		&self,
		genesis_hash: Hash,
		sender: &<Signature::Signer as IdentifyAccount>::AccountId,
	) -> bool {
		let message = self.payload(genesis_hash).signing_bytes();
		self.signature.verify(&message[..], sender)
	}
}

/// Why a reward authorization doesn't go with a balance proof, or not for a monitor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairMismatch {
	/// It is for another channel.
	Channel,
	/// It is for another nonce.
	Nonce,
	/// It is for another proof of that nonce: its `proof_signature_hash` differs.
	Proof,
	/// It names another monitor.
	NotNamedMonitor,
}

/// Domain tag of balance proofs.
pub const BALANCE_PROOF_TAG: [u8; 16] = *b"warden/bal-proof";
/// Domain tag of the receiver's cooperative-close signature.
pub const COOPERATIVE_CLOSE_TAG: [u8; 16] = *b"warden/coop-clos";
/// Domain tag of monitoring reward authorizations.
pub const REWARD_AUTHORIZATION_TAG: [u8; 16] = *b"warden/mon-rewrd";
/// Domain tag of the hash that places a monitor's slot in a challenge window.
pub const MONITOR_SLOT_TAG: [u8; 16] = *b"warden/mon-slot_";
/// Domain tag of the messages two channel parties' daemons exchange ([`PeerMessagePayload`]).
pub const PEER_MESSAGE_TAG: [u8; 16] = *b"warden/peer-msg_";

/// What a balance proof's signature signs: the SCALE encoding of these fields, in order,
/// as [`Self::signing_bytes`] returns it.
///
/// The sender signs it with [`BALANCE_PROOF_TAG`] ([`Self::new`]). For a cooperative close
/// the receiver signs the same fields with [`COOPERATIVE_CLOSE_TAG`]
/// ([`Self::cooperative_close`]).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BalanceProofPayload<Hash, Balance> {
	/// [`BALANCE_PROOF_TAG`], or [`COOPERATIVE_CLOSE_TAG`] for the receiver's co-signature.
	pub tag: [u8; 16],
	/// The genesis hash of the chain, so proofs don't replay across chains.
	pub genesis_hash: Hash,
	/// The channel, so proofs don't replay across channels.
	pub channel: ChannelId,
	/// The proof's nonce.
	pub nonce: u64,
	/// Cumulative amount transferred.
	pub transferred: Balance,
}

impl<Hash, Balance> BalanceProofPayload<Hash, Balance> {
	/// The sender's balance proof of `transferred` at `nonce` in `channel`, on the chain
	/// with `genesis_hash`.
	pub fn new(genesis_hash: Hash, channel: ChannelId, nonce: u64, transferred: Balance) -> Self {
		Self { tag: BALANCE_PROOF_TAG, genesis_hash, channel, nonce, transferred }
	}

	/// The receiver's co-signature of the same proof, which settles the channel at once.
	pub fn cooperative_close(
		genesis_hash: Hash,
		channel: ChannelId,
		nonce: u64,
		transferred: Balance,
	) -> Self {
		Self { tag: COOPERATIVE_CLOSE_TAG, genesis_hash, channel, nonce, transferred }
	}

	/// The exact bytes to sign and to verify.
	pub fn signing_bytes(&self) -> Vec<u8>
	where
		Self: Encode,
	{
		self.encode()
	}

	/// The balance proof carrying `signature`, the sender's signature of
	/// [`Self::signing_bytes`].
	pub fn into_proof<Signature>(self, signature: Signature) -> BalanceProof<Balance, Signature> {
		BalanceProof {
			channel: self.channel,
			nonce: self.nonce,
			transferred: self.transferred,
			signature,
		}
	}
}

/// A receiver's promise to pay `reward` from the channel's monitoring escrow to the monitor
/// that gets exactly the balance proof it names accepted on chain: any registered monitor,
/// or only `monitor` if it names one.
///
/// `channel`, `nonce` and `proof_signature_hash` must match the proof it comes with;
/// `signature` is the receiver's, over [`RewardAuthorizationPayload`]. Make one with
/// [`RewardAuthorizationPayload::for_proof`], sign its
/// [`signing_bytes`](RewardAuthorizationPayload::signing_bytes), then
/// [`RewardAuthorizationPayload::into_authorization`].
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct RewardAuthorization<AccountId, Balance, Hash, Signature> {
	/// The channel.
	pub channel: ChannelId,
	/// The nonce of the balance proof the reward is for.
	pub nonce: u64,
	/// The reward, paid from the channel's monitoring escrow.
	pub reward: Balance,
	/// The chain's hash (Blake2-256 on Warden) of the SCALE-encoded signature of that
	/// balance proof.
	pub proof_signature_hash: Hash,
	/// The only monitor that may use it, if the receiver names one. Then no other monitor
	/// can copy a pending update and take the reward.
	pub monitor: Option<AccountId>,
	/// The receiver's signature over [`RewardAuthorizationPayload`].
	pub signature: Signature,
}

impl<AccountId: Clone, Balance: Clone, Hash: Clone, Signature>
	RewardAuthorization<AccountId, Balance, Hash, Signature>
{
	/// What the receiver signed for this authorization on the chain with `genesis_hash`.
	pub fn payload(
		&self,
		genesis_hash: Hash,
	) -> RewardAuthorizationPayload<AccountId, Hash, Balance> {
		RewardAuthorizationPayload::new(
			genesis_hash,
			self.channel,
			self.nonce,
			self.reward.clone(),
			self.proof_signature_hash.clone(),
			self.monitor.clone(),
		)
	}
}

impl<AccountId, Balance, Hash, Signature> RewardAuthorization<AccountId, Balance, Hash, Signature>
where
	AccountId: PartialEq,
	Hash: PartialEq,
	Signature: Encode,
{
	/// Checks that this authorization is for exactly `proof` (its channel, its nonce, the
	/// `Hashing` hash of its signature) and that `monitor` may use it: the rule the
	/// monitoring pallet applies to `monitor_update`, and a monitor applies before it holds
	/// a proof.
	pub fn check_pair<Hashing: HashT<Output = Hash>, ProofBalance>(
		&self,
		proof: &BalanceProof<ProofBalance, Signature>,
		monitor: &AccountId,
	) -> Result<(), PairMismatch> {
		if self.monitor.as_ref().is_some_and(|named| named != monitor) {
			return Err(PairMismatch::NotNamedMonitor);
		}
		if self.channel != proof.channel {
			return Err(PairMismatch::Channel);
		}
		if self.nonce != proof.nonce {
			return Err(PairMismatch::Nonce);
		}
		if self.proof_signature_hash != Hashing::hash_of(&proof.signature) {
			return Err(PairMismatch::Proof);
		}
		Ok(())
	}
}

impl<AccountId, Balance, Hash, Signature> RewardAuthorization<AccountId, Balance, Hash, Signature>
where
	AccountId: Clone + Encode,
	Balance: Clone + Encode,
	Hash: Clone + Encode,
	Signature: Verify,
	Signature::Signer: IdentifyAccount<AccountId = AccountId>,
{
	/// Whether `receiver` signed this authorization for the chain with `genesis_hash`.
	pub fn is_signed_by(&self, genesis_hash: Hash, receiver: &AccountId) -> bool {
		let message = self.payload(genesis_hash).signing_bytes();
		self.signature.verify(&message[..], receiver)
	}
}

/// What a reward authorization's signature signs: the SCALE encoding of these fields, in
/// order, as [`Self::signing_bytes`] returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RewardAuthorizationPayload<AccountId, Hash, Balance> {
	/// [`REWARD_AUTHORIZATION_TAG`].
	pub tag: [u8; 16],
	/// The genesis hash of the chain.
	pub genesis_hash: Hash,
	/// The channel.
	pub channel: ChannelId,
	/// The nonce of the balance proof this reward is for.
	pub nonce: u64,
	/// The reward for submitting that proof.
	pub reward: Balance,
	/// The chain's hash (Blake2-256 on Warden) of the SCALE-encoded signature of that
	/// balance proof, binding the reward to exactly that proof.
	pub proof_signature_hash: Hash,
	/// The only monitor that may use the authorization, if any (SCALE `Option`: `0x00`, or
	/// `0x01` followed by the account).
	pub monitor: Option<AccountId>,
}

impl<AccountId, Hash, Balance> RewardAuthorizationPayload<AccountId, Hash, Balance> {
	/// The receiver's authorization of `reward` for the proof of `nonce` in `channel` whose
	/// signature hashes to `proof_signature_hash`, on the chain with `genesis_hash`, for
	/// any monitor or only `monitor`.
	pub fn new(
		genesis_hash: Hash,
		channel: ChannelId,
		nonce: u64,
		reward: Balance,
		proof_signature_hash: Hash,
		monitor: Option<AccountId>,
	) -> Self {
		Self {
			tag: REWARD_AUTHORIZATION_TAG,
			genesis_hash,
			channel,
			nonce,
			reward,
			proof_signature_hash,
			monitor,
		}
	}

	/// The authorization of `reward` for exactly `proof`, for any monitor or only
	/// `monitor`, hashing the proof's signature with `Hashing` (the chain's hasher:
	/// Blake2-256 on Warden).
	pub fn for_proof<Hashing, Signature>(
		genesis_hash: Hash,
		proof: &BalanceProof<Balance, Signature>,
		reward: Balance,
		monitor: Option<AccountId>,
	) -> Self
	where
		Hashing: HashT<Output = Hash>,
		Signature: Encode,
	{
		Self::new(
			genesis_hash,
			proof.channel,
			proof.nonce,
			reward,
			Hashing::hash_of(&proof.signature),
			monitor,
		)
	}

	/// The exact bytes to sign and to verify.
	pub fn signing_bytes(&self) -> Vec<u8>
	where
		Self: Encode,
	{
		self.encode()
	}

	/// The authorization carrying `signature`, the receiver's signature of
	/// [`Self::signing_bytes`].
	pub fn into_authorization<Signature>(
		self,
		signature: Signature,
	) -> RewardAuthorization<AccountId, Balance, Hash, Signature> {
		RewardAuthorization {
			channel: self.channel,
			nonce: self.nonce,
			reward: self.reward,
			proof_signature_hash: self.proof_signature_hash,
			monitor: self.monitor,
			signature,
		}
	}
}

/// The channels parameters governance may change.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct ChannelParams<BlockNumber, Balance> {
	/// How many blocks a close stays open to updates before the channel can settle.
	/// Applies to closes started after it is set. Non-zero.
	pub challenge_period: BlockNumber,
	/// The smallest deposit a channel may be opened with. Non-zero.
	pub min_deposit: Balance,
}

/// The monitoring parameters governance may change.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct MonitoringParams<Balance, BlockNumber> {
	/// The smallest registration deposit: what makes running many monitors costly.
	/// Non-zero.
	pub min_monitor_deposit: Balance,
	/// How many blocks a registration or renewal is valid for. Non-zero.
	pub registration_period: BlockNumber,
	/// How many blocks after unregistering the deposit stays held. Non-zero.
	pub unregister_delay: BlockNumber,
}

/// Where a channel is in its life. A settled channel is removed from storage, so there is
/// no "settled" phase: [`ChannelUpdate::phase`] then returns `None`, and the monitoring
/// pallet has learnt the outcome through [`OnChannelSettled`].
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ChannelPhase<BlockNumber> {
	/// Open: payments flow off-chain; no close started.
	Open,
	/// Closing: updates are accepted from `closed_at` until before `settle_from`.
	Closing {
		/// The block the close started.
		closed_at: BlockNumber,
		/// The first block `settle` is allowed; the challenge window ends before it.
		settle_from: BlockNumber,
	},
}

/// Submits channel updates on a receiver's behalf and reads closure state.
/// Implemented by the channels pallet; used by the monitoring pallet.
pub trait ChannelUpdate<AccountId, Balance, BlockNumber, Proof> {
	/// The channel's receiver, the only party a monitor acts for. `None` if the channel
	/// doesn't exist (never opened, or settled).
	fn receiver(channel: ChannelId) -> Option<AccountId>;
	/// The channel's phase, or `None` if it doesn't exist (never opened, or settled).
	fn phase(channel: ChannelId) -> Option<ChannelPhase<BlockNumber>>;
	/// The nonce of the newest balance proof submitted for the receiver (0 if none).
	fn current_nonce(channel: ChannelId) -> Option<u64>;
	/// What the receiver gets if the channel settles now: the sender's admission at close,
	/// or the newest proof submitted for her.
	fn transferred(channel: ChannelId) -> Option<Balance>;
	/// Submits `proof` for the receiver, with every check of the receiver's own update.
	fn update_for_receiver(channel: ChannelId, proof: Proof) -> DispatchResult;
}

impl<AccountId, Balance, BlockNumber, Proof> ChannelUpdate<AccountId, Balance, BlockNumber, Proof>
	for ()
{
	fn receiver(_: ChannelId) -> Option<AccountId> {
		None
	}
	fn transferred(_: ChannelId) -> Option<Balance> {
		None
	}
	fn phase(_: ChannelId) -> Option<ChannelPhase<BlockNumber>> {
		None
	}
	fn current_nonce(_: ChannelId) -> Option<u64> {
		None
	}
	fn update_for_receiver(_: ChannelId, _: Proof) -> DispatchResult {
		Err(DispatchError::Other("no channels"))
	}
}

/// Told once when a channel settles, just before its storage is removed.
/// Implemented by the monitoring pallet; called by the channels pallet.
pub trait OnChannelSettled<Balance> {
	/// `channel` settled; `final_nonce` is the nonce of the balance proof it settled with
	/// (0 if none was submitted for the receiver), `final_transferred` what that proof pays
	/// the receiver.
	fn on_channel_settled(channel: ChannelId, final_nonce: u64, final_transferred: Balance);
	/// The most weight [`Self::on_channel_settled`] uses. The calls and hooks that settle
	/// a channel charge it.
	fn on_channel_settled_weight() -> Weight;
}

impl<Balance> OnChannelSettled<Balance> for () {
	fn on_channel_settled(_: ChannelId, _: u64, _: Balance) {}
	fn on_channel_settled_weight() -> Weight {
		Weight::zero()
	}
}

/// Puts channels into the states the monitoring pallet's benchmarks need. Implemented by
/// the channels pallet when built with `runtime-benchmarks`; the runtime wires it into the
/// monitoring pallet's `BenchmarkHelper` only in benchmark builds.
pub trait ChannelBenchmarkHelper<AccountId, Balance> {
	/// Opens a channel; `sender` must already hold `deposit` plus the existential deposit.
	fn open_channel(
		sender: &AccountId,
		receiver: &AccountId,
		deposit: Balance,
	) -> Result<ChannelId, DispatchError>;
	/// Starts the close of `channel` by its sender, without a proof.
	fn start_close(channel: ChannelId) -> DispatchResult;
	/// Settles `channel` now, wherever it is in its challenge window.
	fn settle_now(channel: ChannelId) -> DispatchResult;
}

impl<AccountId, Balance> ChannelBenchmarkHelper<AccountId, Balance> for () {
	fn open_channel(_: &AccountId, _: &AccountId, _: Balance) -> Result<ChannelId, DispatchError> {
		Err(DispatchError::Other("no channels"))
	}
	fn start_close(_: ChannelId) -> DispatchResult {
		Err(DispatchError::Other("no channels"))
	}
	fn settle_now(_: ChannelId) -> DispatchResult {
		Err(DispatchError::Other("no channels"))
	}
}

/// A registered monitor, as returned by [`MonitoringApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MonitorInfo<Balance, BlockNumber> {
	/// Its registration deposit, held.
	pub deposit: Balance,
	/// The last block its registration is valid in.
	pub valid_until: BlockNumber,
	/// Set once it unregistered: the first block its deposit can be released in. It takes
	/// no new work meanwhile.
	pub release_at: Option<BlockNumber>,
	/// Where its public API listens (a URL), for channel parties to hand it their proofs.
	pub endpoint: Vec<u8>,
}

/// The most monitors one [`MonitoringApi::monitors`] query returns.
pub const MAX_MONITORS_PER_QUERY: u32 = 256;

/// A channel not yet settled, as returned by [`ChannelsApi`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ChannelInfo<AccountId, Balance, BlockNumber> {
	/// Its id.
	pub id: ChannelId,
	/// Who pays, and whose deposit is held.
	pub sender: AccountId,
	/// Who is paid.
	pub receiver: AccountId,
	/// What the sender holds for it.
	pub deposit: Balance,
	/// The nonce of the newest balance proof submitted for the receiver; 0 if none.
	pub nonce: u64,
	/// What the receiver gets if it settles now.
	pub transferred: Balance,
	/// Open, or closing with its challenge window.
	pub phase: ChannelPhase<BlockNumber>,
}

/// The most channels one [`ChannelsApi::channels_of`] query returns.
pub const MAX_CHANNELS_PER_QUERY: u32 = 256;

sp_api::decl_runtime_apis! {
	/// Payment channels, for their parties and their tools: clients never read the pallet's
	/// storage by hand.
	pub trait ChannelsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The channel `id`, if it exists (opened and not settled).
		fn channel(id: ChannelId) -> Option<ChannelInfo<AccountId, Balance, BlockNumber>>;
		/// The channels `who` sends or receives on, in storage order, after the channel
		/// `start_after` if given: at most `min(max, MAX_CHANNELS_PER_QUERY)`.
		fn channels_of(
			who: AccountId,
			start_after: Option<ChannelId>,
			max: u32,
		) -> Vec<ChannelInfo<AccountId, Balance, BlockNumber>>;
		/// The channels parameters in force.
		fn channel_params() -> ChannelParams<BlockNumber, Balance>;
	}

	/// What a monitor needs to know to act for a channel at the right time, and what a
	/// channel party needs to find monitors.
	pub trait MonitoringApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The first block at which `monitor` may submit an update for `channel`: its slot
		/// in the channel's challenge window. `None` if the channel isn't closing.
		fn first_allowed_block(channel: ChannelId, monitor: AccountId) -> Option<BlockNumber>;
		/// What the channel's monitoring escrow holds (zero if it has none). A reward
		/// authorization above it is refused.
		fn escrow_balance(channel: ChannelId) -> Balance;
		/// The registered monitor `who`, if it is one.
		fn monitor(who: AccountId) -> Option<MonitorInfo<Balance, BlockNumber>>;
		/// The monitoring parameters in force.
		fn monitoring_params() -> MonitoringParams<Balance, BlockNumber>;
		/// Registered monitors, in storage order, after `start_after` if given: at most
		/// `min(max, MAX_MONITORS_PER_QUERY)` of them.
		fn monitors(
			start_after: Option<AccountId>,
			max: u32,
		) -> Vec<(AccountId, MonitorInfo<Balance, BlockNumber>)>;
	}
}

/// What a message between two channel parties' daemons is signed over: the SCALE encoding
/// of these fields, in order, as [`Self::signing_bytes`] returns it.
///
/// Proof delivery, the co-signature of a cooperative close and the SWAP messages all travel
/// in it. `from` signs; `to` is the only party that takes it, so it can't be relayed to
/// another; `sequence` strictly increases over everything `from` sends, so a recipient
/// refuses a replay by keeping the highest it took; `body` is the message itself (UTF-8
/// JSON for `wardend`), as exact bytes, so nothing is re-encoded before a check.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PeerMessagePayload<AccountId, Hash> {
	/// [`PEER_MESSAGE_TAG`].
	pub tag: [u8; 16],
	/// The genesis hash of the chain, so messages don't replay across chains.
	pub genesis_hash: Hash,
	/// The signer.
	pub from: AccountId,
	/// The recipient.
	pub to: AccountId,
	/// Above every earlier message from `from`.
	pub sequence: u64,
	/// The message (SCALE `Vec<u8>`: a compact length, then the bytes).
	pub body: Vec<u8>,
}

impl<AccountId, Hash> PeerMessagePayload<AccountId, Hash> {
	/// The message `body` from `from` to `to`, numbered `sequence`, on the chain with
	/// `genesis_hash`.
	pub fn new(
		genesis_hash: Hash,
		from: AccountId,
		to: AccountId,
		sequence: u64,
		body: Vec<u8>,
	) -> Self {
		Self { tag: PEER_MESSAGE_TAG, genesis_hash, from, to, sequence, body }
	}

	/// The exact bytes to sign and to verify.
	pub fn signing_bytes(&self) -> Vec<u8>
	where
		Self: Encode,
	{
		self.encode()
	}

	/// Whether `from` signed this message: `signature` over [`Self::signing_bytes`].
	pub fn is_signed<Signature>(&self, signature: &Signature) -> bool
	where
		Self: Encode,
		Signature: Verify,
		Signature::Signer: IdentifyAccount<AccountId = AccountId>,
	{
		signature.verify(&self.signing_bytes()[..], &self.from)
	}
}

/// The signature schemes a signed payload may use, in the order the pallets' per-scheme
/// weights list them: checking a signature costs what its scheme's benchmark measured.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SignatureScheme {
	/// Schnorrkel on Ristretto.
	Sr25519,
	/// Ed25519.
	Ed25519,
	/// ECDSA on secp256k1, with public-key recovery.
	Ecdsa,
}

/// A signature that tells its scheme, so a call is charged for the signatures it carries
/// rather than for the slowest scheme.
pub trait SchemeOf {
	/// This signature's scheme.
	fn scheme(&self) -> SignatureScheme;
}

impl SchemeOf for sp_runtime::MultiSignature {
	fn scheme(&self) -> SignatureScheme {
		match self {
			Self::Sr25519(_) => SignatureScheme::Sr25519,
			Self::Ed25519(_) => SignatureScheme::Ed25519,
			// Both recover a secp256k1 key.
			Self::Ecdsa(_) | Self::Eth(_) => SignatureScheme::Ecdsa,
		}
	}
}

/// The weight of a call that checks `signatures`, given its benchmark for each scheme
/// (`[sr25519, ed25519, ecdsa]`, each checking every signature in that scheme): the
/// benchmark of the slowest scheme among them, or the cheapest benchmark when it carries
/// none.
pub fn signature_check_weight<'a, S: SchemeOf + 'a>(
	per_scheme: [Weight; 3],
	signatures: impl IntoIterator<Item = &'a S>,
) -> Weight {
	let [sr25519, ed25519, ecdsa] = per_scheme;
	let of = |signature: &S| match signature.scheme() {
		SignatureScheme::Sr25519 => sr25519,
		SignatureScheme::Ed25519 => ed25519,
		SignatureScheme::Ecdsa => ecdsa,
	};
	let mut signatures = signatures.into_iter().peekable();
	if signatures.peek().is_none() {
		return sr25519.min(ed25519).min(ecdsa);
	}
	signatures.fold(Weight::zero(), |slowest, signature| slowest.max(of(signature)))
}
