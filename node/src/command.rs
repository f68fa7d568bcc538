//! Runs the command the user asked for.

use sc_cli::SubstrateCli;
use sc_service::ChainType;

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"Warden Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://github.com/warden-chain/warden/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" => Box::new(chain_spec::development()?),
			"" | "local" => Box::new(chain_spec::local_testnet()?),
			path => {
				let path = std::path::PathBuf::from(path);
				if !path.exists() {
					return Err(format!(
						"unknown chain `{id}`: use `dev`, `local`, or the path of a chain spec JSON file"
					));
				}
				Box::new(chain_spec::ChainSpec::from_json_file(path)?)
			}
		})
	}
}

/// The process exit code for `error`: 2 for bad input (an unknown chain, a bad flag
/// value), 1 for everything else.
pub fn exit_code(error: &sc_cli::Error) -> u8 {
	match error {
		sc_cli::Error::Input(_)
		| sc_cli::Error::Cli(_)
		| sc_cli::Error::InvalidListenMultiaddress
		| sc_cli::Error::InvalidUri(_) => 2,
		_ => 1,
	}
}

/// Parses the command line and runs it.
pub fn run() -> sc_cli::Result<()> {
	let cli = Cli::from_args();

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		}
		Some(Subcommand::NewChainSpec(cmd)) => cmd.run().map_err(sc_cli::Error::Input),
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		}
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let ops = service::new_chain_ops(&config)?;
				Ok((cmd.run(ops.client, ops.import_queue), ops.task_manager))
			})
		}
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let ops = service::new_chain_ops(&config)?;
				Ok((cmd.run(ops.client, config.database), ops.task_manager))
			})
		}
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let ops = service::new_chain_ops(&config)?;
				Ok((cmd.run(ops.client, config.chain_spec), ops.task_manager))
			})
		}
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let ops = service::new_chain_ops(&config)?;
				Ok((cmd.run(ops.client, ops.import_queue), ops.task_manager))
			})
		}
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		}
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let ops = service::new_chain_ops(&config)?;
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(ops.client, ops.backend, Some(aux_revert)), ops.task_manager))
			})
		}
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<warden_runtime::opaque::Block>(&config))
		}
		#[cfg(feature = "runtime-benchmarks")]
		Some(Subcommand::Benchmark(cmd)) => {
			use frame_benchmarking_cli::BenchmarkCmd;
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				match cmd {
				BenchmarkCmd::Pallet(cmd) => cmd.run_with_spec::<sp_runtime::traits::HashingFor<
					warden_runtime::opaque::Block,
				>, ()>(Some(config.chain_spec)),
				// The base weights of a block and of an extrinsic, measured by executing
				// blocks of `System.remark`s on the chain's own runtime.
				BenchmarkCmd::Overhead(cmd) => cmd.run_with_default_builder_and_spec::<
					warden_runtime::opaque::Block,
					(),
				>(Some(config.chain_spec)),
				BenchmarkCmd::Machine(cmd) => {
					cmd.run(&config, frame_benchmarking_cli::SUBSTRATE_REFERENCE_HARDWARE.clone())
				}
				_ => Err(
					"this node supports `benchmark pallet`, `benchmark overhead` and `benchmark machine`"
						.into(),
				),
			}
			})
		}
		None => {
			let runner = cli.create_runner(&cli.run)?;
			let sealing = cli.sealing;
			runner.run_node_until_exit(|config| async move {
				let dev = config.chain_spec.chain_type() == ChainType::Development;
				if dev {
					log::info!("🔨 Development chain: sealing blocks {sealing}");
					service::new_dev(config, sealing).map_err(sc_cli::Error::Service)
				} else {
					service::new_full(config).map_err(sc_cli::Error::Service)
				}
			})
		}
	}
}
