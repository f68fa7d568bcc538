//! # warden-monitor
//!
//! Warden's monitoring service: a daemon that keeps payment channels safe while their
//! receivers are offline. Receivers hand it their newest balance proof with a signed reward
//! authorization over a JSON API; it follows the chain's finalized blocks, and when a sender
//! closes a channel with an older proof it submits the newer one in its slot of the
//! challenge window, then claims its reward from the channel's escrow.
//!
//! - [`config`]: flags and their `WARDEN_MONITOR_*` environment twins;
//! - [`wire`]: `warden-client`'s JSON of a balance proof and its authorization, and the checks a
//!   submission passes before it is stored;
//! - [`db`]: the one database file (redb): proofs, the cursor of finalized blocks applied,
//!   work due at a block, update records and counters;
//! - [`chain`]: what the intake asks the chain, behind [`chain::ChainView`];
//! - [`intake`]: the checks a proof passes before it is held, the group-committing writer,
//!   and the daemon's shared state;
//! - [`api`]: the HTTP API (axum): handlers only;
//! - [`watcher`]: applies each finalized block's events exactly once;
//! - [`lifecycle`]: the states of an update and what to do next ([`lifecycle::decide`]);
//! - [`actor`]: submits updates in their slot, claims rewards, renews the registration;
//! - [`metrics`]: counters and latencies, Prometheus text;
//! - [`http`]: `warden-client`'s minimal HTTP/1.1 client, for tools and tests of the API;
//! - [`daemon`]: startup, registration and shutdown.
//!
//! The README has the operator's guide.

// The code in these docs is indented with tabs, as the rest of the code.
#![allow(clippy::tabs_in_doc_comments)]

pub mod actor;
pub mod api;
pub mod chain;
pub mod config;
pub mod daemon;
pub mod db;
pub mod intake;
pub mod lifecycle;
pub mod metrics;
pub mod watcher;

pub use warden_client::{http, monitor_wire as wire};

/// The version of the HTTP API, the `1` in `/api/1/...`.
pub const API_VERSION: u32 = 1;
