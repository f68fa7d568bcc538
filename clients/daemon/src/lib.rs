#![doc = include_str!("../README.md")]
// The code in these docs is indented with tabs, as the rest of the code.
#![allow(clippy::tabs_in_doc_comments)]

pub mod exit;
pub mod follow;
pub mod logging;
pub mod metrics;
pub mod node;
pub mod shutdown;
pub mod store;

pub use exit::Failure;
pub use node::{now_ms, Heads, Node, Throttled};
