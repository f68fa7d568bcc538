//! The chain's limits the agent must keep to, read from the runtime's metadata.

use warden_client::{api, Client, Error};

/// The services pallet's limits on what an operator sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
	/// The most bytes of a job result (`MaxResultLen`).
	pub result_len: usize,
	/// The most bytes of a heartbeat's metrics (`MaxHeartbeatMetricsLen`).
	pub metrics_len: usize,
}

impl Limits {
	/// Reads them from the best block's metadata.
	pub async fn read(client: &Client) -> Result<Self, Error> {
		let at = client.at_best().await?;
		let result_len = at
			.constants()
			.entry(api::constants().services().max_result_len())
			.map_err(Error::rpc)?;
		let metrics_len = at
			.constants()
			.entry(api::constants().services().max_heartbeat_metrics_len())
			.map_err(Error::rpc)?;
		Ok(Self { result_len: result_len as usize, metrics_len: metrics_len as usize })
	}
}
