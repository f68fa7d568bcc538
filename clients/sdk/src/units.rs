//! Amounts: WRD has 12 decimals; the chain counts in planck (10⁻¹² WRD).

use crate::Error;

/// The number of decimals of WRD.
pub const DECIMALS: u32 = 12;

/// One WRD in planck.
pub const UNIT: u128 = 10u128.pow(DECIMALS);

/// The token's symbol.
pub const SYMBOL: &str = "WRD";

/// An amount in planck from `1.5`, `1.5WRD`, `1.5 WRD`, `1_000`, or `1500000000000planck`.
/// A bare number is in WRD. More than 12 decimals, a negative number or an amount that
/// doesn't fit in a u128 is refused.
pub fn parse_amount(input: &str) -> Result<u128, Error> {
	let bad = |why: &str| Error::Input(format!("`{input}` is not an amount: {why}"));
	let text: String = input.trim().chars().filter(|c| *c != '_').collect();
	let lower = text.to_ascii_lowercase();
	let (number, planck) = if let Some(number) = lower.strip_suffix("planck") {
		(number.trim().to_string(), true)
	} else if let Some(number) = lower.strip_suffix("wrd") {
		(number.trim().to_string(), false)
	} else {
		(lower, false)
	};
	if number.is_empty() {
		return Err(bad("no number"));
	}
	if number.starts_with('-') {
		return Err(bad("amounts can't be negative"));
	}
	let (whole, fraction) = number.split_once('.').unwrap_or((&number, ""));
	if whole.is_empty() && fraction.is_empty() {
		return Err(bad("no number"));
	}
	if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
		return Err(bad("use digits, an optional decimal point and WRD or planck"));
	}
	let whole: u128 =
		if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad("too large"))? };
	if planck {
		if !fraction.is_empty() {
			return Err(bad("planck has no decimals"));
		}
		return Ok(whole);
	}
	if fraction.len() > DECIMALS as usize {
		return Err(bad("WRD has at most 12 decimals"));
	}
	let padded = format!("{fraction:0<width$}", width = DECIMALS as usize);
	let fraction: u128 = padded.parse().map_err(|_| bad("bad decimals"))?;
	whole
		.checked_mul(UNIT)
		.and_then(|planck| planck.checked_add(fraction))
		.ok_or_else(|| bad("too large"))
}

/// `amount` planck as WRD, with as many decimals as it needs: `1.5 WRD`, `0.000001 WRD`.
pub fn format_amount(amount: u128) -> String {
	let whole = amount / UNIT;
	let fraction = amount % UNIT;
	if fraction == 0 {
		return format!("{whole} {SYMBOL}");
	}
	let digits = format!("{fraction:0>width$}", width = DECIMALS as usize);
	format!("{whole}.{} {SYMBOL}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_parse_in_wrd_or_planck() {
		assert_eq!(parse_amount("1").unwrap(), UNIT);
		assert_eq!(parse_amount("1.5").unwrap(), 3 * UNIT / 2);
		assert_eq!(parse_amount("1.5WRD").unwrap(), 3 * UNIT / 2);
		assert_eq!(parse_amount(" 1.5 wrd ").unwrap(), 3 * UNIT / 2);
		assert_eq!(parse_amount("1500000000000planck").unwrap(), 3 * UNIT / 2);
		assert_eq!(parse_amount("1_000").unwrap(), 1_000 * UNIT);
		assert_eq!(parse_amount(".25").unwrap(), UNIT / 4);
		assert_eq!(parse_amount("0.000000000001").unwrap(), 1);
		assert_eq!(parse_amount("7planck").unwrap(), 7);
	}

	#[test]
	fn bad_amounts_say_what_is_wrong() {
		for (input, says) in [
			("", "no number"),
			("WRD", "no number"),
			("-1", "negative"),
			("1.2.3", "use digits"),
			("1,5", "use digits"),
			("ten", "use digits"),
			("0.0000000000001", "at most 12 decimals"),
			("1.5planck", "no decimals"),
			("340282366920938463463374607431768211456planck", "too large"),
			("340282366920938463463374607431768211455", "too large"),
		] {
			let Err(Error::Input(message)) = parse_amount(input) else {
				panic!("`{input}` parsed");
			};
			assert!(message.contains(says), "{input}: {message}");
		}
	}

	#[test]
	fn amounts_format_with_the_decimals_they_need() {
		assert_eq!(format_amount(0), "0 WRD");
		assert_eq!(format_amount(UNIT), "1 WRD");
		assert_eq!(format_amount(3 * UNIT / 2), "1.5 WRD");
		assert_eq!(format_amount(1), "0.000000000001 WRD");
		for amount in [0, 1, 999, UNIT, 12_345_678_901_234_567] {
			let text = format_amount(amount);
			assert_eq!(parse_amount(&text).unwrap(), amount, "{text}");
		}
	}
}
