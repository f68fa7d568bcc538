#![doc = include_str!("../README.md")]
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
