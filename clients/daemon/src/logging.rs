//! Log lines on stderr: text for people, or JSON lines for log collectors.

/// Starts logging on stderr, as text or JSON lines, with the level from `RUST_LOG` (default
/// `info`). Colours only on a terminal.
pub fn init(json: bool) {
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
	let builder = tracing_subscriber::fmt()
		.with_env_filter(filter)
		.with_ansi(ansi)
		.with_writer(std::io::stderr);
	if json {
		builder.json().init();
	} else {
		builder.init();
	}
}
