#![doc = include_str!("../README.md")]
// The code in these docs is indented with tabs, as the rest of the code.
#![allow(clippy::tabs_in_doc_comments)]

pub mod daemon;
pub mod db;
pub mod defender;
pub mod ops;
pub mod peer;
pub mod rpc;
pub mod swap;
pub mod watcher;
