//! Parsing command-line values: amounts, accounts, percentages, bytes and hashes.

use warden_client::{units, AccountId32, Scheme, Wait};

/// An amount: `1.5`, `1.5WRD` or `1500000000000planck` (a bare number is in WRD).
pub fn parse_amount(input: &str) -> Result<u128, String> {
	units::parse_amount(input).map_err(|e| e.to_string())
}

/// An account: an SS58 address, 0x and 32 bytes of hex, or a development name (`alice`).
pub fn parse_account(input: &str) -> Result<AccountId32, String> {
	warden_client::parse_account(input).map_err(|e| e.to_string())
}

/// A percentage `0`–`100`, with or without `%`.
pub fn parse_percent(input: &str) -> Result<u8, String> {
	let number = input.trim().trim_end_matches('%').trim();
	match number.parse::<u8>() {
		Ok(percent) if percent <= 100 => Ok(percent),
		_ => Err(format!("`{input}` is not a whole percentage from 0 to 100")),
	}
}

/// A fraction as parts per billion, from a percentage with up to 7 decimals (`10%`,
/// `0.1%`).
pub fn parse_perbill(input: &str) -> Result<u32, String> {
	let bad = || format!("`{input}` is not a percentage from 0% to 100% (e.g. 10% or 0.1%)");
	let number = input.trim().trim_end_matches('%').trim();
	let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
	if fraction.len() > 7 || !fraction.chars().all(|c| c.is_ascii_digit()) {
		return Err(bad());
	}
	let whole: u64 = whole.parse().map_err(|_| bad())?;
	let fraction: u64 = format!("{fraction:0<7}").parse().map_err(|_| bad())?;
	let parts =
		whole.checked_mul(10_000_000).and_then(|w| w.checked_add(fraction)).ok_or_else(bad)?;
	u32::try_from(parts).ok().filter(|parts| *parts <= 1_000_000_000).ok_or_else(bad)
}

pub fn parse_scheme(input: &str) -> Result<Scheme, String> {
	input.parse().map_err(|e: warden_client::Error| e.to_string())
}

pub fn parse_wait(input: &str) -> Result<Wait, String> {
	input.parse().map_err(|e: warden_client::Error| e.to_string())
}

/// Bytes given on the command line. An alias, so clap takes one value rather than many.
pub type Bytes = Vec<u8>;

/// Bytes: `0x` hex, or text taken as its UTF-8 bytes.
pub fn parse_bytes(input: &str) -> Result<Vec<u8>, String> {
	match input.strip_prefix("0x") {
		Some(hex) => decode_hex(hex).ok_or_else(|| format!("`{input}` is not valid hex")),
		None => Ok(input.as_bytes().to_vec()),
	}
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
	if !hex.len().is_multiple_of(2) {
		return None;
	}
	(0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

/// A 32-byte hash or key in hex.
pub fn parse_hash(input: &str) -> Result<[u8; 32], String> {
	let bytes = parse_bytes(input)?;
	if !input.starts_with("0x") {
		return Err(format!("`{input}` is not 0x and 32 bytes of hex"));
	}
	bytes.try_into().map_err(|_| format!("`{input}` is not 32 bytes"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn percentages_parse() {
		assert_eq!(parse_percent("20%"), Ok(20));
		assert_eq!(parse_percent("100"), Ok(100));
		assert!(parse_percent("101%").is_err());
		assert!(parse_percent("2.5%").is_err());
		assert_eq!(parse_perbill("10%"), Ok(100_000_000));
		assert_eq!(parse_perbill("0.1%"), Ok(1_000_000));
		assert_eq!(parse_perbill("0.0000001%"), Ok(1));
		assert_eq!(parse_perbill("100%"), Ok(1_000_000_000));
		assert!(parse_perbill("100.1%").is_err());
		assert!(parse_perbill("0.00000001%").is_err());
		assert!(parse_perbill("ten").is_err());
	}

	#[test]
	fn bytes_and_hashes_parse() {
		assert_eq!(parse_bytes("hi"), Ok(b"hi".to_vec()));
		assert_eq!(parse_bytes("0x6869"), Ok(b"hi".to_vec()));
		assert!(parse_bytes("0x686").is_err());
		assert!(parse_hash("0x12").is_err());
		assert!(parse_hash(&"ab".repeat(32)).is_err());
		assert_eq!(parse_hash(&format!("0x{}", "ab".repeat(32))), Ok([0xab; 32]));
	}
}
