//! Command-line interface.

use std::{fmt, str::FromStr};

/// How the development chain seals its blocks. Ignored by other chains, which run
/// Aura + GRANDPA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing {
	/// A block for each transaction that enters the pool, as soon as it arrives.
	Instant,
	/// Only when asked through the `engine_createBlock` RPC.
	Manual,
	/// A block (empty if need be) every this many milliseconds.
	Interval(u64),
}

impl Sealing {
	/// The dev chain's default: a block every second.
	pub const DEFAULT: &'static str = "1000";
}

impl FromStr for Sealing {
	type Err = String;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		match s {
			"instant" => Ok(Sealing::Instant),
			"manual" => Ok(Sealing::Manual),
			ms => match ms.parse::<u64>() {
				Ok(0) => Err("the sealing interval must be at least 1 ms".into()),
				Ok(ms) => Ok(Sealing::Interval(ms)),
				Err(_) => Err(format!(
					"`{s}` is not a sealing mode: use `instant`, `manual` or a number of milliseconds"
				)),
			},
		}
	}
}

impl fmt::Display for Sealing {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Sealing::Instant => write!(f, "instant"),
			Sealing::Manual => write!(f, "manual"),
			Sealing::Interval(ms) => write!(f, "every {ms} ms"),
		}
	}
}

/// The node's command line.
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	/// A subcommand; without one, the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// How the development chain seals blocks: `instant` (one block per incoming
	/// transaction), `manual` (only through the `engine_createBlock` RPC) or a number of
	/// milliseconds between blocks. The `engine_createBlock` and `engine_finalizeBlock`
	/// RPCs work in every mode. Only used by development chains (`--dev`).
	#[arg(long, value_name = "MODE", default_value = Sealing::DEFAULT)]
	pub sealing: Sealing,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}

/// The node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management utilities.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification. Deprecated in favour of `export-chain-spec`.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Write a chain spec for a network of your own validators (from `local_testnet`).
	NewChainSpec(crate::new_spec::NewChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Benchmark the runtime's pallets (built with `--features runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),
}
