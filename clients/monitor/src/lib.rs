#![doc = include_str!("../README.md")]
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
