//! # warden-operator
//!
//! The service operator's agent, built on `warden-daemon`: it approves the requests its
//! policy accepts, runs a program for each job call and submits the result before the
//! deadline, and sends a heartbeat in every window.
//!
//! - [`actor`]: acts at best blocks: judges requests, runs programs, sends results and
//!   heartbeats;
//! - [`config`]: the policy file (per blueprint: what to approve, the terms to publish, a
//!   program per job), checked at start;
//! - [`daemon`]: the flags, startup and shutdown;
//! - [`db`]: the one database file: requests, services, calls, heartbeats, counters;
//! - [`executor`]: runs a job's program for one call and turns what it does into a result;
//! - [`http`]: `GET /status` and `GET /metrics`;
//! - [`lifecycle`]: what to do next about a request, a heartbeat window or a call, decided
//!   from one best block;
//! - [`watcher`]: applies each finalized block's events to the database, exactly once.

pub mod actor;
pub mod config;
pub mod daemon;
pub mod db;
pub mod executor;
pub mod http;
pub mod lifecycle;
pub mod limits;
pub mod watcher;
