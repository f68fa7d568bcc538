//! Shutdown on SIGINT or SIGTERM.

/// Completes when the process receives SIGINT (Ctrl-C) or, on Unix, SIGTERM: a daemon then
/// finishes the transaction in flight, keeps its cursor and exits with [`crate::exit::OK`].
pub async fn signal() {
	let interrupt = tokio::signal::ctrl_c();
	#[cfg(unix)]
	{
		let mut terminate =
			match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
				Ok(signal) => signal,
				Err(_) => {
					let _ = interrupt.await;
					return;
				}
			};
		tokio::select! {
			_ = interrupt => {}
			_ = terminate.recv() => {}
		}
	}
	#[cfg(not(unix))]
	let _ = interrupt.await;
}
