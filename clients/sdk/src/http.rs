//! A minimal blocking HTTP/1.1 client for the daemons' HTTP endpoints (the monitor's API,
//! the agents' `/status`), used by the CLI and the tests: one request per connection,
//! bounded by a timeout.

use std::{
	io::{Read, Write},
	net::{SocketAddr, TcpStream, ToSocketAddrs},
	time::Duration,
};

/// A response: its status and body.
#[derive(Clone, Debug)]
pub struct Response {
	/// The status code.
	pub status: u16,
	/// The body.
	pub body: Vec<u8>,
}

impl Response {
	/// The body as JSON (`null` if it isn't).
	pub fn json(&self) -> serde_json::Value {
		serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
	}

	/// The body as text.
	pub fn text(&self) -> String {
		String::from_utf8_lossy(&self.body).into_owned()
	}
}

/// Sends `method path` with `body` to `addr`, with `Authorization: Bearer <token>` if
/// given; waits at most `timeout` for each step.
pub fn request(
	addr: SocketAddr,
	method: &str,
	path: &str,
	token: Option<&str>,
	body: &[u8],
	timeout: Duration,
) -> std::io::Result<Response> {
	let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
	stream.set_read_timeout(Some(timeout))?;
	stream.set_write_timeout(Some(timeout))?;
	let mut head = format!(
		"{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
		body.len()
	);
	if let Some(token) = token {
		head.push_str(&format!("Authorization: Bearer {token}\r\n"));
	}
	head.push_str("\r\n");
	stream.write_all(head.as_bytes())?;
	// A server may answer (e.g. 413) and close before reading a large body.
	let _ = stream.write_all(body);
	let mut raw = Vec::new();
	stream.read_to_end(&mut raw)?;
	parse(&raw)
}

/// Sends `method path` with `body` to the endpoint at `url` (`http://host:port`) off the
/// async runtime, waiting at most `timeout` for each step: [`request`] for async callers.
/// The error says why nothing answered.
pub async fn fetch(
	url: &str,
	method: &'static str,
	path: &'static str,
	body: &[u8],
	timeout: Duration,
) -> Result<Response, String> {
	let (url, body) = (url.to_string(), body.to_vec());
	tokio::task::spawn_blocking(move || {
		let addr = resolve(&url)?;
		request(addr, method, path, None, &body, timeout)
	})
	.await
	.map_err(|e| e.to_string())?
	.map_err(|e| e.to_string())
}

/// The address of a daemon's endpoint given as `http://host:port` (a trailing path is
/// ignored) or `host:port`.
pub fn resolve(url: &str) -> std::io::Result<SocketAddr> {
	let rest = url.strip_prefix("http://").unwrap_or(url);
	if rest.starts_with("https://") || url.starts_with("https://") {
		return Err(invalid("https is not supported: give http://host:port"));
	}
	let host_port = rest.split('/').next().unwrap_or_default();
	host_port.to_socket_addrs()?.next().ok_or_else(|| invalid("the host has no address"))
}

fn invalid(why: &str) -> std::io::Error {
	std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string())
}

fn parse(raw: &[u8]) -> std::io::Result<Response> {
	let split =
		raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| invalid("no header end"))?;
	let head = String::from_utf8_lossy(&raw[..split]);
	let status = head
		.split_whitespace()
		.nth(1)
		.and_then(|s| s.parse().ok())
		.ok_or_else(|| invalid("no status"))?;
	let mut body = raw[split + 4..].to_vec();
	if head.lines().any(|l| l.eq_ignore_ascii_case("transfer-encoding: chunked")) {
		body = unchunk(&body)?;
	}
	Ok(Response { status, body })
}

fn unchunk(mut data: &[u8]) -> std::io::Result<Vec<u8>> {
	let mut out = Vec::new();
	loop {
		let line = data.windows(2).position(|w| w == b"\r\n").ok_or_else(|| invalid("chunk"))?;
		let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line]).trim(), 16)
			.map_err(|_| invalid("chunk size"))?;
		data = &data[line + 2..];
		if size == 0 {
			return Ok(out);
		}
		out.extend_from_slice(data.get(..size).ok_or_else(|| invalid("short chunk"))?);
		data = data.get(size + 2..).ok_or_else(|| invalid("short chunk"))?;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn endpoints_resolve_with_or_without_the_scheme() {
		let addr: SocketAddr = "127.0.0.1:9956".parse().expect("an address");
		assert_eq!(resolve("http://127.0.0.1:9956").expect("resolves"), addr);
		assert_eq!(resolve("http://127.0.0.1:9956/status").expect("resolves"), addr);
		assert_eq!(resolve("127.0.0.1:9956").expect("resolves"), addr);
		assert!(resolve("https://127.0.0.1:9956").is_err());
		assert!(resolve("http://127.0.0.1").is_err(), "no port");
	}
}
