//! Decoded chain values as JSON, for tools and scripts: accounts as SS58 addresses, hashes
//! and other byte arrays as `0x` hex, structs as objects, enums as their variant's name (or
//! an object keyed by it), and 128-bit integers (balances) always as decimal strings, so no
//! JSON reader rounds them and each field has one JSON type (without type information, only
//! numbers above 2⁵³ are strings).

use serde_json::{json, Value as Json};
use subxt::ext::scale_value::{Composite, Primitive, Value, ValueDef};

/// The type registry of the chain's metadata.
pub type Types = scale_info::PortableRegistry;

/// `value`, decoded with type information, as JSON.
pub fn to_json(value: &Value<u32>, types: &Types) -> Json {
	convert(value, Some(types), false)
}

/// `value` as JSON for a person to read, as the CLI prints it without `--json`: as
/// [`to_json`], and also fractions (`Perbill`, `Permill`, `Percent`, `Perquintill`) as
/// percentages (`"10%"`), and bytes that are printable UTF-8 (names, URLs, statements) as
/// their text.
pub fn to_display_json(value: &Value<u32>, types: &Types) -> Json {
	convert(value, Some(types), true)
}

/// `value`, decoded without type information, as JSON: accounts come out as hex.
pub fn untyped_to_json<T: 'static>(value: &Value<T>) -> Json {
	convert(value, None, false)
}

fn convert<T: 'static>(value: &Value<T>, types: Option<&Types>, display: bool) -> Json {
	match &value.value {
		ValueDef::Composite(composite) => {
			let name = path_of(value, types);
			if display {
				if let Some(percent) = name.as_deref().and_then(|name| fraction(name, composite)) {
					return json!(percent);
				}
			}
			let account = bytes_of(composite).and_then(|bytes| <[u8; 32]>::try_from(bytes).ok());
			match (name.as_deref(), account) {
				(Some("AccountId32"), Some(account)) => {
					json!(subxt::utils::AccountId32(account).to_string())
				}
				_ => match (byte_type(value, types), bytes_of(composite)) {
					// Bytes (a hash, a bounded string): hex. Without types, any list of
					// small numbers longer than one looks like bytes.
					(Some(true), Some(bytes)) => match text_of(&bytes) {
						Some(text) if display => json!(text),
						_ => json!(format!("0x{}", hex::encode(bytes))),
					},
					(None, Some(bytes)) if bytes.len() > 1 => {
						json!(format!("0x{}", hex::encode(bytes)))
					}
					_ => composite_to_json(composite, types, is_sequence(value, types), display),
				},
			}
		}
		// An `Option`: null or its value.
		ValueDef::Variant(variant) if variant.name == "None" && variant.values.is_empty() => {
			Json::Null
		}
		ValueDef::Variant(variant) if variant.name == "Some" && variant.values.len() == 1 => {
			match variant.values.values().next() {
				Some(inner) => convert(inner, types, display),
				None => Json::Null,
			}
		}
		ValueDef::Variant(variant) => match &variant.values {
			Composite::Named(fields) if fields.is_empty() => json!(variant.name),
			Composite::Unnamed(fields) if fields.is_empty() => json!(variant.name),
			values => {
				json!({ variant.name.clone(): composite_to_json(values, types, false, display) })
			}
		},
		ValueDef::BitSequence(bits) => json!(format!("{bits:?}")),
		ValueDef::Primitive(primitive) => match primitive {
			Primitive::Bool(b) => json!(b),
			Primitive::Char(c) => json!(c.to_string()),
			Primitive::String(s) => json!(s),
			// A 128-bit field (balances) is always a string, so each field has one JSON type.
			Primitive::U128(n) if is_wide(value, types) => json!(n.to_string()),
			Primitive::I128(n) if is_wide(value, types) => json!(n.to_string()),
			Primitive::U128(n) if *n <= (1u128 << 53) => json!(*n as u64),
			Primitive::U128(n) => json!(n.to_string()),
			Primitive::I128(n) if n.unsigned_abs() <= (1u128 << 53) => json!(*n as i64),
			Primitive::I128(n) => json!(n.to_string()),
			Primitive::U256(bytes) | Primitive::I256(bytes) => {
				json!(format!("0x{}", hex::encode(bytes)))
			}
		},
	}
}

/// Whether `value`'s type is a 128-bit integer (or a compact one).
/// A fraction type's value as a percentage with up to the type's precision, e.g. a
/// `Perbill` of 1,000,000 as `"0.1%"`.
fn fraction<T>(name: &str, composite: &Composite<T>) -> Option<String> {
	let per_hundred: u128 = match name {
		"Percent" => 1,
		"Permill" => 10_000,
		"Perbill" => 10_000_000,
		"Perquintill" => 10_000_000_000_000_000,
		_ => return None,
	};
	let mut values = composite.values();
	let (Some(value), None) = (values.next(), values.next()) else { return None };
	let ValueDef::Primitive(Primitive::U128(parts)) = value.value else { return None };
	let whole = parts / per_hundred;
	let rest = parts % per_hundred;
	if rest == 0 {
		return Some(format!("{whole}%"));
	}
	let digits = per_hundred.ilog10() as usize;
	let decimals = format!("{rest:0digits$}");
	Some(format!("{whole}.{}%", decimals.trim_end_matches('0')))
}

/// `bytes` as text when they are UTF-8 with no control characters.
fn text_of(bytes: &[u8]) -> Option<String> {
	let text = std::str::from_utf8(bytes).ok()?;
	(!text.is_empty() && !text.chars().any(char::is_control)).then(|| text.to_string())
}

fn is_wide<T: 'static>(value: &Value<T>, types: Option<&Types>) -> bool {
	use scale_info::{TypeDef, TypeDefPrimitive};
	let Some(types) = types else { return false };
	let Some(id) = (&value.context as &dyn std::any::Any).downcast_ref::<u32>() else {
		return false;
	};
	let wide = |id: u32| {
		matches!(
			types.resolve(id).map(|t| &t.type_def),
			Some(TypeDef::Primitive(TypeDefPrimitive::U128 | TypeDefPrimitive::I128))
		)
	};
	match types.resolve(*id).map(|t| &t.type_def) {
		Some(TypeDef::Compact(compact)) => wide(compact.type_param.id),
		Some(_) => wide(*id),
		None => false,
	}
}

/// The last path segment of `value`'s type, when it carries a type id.
fn path_of<T: 'static>(value: &Value<T>, types: Option<&Types>) -> Option<String> {
	let types = types?;
	let id = (&value.context as &dyn std::any::Any).downcast_ref::<u32>()?;
	types.resolve(*id)?.path.segments.last().cloned()
}

/// Whether `value`'s type is bytes: a sequence or array of `u8`, or a newtype of one.
/// `None` without type information.
fn byte_type<T: 'static>(value: &Value<T>, types: Option<&Types>) -> Option<bool> {
	let types = types?;
	let id = (&value.context as &dyn std::any::Any).downcast_ref::<u32>()?;
	Some(is_byte_type(*id, types, 0))
}

fn is_byte_type(id: u32, types: &Types, depth: u8) -> bool {
	use scale_info::{TypeDef, TypeDefPrimitive};
	let Some(ty) = types.resolve(id) else { return false };
	let is_u8 = |id: u32| {
		matches!(
			types.resolve(id).map(|t| &t.type_def),
			Some(TypeDef::Primitive(TypeDefPrimitive::U8))
		)
	};
	match &ty.type_def {
		TypeDef::Sequence(seq) => is_u8(seq.type_param.id),
		TypeDef::Array(array) => is_u8(array.type_param.id),
		TypeDef::Composite(composite) if composite.fields.len() == 1 && depth < 4 => {
			is_byte_type(composite.fields[0].ty.id, types, depth + 1)
		}
		_ => false,
	}
}

/// The bytes of a composite whose every value, however nested, is a byte.
fn bytes_of<T>(composite: &Composite<T>) -> Option<Vec<u8>> {
	let mut bytes = Vec::new();
	for value in composite.values() {
		match &value.value {
			ValueDef::Primitive(Primitive::U128(n)) => bytes.push(u8::try_from(*n).ok()?),
			ValueDef::Composite(inner) => bytes.extend(bytes_of(inner)?),
			_ => return None,
		}
	}
	Some(bytes)
}

/// Whether `value`'s type is a sequence or an array (so never unwrapped as a newtype).
fn is_sequence<T: 'static>(value: &Value<T>, types: Option<&Types>) -> bool {
	use scale_info::TypeDef;
	let Some(types) = types else { return false };
	let Some(id) = (&value.context as &dyn std::any::Any).downcast_ref::<u32>() else {
		return false;
	};
	matches!(
		types.resolve(*id).map(|t| &t.type_def),
		Some(TypeDef::Sequence(_)) | Some(TypeDef::Array(_)) | Some(TypeDef::Tuple(_))
	)
}

fn composite_to_json<T: 'static>(
	composite: &Composite<T>,
	types: Option<&Types>,
	sequence: bool,
	display: bool,
) -> Json {
	match composite {
		Composite::Named(fields) => Json::Object(
			fields
				.iter()
				.map(|(name, value)| (name.clone(), convert(value, types, display)))
				.collect(),
		),
		Composite::Unnamed(values) => match (types, bytes_of(composite)) {
			// Without types, a list of small numbers: bytes, as hex.
			(None, Some(bytes)) if bytes.len() > 1 => json!(format!("0x{}", hex::encode(bytes))),
			// A newtype (`Percent`, `Perbill`, a bounded vector): its inner value.
			_ if values.len() == 1 && !sequence => convert(&values[0], types, display),
			_ => Json::Array(values.iter().map(|value| convert(value, types, display)).collect()),
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A value of `T` encoded, decoded with its type, as JSON.
	fn typed<T: codec::Encode + scale_info::TypeInfo + 'static>(value: &T) -> Json {
		convert_typed(value, to_json)
	}

	fn convert_typed<T: codec::Encode + scale_info::TypeInfo + 'static>(
		value: &T,
		convert: fn(&Value<u32>, &Types) -> Json,
	) -> Json {
		let mut registry = scale_info::Registry::new();
		let id = registry.register_type(&scale_info::meta_type::<T>()).id;
		let types: Types = registry.into();
		let bytes = value.encode();
		let decoded = subxt::ext::scale_value::scale::decode_as_type(&mut &bytes[..], id, &types)
			.expect("decodes");
		convert(&decoded, &types)
	}

	/// Fraction types named as the runtime's are.
	mod per_things {
		#[derive(codec::Encode, scale_info::TypeInfo)]
		pub struct Perbill(pub u32);
		#[derive(codec::Encode, scale_info::TypeInfo)]
		pub struct Percent(pub u8);
	}

	#[derive(codec::Encode, scale_info::TypeInfo)]
	struct Shown {
		fraction: per_things::Perbill,
		tiny: per_things::Perbill,
		exposure: per_things::Percent,
		statement: Vec<u8>,
		key: [u8; 4],
	}

	#[test]
	fn a_person_reads_fractions_as_percentages_and_text_as_text() {
		let shown = Shown {
			fraction: per_things::Perbill(100_000_000),
			tiny: per_things::Perbill(1_500_000),
			exposure: per_things::Percent(50),
			statement: "the echo was right".as_bytes().to_vec(),
			key: [1, 2, 3, 4],
		};
		assert_eq!(
			convert_typed(&shown, to_display_json),
			json!({
				"fraction": "10%",
				"tiny": "0.15%",
				"exposure": "50%",
				"statement": "the echo was right",
				// Bytes with control characters stay hex.
				"key": "0x01020304",
			})
		);
		// Scripts get the numbers and the bytes as they are.
		assert_eq!(
			typed(&shown),
			json!({
				"fraction": 100_000_000,
				"tiny": 1_500_000,
				"exposure": 50,
				"statement": format!("0x{}", hex::encode("the echo was right")),
				"key": "0x01020304",
			})
		);
	}

	#[derive(codec::Encode, scale_info::TypeInfo)]
	struct Sample {
		ids: Vec<u64>,
		one: Vec<u32>,
		name: Vec<u8>,
		hash: [u8; 4],
		owner: subxt::utils::AccountId32,
		maybe: Option<u32>,
		nothing: Option<u32>,
		percent: (u8,),
	}

	#[test]
	fn typed_values_follow_their_types() {
		let owner = subxt::utils::AccountId32([7; 32]);
		let sample = Sample {
			ids: vec![0, 1],
			one: vec![5],
			name: b"echo".to_vec(),
			hash: [0xab; 4],
			owner,
			maybe: Some(3),
			nothing: None,
			percent: (20,),
		};
		assert_eq!(
			typed(&sample),
			json!({
				// Lists of small numbers stay lists, even of one.
				"ids": [0, 1],
				"one": [5],
				"name": "0x6563686f",
				"hash": "0xabababab",
				"owner": owner.to_string(),
				"maybe": 3,
				"nothing": null,
				"percent": [20],
			})
		);
	}

	#[derive(codec::Encode, scale_info::TypeInfo)]
	struct Amounts {
		small: u128,
		large: u128,
		#[codec(compact)]
		compact: u128,
		count: u64,
	}

	#[test]
	fn balances_are_always_strings_and_counts_always_numbers() {
		let amounts = Amounts { small: 5, large: u128::MAX, compact: 7, count: 9 };
		assert_eq!(
			typed(&amounts),
			json!({
				"small": "5",
				"large": u128::MAX.to_string(),
				"compact": "7",
				"count": 9,
			})
		);
	}

	#[test]
	fn untyped_values_become_plain_json() {
		let value = Value::named_composite([
			("id", Value::u128(7)),
			("big", Value::u128(u128::MAX)),
			("hash", Value::from_bytes([0xab; 32])),
			("state", Value::unnamed_variant("Active", [])),
			("leaving", Value::named_variant("Leaving", [("at", Value::u128(9))])),
			("percent", Value::unnamed_composite([Value::u128(20)])),
			("list", Value::unnamed_composite([Value::u128(1), Value::bool(true)])),
		]);
		assert_eq!(
			untyped_to_json(&value),
			json!({
				"id": 7,
				"big": u128::MAX.to_string(),
				"hash": format!("0x{}", "ab".repeat(32)),
				"state": "Active",
				"leaving": { "Leaving": { "at": 9 } },
				"percent": 20,
				"list": [1, true],
			})
		);
	}
}
