//! # warden-client
//!
//! A typed client for Warden, on [subxt](https://docs.rs/subxt): no hand-built extrinsics,
//! no hand-built signatures.
//!
//! - [`api`]: every call, storage item, event, error and runtime API of the chain, generated
//!   from the runtime's metadata (`metadata.scale`, checked against the runtime by a test).
//! - [`Client`]: connect, [`Client::submit`] a call with progress and a [`Wait`], read a
//!   runtime API with [`Client::read`], balances.
//! - [`Keypair`]: keys from a secret URI or a private key file, sr25519 or ecdsa;
//!   [`parse_account`] for SS58 addresses and development names.
//! - [`signing`]: the off-chain balance proofs, cooperative-close signatures and reward
//!   authorizations, through the `warden-primitives` constructors.
//! - [`events`]: events typed and as JSON, and [`FinalizedEvents`], the events of every
//!   finalized block from any block number on; [`json`]: chain values as JSON, and
//!   [`Client::read_json`] for any runtime API.
//! - [`units`]: WRD amounts in and out.
//! - [`Error`]: unreachable node, refusal by the chain (decoded with the error's docs), bad
//!   input.
//!
//! ```no_run
//! # async fn demo() -> Result<(), warden_client::Error> {
//! use warden_client::{api, units::parse_amount, Client, Keypair, Scheme, Wait};
//!
//! let client = Client::connect("ws://127.0.0.1:9944").await?;
//! let alice = Keypair::from_suri("//Alice", Scheme::Sr25519)?;
//! let bond = parse_amount("1000 WRD")?;
//! let done = client
//! 	.submit(&api::tx().operators().bond_more(bond), &alice, Wait::Finalized, |_| {})
//! 	.await?;
//! assert!(done.event("Operators", "BondIncreased").is_some());
//! let info = client.read(api::runtime_apis().operators_api().operator(alice.account_id())).await?;
//! # let _ = info;
//! # Ok(())
//! # }
//! ```

// The code in these docs is indented with tabs, as the rest of the code.
#![allow(clippy::tabs_in_doc_comments)]

mod client;
mod error;
pub mod events;
pub mod http;
pub mod json;
pub mod keys;
pub mod monitor_wire;
pub mod peer;
mod runtime;
pub mod signing;
pub mod units;
pub mod wallet;

pub use client::{
	mortality_period, AtBlock, BlockId, Client, Progress, Signed, Submitted, TxOptions, Wait,
	WardenConfig, CONNECT_TIMEOUT, DEFAULT_MORTALITY, SUBMIT_TIMEOUT,
};
pub use error::{nested_failure, Error};
pub use events::{BlockEvents, EventRecord, FinalizedEvents};
pub use keys::{parse_account, Keypair, Scheme};
pub use runtime::{api, runtime_types, METADATA};
pub use subxt::utils::{AccountId32, H256};
