//! Kubernetes resource quantities (`250m`, `1.5Gi`, `2e3`), parsed to milli-units
//! the way `resource.Quantity.MilliValue()` does: exact, rounded up.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError(pub String);

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid quantity {:?}", self.0)
    }
}

impl std::error::Error for QuantityError {}

/// The quantity in thousandths of its unit (millicores for cpu, millibytes for
/// memory), rounded up like Kubernetes does.
pub fn parse_milli(text: &str) -> Result<i128, QuantityError> {
    let err = || QuantityError(text.to_string());
    let s = text.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(split);
    if number.is_empty() {
        return Err(err());
    }
    let (negative, unsigned) = match number.as_bytes()[0] {
        b'-' => (true, &number[1..]),
        b'+' => (false, &number[1..]),
        _ => (false, number),
    };
    let (int_part, frac_part) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(err());
    }
    let mut digits: i128 = 0;
    for b in int_part.bytes().chain(frac_part.bytes()) {
        digits = digits
            .checked_mul(10)
            .and_then(|d| d.checked_add(i128::from(b - b'0')))
            .ok_or_else(err)?;
    }
    let frac_len = u32::try_from(frac_part.len()).map_err(|_| err())?;

    // value = digits / 10^frac_len * 2^binary_pow * 10^decimal_pow
    let (binary_pow, decimal_pow): (u32, i32) = match suffix {
        "" => (0, 0),
        "n" => (0, -9),
        "u" => (0, -6),
        "m" => (0, -3),
        "k" => (0, 3),
        "M" => (0, 6),
        "G" => (0, 9),
        "T" => (0, 12),
        "P" => (0, 15),
        "E" => (0, 18),
        "Ki" => (10, 0),
        "Mi" => (20, 0),
        "Gi" => (30, 0),
        "Ti" => (40, 0),
        "Pi" => (50, 0),
        "Ei" => (60, 0),
        exp if exp.starts_with(['e', 'E']) => (0, exp[1..].parse::<i32>().map_err(|_| err())?),
        _ => return Err(err()),
    };
    // Milli-units add three decimal places.
    let scale = decimal_pow + 3 - i32::try_from(frac_len).map_err(|_| err())?;
    let mut numerator = digits.checked_mul(1i128 << binary_pow).ok_or_else(err)?;
    let mut denominator: i128 = 1;
    if scale >= 0 {
        numerator = numerator
            .checked_mul(10i128.checked_pow(scale.unsigned_abs()).ok_or_else(err)?)
            .ok_or_else(err)?;
    } else {
        denominator = 10i128.checked_pow(scale.unsigned_abs()).ok_or_else(err)?;
    }
    let milli = numerator / denominator + i128::from(numerator % denominator != 0);
    Ok(if negative { -milli } else { milli })
}

/// Millicores as kubectl describe prints them: `250m`, or whole cores `2`.
pub fn format_cpu_milli(milli: i128) -> String {
    if milli % 1000 == 0 {
        format!("{}", milli / 1000)
    } else {
        format!("{milli}m")
    }
}

/// Bytes (given in milli-bytes) in the largest binary unit that keeps one decimal.
pub fn format_memory_milli(milli: i128) -> String {
    let bytes = milli / 1000;
    const UNITS: [(&str, i128); 4] = [
        ("Ti", 1 << 40),
        ("Gi", 1 << 30),
        ("Mi", 1 << 20),
        ("Ki", 1 << 10),
    ];
    for (unit, size) in UNITS {
        if bytes >= size {
            let tenths = bytes * 10 / size;
            return if tenths % 10 == 0 {
                format!("{}{unit}", tenths / 10)
            } else {
                format!("{}.{}{unit}", tenths / 10, tenths % 10)
            };
        }
    }
    format!("{bytes}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_suffix_family() {
        let cases: &[(&str, i128)] = &[
            ("250m", 250),
            ("1", 1000),
            ("1.5", 1500),
            ("0.1", 100),
            (".5", 500),
            ("2k", 2_000_000),
            ("1Ki", 1_024_000),
            ("128Mi", 128 * 1024 * 1024 * 1000),
            ("1.5Gi", 1_610_612_736_000),
            ("1e3", 1_000_000),
            ("1E-3", 1),
            ("100n", 1), // rounds up, as MilliValue does
            ("1u", 1),
            ("-1", -1000),
            ("+2", 2000),
            ("16373776Ki", 16_373_776 * 1024 * 1000),
        ];
        for (text, want) in cases {
            assert_eq!(parse_milli(text), Ok(*want), "{text}");
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "m", "abc", "1.2.3", "1Qi", "--1", "1e", "12 Mi"] {
            assert!(parse_milli(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn formats_for_humans() {
        assert_eq!(format_cpu_milli(2000), "2");
        assert_eq!(format_cpu_milli(1250), "1250m");
        assert_eq!(format_memory_milli(128 * 1024 * 1024 * 1000), "128Mi");
        assert_eq!(format_memory_milli(1_610_612_736_000), "1.5Gi");
        assert_eq!(format_memory_milli(512_000), "512");
    }
}
