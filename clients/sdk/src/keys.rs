//! Keys: a secret URI (`//Alice`, a mnemonic with a derivation path, a hex seed), or a key
//! file holding one; sr25519 by default, or ecdsa. A key signs transactions (it is a subxt
//! [`Signer`]) and Warden's off-chain payloads ([`Keypair::sign`]).

use std::{fmt, path::Path, str::FromStr};

use subxt::{
	tx::Signer,
	utils::{AccountId32, MultiSignature},
	PolkadotConfig,
};
use subxt_signer::{ecdsa, sr25519, SecretUri};

use crate::Error;

/// The signature scheme of a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scheme {
	/// Schnorrkel over Ristretto: what wallets use by default.
	#[default]
	Sr25519,
	/// ECDSA over secp256k1. The account is the Blake2-256 hash of the compressed key.
	Ecdsa,
}

impl FromStr for Scheme {
	type Err = Error;

	fn from_str(s: &str) -> Result<Self, Error> {
		match s.to_ascii_lowercase().as_str() {
			"sr25519" => Ok(Scheme::Sr25519),
			"ecdsa" => Ok(Scheme::Ecdsa),
			other => {
				Err(Error::Input(format!("`{other}` is not a key scheme: use sr25519 or ecdsa")))
			}
		}
	}
}

impl fmt::Display for Scheme {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			Scheme::Sr25519 => "sr25519",
			Scheme::Ecdsa => "ecdsa",
		})
	}
}

/// The development accounts, whose secret URI is `//<Name>`.
pub const DEV_NAMES: [&str; 6] = ["alice", "bob", "charlie", "dave", "eve", "ferdie"];

/// A key pair that signs Warden transactions and payloads.
#[derive(Clone)]
pub enum Keypair {
	/// An sr25519 key.
	Sr25519(sr25519::Keypair),
	/// An ecdsa key.
	Ecdsa(ecdsa::Keypair),
}

impl fmt::Debug for Keypair {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "Keypair({}, {})", self.scheme(), self.account_id())
	}
}

impl Keypair {
	/// The key of secret URI `suri`: `//Alice`, `<mnemonic>//hard/soft///password`, or a
	/// `0x` hex seed with an optional derivation path.
	pub fn from_suri(suri: &str, scheme: Scheme) -> Result<Self, Error> {
		let uri = SecretUri::from_str(suri.trim())
			.map_err(|_| Error::Input("the secret URI is malformed".into()))?;
		match scheme {
			Scheme::Sr25519 => sr25519::Keypair::from_uri(&uri)
				.map(Keypair::Sr25519)
				.map_err(|e| Error::Input(format!("the secret URI is not a valid key: {e}"))),
			Scheme::Ecdsa => ecdsa::Keypair::from_uri(&uri)
				.map(Keypair::Ecdsa)
				.map_err(|e| Error::Input(format!("the secret URI is not a valid key: {e}"))),
		}
	}

	/// The key a tool signs with, as its flags give it: `suri` (a development name such as
	/// `alice`, or a secret URI) or the first line of `key_file`, in `scheme`. `None` if
	/// neither is given, for the tool to say which flags it takes; both at once is refused.
	/// The CLI, `warden-monitor` and every other Warden daemon load their key with it.
	pub fn load(
		suri: Option<&str>,
		key_file: Option<&Path>,
		scheme: Scheme,
	) -> Result<Option<Self>, Error> {
		match (suri, key_file) {
			(Some(_), Some(_)) => {
				Err(Error::Input("give the key once: --suri or --key-file, not both".into()))
			}
			(Some(suri), None) => {
				Self::dev(suri, scheme).map_or_else(|| Self::from_suri(suri, scheme), Ok).map(Some)
			}
			(None, Some(path)) => Self::from_key_file(path, scheme).map(Some),
			(None, None) => Ok(None),
		}
	}

	/// The development key `name` (`alice` … `ferdie`, any case), if it is one.
	pub fn dev(name: &str, scheme: Scheme) -> Option<Self> {
		let name = name.to_ascii_lowercase();
		DEV_NAMES.contains(&name.as_str()).then(|| {
			let mut title = name;
			title[..1].make_ascii_uppercase();
			Self::from_suri(&format!("//{title}"), scheme).expect("dev URIs are valid")
		})
	}

	/// The key whose secret URI is the first line of the file at `path`. Refused, like an
	/// ssh key, if anyone but its owner may read or write the file.
	pub fn from_key_file(path: &Path, scheme: Scheme) -> Result<Self, Error> {
		let metadata = std::fs::metadata(path)
			.map_err(|e| Error::Input(format!("can't read key file {}: {e}", path.display())))?;
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let mode = metadata.permissions().mode();
			if mode & 0o077 != 0 {
				return Err(Error::Input(format!(
					"key file {} is accessible by others (mode {:o}): run `chmod 600 {}`",
					path.display(),
					mode & 0o777,
					path.display()
				)));
			}
		}
		#[cfg(not(unix))]
		let _ = metadata;
		let text = std::fs::read_to_string(path)
			.map_err(|e| Error::Input(format!("can't read key file {}: {e}", path.display())))?;
		let suri = text.lines().next().unwrap_or_default().trim();
		if suri.is_empty() {
			return Err(Error::Input(format!("key file {} is empty", path.display())));
		}
		Self::from_suri(suri, scheme)
	}

	/// Its scheme.
	pub fn scheme(&self) -> Scheme {
		match self {
			Keypair::Sr25519(_) => Scheme::Sr25519,
			Keypair::Ecdsa(_) => Scheme::Ecdsa,
		}
	}

	/// The account it controls.
	pub fn account_id(&self) -> AccountId32 {
		match self {
			Keypair::Sr25519(key) => key.public_key().to_account_id(),
			Keypair::Ecdsa(key) => key.public_key().to_account_id(),
		}
	}

	/// Signs `message` (the exact bytes, e.g. a payload's `signing_bytes()`), as the
	/// chain's `MultiSignature`.
	pub fn sign(&self, message: &[u8]) -> sp_runtime::MultiSignature {
		match self {
			Keypair::Sr25519(key) => {
				sp_core::sr25519::Signature::from_raw(key.sign(message).0).into()
			}
			Keypair::Ecdsa(key) => sp_core::ecdsa::Signature::from_raw(key.sign(message).0).into(),
		}
	}
}

impl Signer<PolkadotConfig> for Keypair {
	fn account_id(&self) -> AccountId32 {
		Keypair::account_id(self)
	}

	fn sign(&self, signer_payload: &[u8]) -> MultiSignature {
		match self {
			Keypair::Sr25519(key) => MultiSignature::Sr25519(key.sign(signer_payload).0),
			Keypair::Ecdsa(key) => MultiSignature::Ecdsa(key.sign(signer_payload).0),
		}
	}
}

/// An account: `alice` … `ferdie` (the sr25519 development accounts), an SS58 address, or
/// the 32 bytes in hex (`0x…`).
pub fn parse_account(input: &str) -> Result<AccountId32, Error> {
	let input = input.trim();
	if let Some(key) = Keypair::dev(input, Scheme::Sr25519) {
		return Ok(key.account_id());
	}
	if let Some(hex) = input.strip_prefix("0x") {
		let bytes =
			hex::decode(hex).map_err(|_| Error::Input(format!("`{input}` is not valid hex")))?;
		let bytes: [u8; 32] =
			bytes.try_into().map_err(|_| Error::Input(format!("`{input}` is not 32 bytes")))?;
		return Ok(AccountId32(bytes));
	}
	AccountId32::from_str(input).map_err(|_| {
		Error::Input(format!(
			"`{input}` is not an account: give an SS58 address, 0x and 32 bytes of hex, or a \
			 development name ({})",
			DEV_NAMES.join(", ")
		))
	})
}

/// The account `who` as the chain's own account type, for the `warden-primitives` payloads.
pub fn to_chain_account(who: &AccountId32) -> sp_runtime::AccountId32 {
	sp_runtime::AccountId32::new(who.0)
}

/// The chain's account `who` as subxt's.
pub fn from_chain_account(who: &sp_runtime::AccountId32) -> AccountId32 {
	AccountId32(*AsRef::<[u8; 32]>::as_ref(who))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dev_names_secret_uris_and_addresses_agree() {
		let alice = Keypair::dev("Alice", Scheme::Sr25519).unwrap();
		let by_uri = Keypair::from_suri("//Alice", Scheme::Sr25519).unwrap();
		assert_eq!(alice.account_id(), by_uri.account_id());
		let ss58 = alice.account_id().to_string();
		assert_eq!(ss58, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert_eq!(parse_account("alice").unwrap(), alice.account_id());
		assert_eq!(parse_account(&ss58).unwrap(), alice.account_id());
		let hex = format!("0x{}", hex::encode(alice.account_id().0));
		assert_eq!(parse_account(&hex).unwrap(), alice.account_id());
		assert!(Keypair::dev("mallory", Scheme::Sr25519).is_none());
	}

	#[test]
	fn a_key_loads_from_a_dev_name_a_secret_uri_or_a_file_given_once() {
		let alice = Keypair::dev("alice", Scheme::Sr25519).unwrap().account_id();
		let by_name = Keypair::load(Some("Alice"), None, Scheme::Sr25519).unwrap().unwrap();
		assert_eq!(by_name.account_id(), alice);
		let by_uri = Keypair::load(Some("//Alice"), None, Scheme::Sr25519).unwrap().unwrap();
		assert_eq!(by_uri.account_id(), alice);
		assert!(Keypair::load(None, None, Scheme::Sr25519).unwrap().is_none());
		let both = Keypair::load(Some("//Alice"), Some(Path::new("key")), Scheme::Sr25519);
		assert!(matches!(both, Err(Error::Input(m)) if m.contains("not both")));
		let missing = Keypair::load(None, Some(Path::new("/nonexistent/key")), Scheme::Sr25519);
		assert!(matches!(missing, Err(Error::Input(m)) if m.contains("can't read key file")));
	}

	#[test]
	fn bad_accounts_say_what_is_wrong() {
		for (input, says) in [
			("mallory", "not an account"),
			("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ", "not an account"),
			("0x1234", "not 32 bytes"),
			("0xzz", "not valid hex"),
		] {
			let Err(Error::Input(message)) = parse_account(input) else {
				panic!("{input} parsed");
			};
			assert!(message.contains(says), "{input}: {message}");
		}
	}

	#[test]
	fn ecdsa_accounts_are_the_hash_of_the_key() {
		use sp_runtime::traits::IdentifyAccount;
		let key = Keypair::from_suri("//Alice", Scheme::Ecdsa).unwrap();
		let Keypair::Ecdsa(ecdsa) = &key else { unreachable!() };
		let public = sp_core::ecdsa::Public::from_raw(ecdsa.public_key().0);
		let expected = sp_runtime::MultiSigner::from(public).into_account();
		assert_eq!(to_chain_account(&key.account_id()), expected);
	}

	#[test]
	fn key_files_must_be_private() {
		use std::io::Write;
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("key");
		let mut file = std::fs::File::create(&path).unwrap();
		writeln!(file, "//Bob").unwrap();
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
			let Err(Error::Input(message)) = Keypair::from_key_file(&path, Scheme::Sr25519) else {
				panic!("a world-readable key file was accepted");
			};
			assert!(message.contains("chmod 600"), "{message}");
			std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
		}
		let key = Keypair::from_key_file(&path, Scheme::Sr25519).unwrap();
		assert_eq!(key.account_id(), parse_account("bob").unwrap());
		assert!(Keypair::from_key_file(&dir.path().join("missing"), Scheme::Sr25519).is_err());
	}
}
