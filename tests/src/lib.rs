//! # Warden integration tests
//!
//! Shared helpers for Warden's integration tests:
//! - [`runtime`]: externalities built from the real runtime's genesis presets, signed
//!   extrinsics made with the dev keys, and block production through `Executive`, for
//!   runtime-level scenarios (`tests/tests/*.rs`);
//! - [`node`]: starting a real `warden-node` process on free ports, with every child
//!   killed on drop and every wait bounded, for the end-to-end tests (`tests/e2e/`);
//! - [`network`]: an N-node network of validators and full nodes from one chain spec;
//! - [`daemons`]: a party's `wardend` driven through the `warden` CLI, and a
//!   `warden-monitor`, for the end-to-end tests of the clients.

pub mod daemons;
pub mod network;
pub mod node;
pub mod runtime;
