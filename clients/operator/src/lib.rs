#![doc = include_str!("../README.md")]
// The code in these docs is indented with tabs, as the rest of the code.
#![allow(clippy::tabs_in_doc_comments)]

pub mod actor;
pub mod config;
pub mod daemon;
pub mod db;
pub mod executor;
pub mod http;
pub mod lifecycle;
pub mod limits;
pub mod watcher;
