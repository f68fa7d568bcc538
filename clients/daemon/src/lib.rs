//! # warden-daemon
//!
//! The shape every Warden daemon shares, so that each one (`warden-monitor`, and the
//! agents built next to it) only writes what it does with the chain:
//!
//! - [`node`]: one connection to the node shared by the daemon's tasks, reconnected when it
//!   fails; the node's heads as last read; a warning that repeats at most once a minute;
//! - [`follow`]: applies every finalized block, in order, exactly once: the daemon commits a
//!   block's changes with its cursor, and after a restart resumes at the cursor;
//! - [`exit`]: the exit codes and the failure a daemon stops with;
//! - [`logging`]: text or JSON log lines on stderr;
//! - [`shutdown`]: the future that completes on SIGINT or SIGTERM;
//! - [`metrics`]: a latency histogram and the Prometheus text of gauges and counters;
//! - [`store`]: the daemon's one database file, bound to a chain and an account, with the
//!   follower's cursor; one process at a time.
//!
//! Keys load with [`warden_client::Keypair::load`], transactions are signed with an explicit
//! nonce, a mortality that ends at a given block and a fee limit through
//! [`warden_client::Client::sign`].

pub mod exit;
pub mod follow;
pub mod logging;
pub mod metrics;
pub mod node;
pub mod shutdown;
pub mod store;

pub use exit::Failure;
pub use node::{now_ms, Heads, Node, Throttled};
