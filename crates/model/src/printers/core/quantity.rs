//! `resource.Quantity.String()`: a quantity in its canonical form, the way the
//! printers write capacities and quota amounts (`1Gi`, `500m`, `1k`, `1536`).
//!
//! Values are held exactly in nano-units, which is the precision
//! `ParseQuantity` keeps (it rounds anything finer up to the next nano-unit).

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalSi,
    DecimalExponent,
    BinarySi,
}

const NANOS_PER_UNIT: i128 = 1_000_000_000;

/// The quantity at a JSON field as `Quantity.String()` prints it: `0` when
/// absent (Go's zero Quantity), the text as given when it does not parse.
pub fn quantity_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => canonical(text).unwrap_or_else(|| text.clone()),
        // Quantity's UnmarshalJSON also takes a bare JSON number.
        Some(Value::Number(number)) => {
            let text = number.to_string();
            canonical(&text).unwrap_or(text)
        }
        _ => "0".to_string(),
    }
}

/// `ParseQuantity(text).String()`, or `None` when `ParseQuantity` fails (or
/// the value is beyond what is held here).
pub fn canonical(text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    if text == "0" {
        return Some("0".to_string());
    }
    let (positive, num, denom, suffix) = split(text)?;
    let (base, exponent, format) = interpret(suffix)?;
    if keeps_text(num, denom, exponent, format) {
        // ParseQuantity caches a string it finds already canonical, and
        // String() returns it as given (sign and all).
        return Some(text.to_string());
    }
    let magnitude = nanos(num, denom, base, exponent)?;
    if magnitude == 0 {
        return Some("0".to_string());
    }
    let sign = if positive { "" } else { "-" };
    let binary = format == Format::BinarySi
        && magnitude >= 1024 * NANOS_PER_UNIT
        && magnitude % NANOS_PER_UNIT == 0;
    if binary {
        let (mantissa, times) = remove_factors(magnitude / NANOS_PER_UNIT, 1024);
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
            .get(times as usize)
            .copied()
            .unwrap_or_default();
        return Some(format!("{sign}{mantissa}{suffix}"));
    }
    // A BinarySI value below 1024 or with a fraction is written in DecimalSI.
    let (mut mantissa, times) = remove_factors(magnitude, 10);
    let mut exponent = times - 9;
    while exponent % 3 != 0 {
        mantissa *= 10;
        exponent -= 1;
    }
    let suffix = match format {
        Format::DecimalExponent if exponent == 0 => String::new(),
        Format::DecimalExponent => format!("e{exponent}"),
        _ => decimal_suffix(exponent).to_string(),
    };
    Some(format!("{sign}{mantissa}{suffix}"))
}

/// `parseQuantityString`: sign, numerator (leading zeros dropped),
/// denominator and suffix.
fn split(text: &str) -> Option<(bool, &str, &str, &str)> {
    let bytes = text.as_bytes();
    let end = bytes.len();
    let mut pos = 0;
    let mut positive = true;
    match bytes.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    while pos < end && bytes[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Some((positive, "0", "", ""));
    }
    let start = pos;
    while pos < end && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = if pos == start { "0" } else { &text[start..pos] };
    if pos >= end {
        return Some((positive, num, "", ""));
    }
    let mut denom = "";
    if bytes[pos] == b'.' {
        pos += 1;
        let start = pos;
        while pos < end && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &text[start..pos];
        if pos >= end {
            return Some((positive, num, denom, ""));
        }
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&bytes[pos]) {
        pos += 1;
    }
    if pos < end && (bytes[pos] == b'-' || bytes[pos] == b'+') {
        pos += 1;
    }
    while pos < end && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    (pos >= end).then_some((positive, num, denom, &text[suffix_start..]))
}

/// The suffix's base, exponent and format (`quantitySuffixer.interpret`).
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let decimal = |exponent| Some((10, exponent, Format::DecimalSi));
    let binary = |exponent| Some((2, exponent, Format::BinarySi));
    match suffix {
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "" => decimal(0),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ if suffix.len() > 1 && suffix.starts_with(['e', 'E']) => {
            let exponent: i64 = suffix[1..].parse().ok()?;
            Some((10, i32::try_from(exponent).ok()?, Format::DecimalExponent))
        }
        _ => None,
    }
}

/// Whether `ParseQuantity` takes its fast path and keeps the text as the
/// quantity's canonical string.
fn keeps_text(num: &str, denom: &str, exponent: i32, format: Format) -> bool {
    let digits = i32::try_from(num.len() + denom.len()).unwrap_or(i32::MAX);
    let precision = match format {
        Format::BinarySi if exponent >= 0 && denom.is_empty() => {
            // Go: 15 - len(num) - int32(float32(exponent)*3/10) - 1
            15 - digits - exponent * 3 / 10 - 1
        }
        Format::BinarySi => -1,
        _ => 18 - digits,
    };
    if precision < 0 {
        return false;
    }
    let scale = match format {
        Format::BinarySi => 0,
        _ => exponent,
    } - i32::try_from(denom.len()).unwrap_or(i32::MAX);
    if scale < -9 {
        return false;
    }
    let shifted = format!("{num}{denom}");
    let Ok(value) = shifted.parse::<i64>() else {
        return false;
    };
    match format {
        Format::BinarySi => {
            let fits = 1i64
                .checked_shl(exponent as u32)
                .and_then(|m| value.checked_mul(m))
                .is_some();
            fits && exponent % 10 == 0 && value & 0x07 != 0
        }
        _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
    }
}

/// The magnitude in nano-units, rounded up as `ParseQuantity` rounds.
fn nanos(num: &str, denom: &str, base: u32, exponent: i32) -> Option<i128> {
    let digits: i128 = format!("{num}{denom}").parse().ok()?;
    let denom_len = i32::try_from(denom.len()).ok()?;
    let (numerator, shift) = if base == 2 {
        let factor = 1i128.checked_shl(u32::try_from(exponent).ok()?)?;
        (digits.checked_mul(factor)?, 9 - denom_len)
    } else {
        (digits, exponent - denom_len + 9)
    };
    if shift >= 0 {
        return numerator.checked_mul(10i128.checked_pow(shift.unsigned_abs())?);
    }
    let Some(divisor) = 10i128.checked_pow(shift.unsigned_abs()) else {
        return Some(i128::from(numerator > 0));
    };
    Some(numerator / divisor + i128::from(numerator % divisor != 0))
}

/// `removeInt64Factors`: divides `base` out while it divides evenly.
fn remove_factors(mut value: i128, base: i128) -> (i128, i32) {
    let mut times = 0;
    while value >= base && value % base == 0 {
        value /= base;
        times += 1;
    }
    (value, times)
}

/// The DecimalSI suffix of an exponent; Go writes none past `E`.
fn decimal_suffix(exponent: i32) -> &'static str {
    match exponent {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_match_apimachinery() {
        let cases = [
            ("0", "0"),
            ("0Gi", "0"),
            ("0.0", "0"),
            ("1Gi", "1Gi"),
            ("10Gi", "10Gi"),
            ("1024Mi", "1Gi"),
            ("1536Mi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("1.5Ki", "1536"),
            ("100Ki", "100Ki"),
            ("512", "512"),
            ("1000", "1k"),
            ("1500m", "1500m"),
            ("0.5", "500m"),
            ("1.5k", "1500"),
            ("100M", "100M"),
            ("2e3", "2e3"),
            ("2e2", "200"),
            ("1e-12", "1e-9"),
            ("0.0000000001", "1n"),
            ("-2048", "-2048"),
            ("-2Ki", "-2Ki"),
            ("+5", "+5"),
            ("5Gi", "5Gi"),
            ("20G", "20G"),
            ("3", "3"),
        ];
        for (input, want) in cases {
            assert_eq!(canonical(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn unparsable_quantities_are_refused() {
        for input in ["", "1Zi", "1.2.3", "abc", "1e", "1ee3"] {
            assert_eq!(canonical(input), None, "{input}");
        }
    }

    #[test]
    fn json_fields() {
        assert_eq!(quantity_text(None), "0");
        assert_eq!(quantity_text(Some(&Value::from("2048Mi"))), "2Gi");
        assert_eq!(quantity_text(Some(&Value::from(5))), "5");
        assert_eq!(quantity_text(Some(&Value::from("bogus"))), "bogus");
    }
}
