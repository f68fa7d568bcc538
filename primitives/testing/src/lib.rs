//! # warden-testing
//!
//! The few helpers every Warden pallet's mock runtime and benchmarks would otherwise write
//! again: the hook budget mocks give their per-block work, the externalities the
//! benchmark test suites start from, the block benchmarked code runs in, and keys of every
//! signature scheme for benchmarks that check signatures.
//!
//! A pallet depends on it as a dev-dependency for its mock, and optionally (under
//! `runtime-benchmarks`) for its benchmarks; the runtime never does.

#![cfg_attr(not(feature = "std"), no_std)]

use frame_support::weights::Weight;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Zero};

/// What a mock lets a pallet's `on_initialize` spend: a tenth of a 2-second block's
/// ref time, as the runtime gives the services and slashing hooks, with no proof-size
/// limit.
pub const HOOK_BUDGET: Weight = Weight::from_parts(200_000_000_000, u64::MAX);

/// The block the benchmarked code of a benchmark runs in.
///
/// The benchmarking CLI runs a benchmark's setup at genesis (block 0) and moves to block 1
/// just before the measured code, so a setup that keys storage by the current block (a
/// queue entry due `now + delay`, say) moves there first and keys it by this block.
pub fn block_of_measured_code<T: frame_system::Config>() -> BlockNumberFor<T> {
	if frame_system::Pallet::<T>::block_number().is_zero() {
		frame_system::Pallet::<T>::set_block_number(One::one());
	}
	frame_system::Pallet::<T>::block_number()
}

/// `ext` moved back to block 0, where the benchmarking CLI runs a benchmark's setup: the
/// externalities a pallet's benchmark test suite starts from, so a benchmark that only
/// works at block 1 fails in `cargo test` rather than on the real runtime.
///
/// The state is committed, as the CLI's genesis is: the test suite wipes what a benchmark
/// wrote after each run, which must not take the genesis with it.
#[cfg(feature = "std")]
pub fn at_genesis<T: frame_system::Config>(
	mut ext: sp_io::TestExternalities,
) -> sp_io::TestExternalities {
	ext.execute_with(|| frame_system::Pallet::<T>::set_block_number(Zero::zero()));
	ext.commit_all().expect("the test state commits");
	ext
}

/// Keys of each scheme `MultiSignature` carries, generated in the keystore the benchmarking
/// CLI (or a test's externalities) provides, for benchmarks that check signatures.
pub mod keys {
	use sp_core::{crypto::KeyTypeId, ecdsa, ed25519, sr25519};

	/// The key type of the keys benchmarks generate.
	pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"wbch");

	/// A signature scheme `MultiSignature` carries.
	#[derive(Clone, Copy, PartialEq, Eq, Debug)]
	pub enum Scheme {
		/// Schnorrkel over Ristretto.
		Sr25519,
		/// Ed25519.
		Ed25519,
		/// ECDSA over secp256k1, signing the Blake2-256 hash of the message.
		Ecdsa,
	}

	/// A key generated in the keystore.
	#[derive(Clone, Copy, PartialEq, Eq, Debug)]
	pub enum Key {
		/// An sr25519 key.
		Sr25519(sr25519::Public),
		/// An ed25519 key.
		Ed25519(ed25519::Public),
		/// An ECDSA key.
		Ecdsa(ecdsa::Public),
	}

	/// What a public key of every scheme converts into (`MultiSigner` on Warden).
	pub trait AnyPublic:
		From<sr25519::Public> + From<ed25519::Public> + From<ecdsa::Public>
	{
	}
	impl<P: From<sr25519::Public> + From<ed25519::Public> + From<ecdsa::Public>> AnyPublic for P {}

	/// What a signature of every scheme converts into (`MultiSignature` on Warden).
	pub trait AnySignature:
		From<sr25519::Signature> + From<ed25519::Signature> + From<ecdsa::Signature>
	{
	}
	impl<S: From<sr25519::Signature> + From<ed25519::Signature> + From<ecdsa::Signature>>
		AnySignature for S
	{
	}

	impl Key {
		/// A new key of `scheme` in the keystore.
		pub fn generate(scheme: Scheme) -> Self {
			match scheme {
				Scheme::Sr25519 => Key::Sr25519(sp_io::crypto::sr25519_generate(KEY_TYPE, None)),
				Scheme::Ed25519 => Key::Ed25519(sp_io::crypto::ed25519_generate(KEY_TYPE, None)),
				Scheme::Ecdsa => Key::Ecdsa(sp_io::crypto::ecdsa_generate(KEY_TYPE, None)),
			}
		}

		/// The public key, as the chain's signer type.
		pub fn public<P: AnyPublic>(&self) -> P {
			match self {
				Key::Sr25519(key) => P::from(*key),
				Key::Ed25519(key) => P::from(*key),
				Key::Ecdsa(key) => P::from(*key),
			}
		}

		/// Signs `message`, as the chain's signature type.
		pub fn sign<S: AnySignature>(&self, message: &[u8]) -> S {
			const GENERATED: &str = "the key was generated in this keystore";
			match self {
				Key::Sr25519(key) => {
					S::from(sp_io::crypto::sr25519_sign(KEY_TYPE, key, message).expect(GENERATED))
				}
				Key::Ed25519(key) => {
					S::from(sp_io::crypto::ed25519_sign(KEY_TYPE, key, message).expect(GENERATED))
				}
				Key::Ecdsa(key) => {
					S::from(sp_io::crypto::ecdsa_sign(KEY_TYPE, key, message).expect(GENERATED))
				}
			}
		}
	}
}
