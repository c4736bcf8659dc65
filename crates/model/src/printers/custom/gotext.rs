//! A JSON value as client-go's `JSONPath.PrintResults` writes it, which is
//! what a string column shows: scalars through Go's `fmt.Fprint`, maps and
//! lists through `encoding/json`.

use serde_json::{Number, Value};

/// The text of one value found by a column's path.
pub(super) fn print(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        // The server prints the nil it found through `reflect.ValueOf(nil)`.
        Value::Null => "<no value>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n, fmt_float),
        Value::Array(_) | Value::Object(_) => {
            let mut out = String::new();
            marshal(value, &mut out);
            out
        }
    }
}

/// The API server decodes integers as int64 and everything else (an integer
/// past int64 too) as float64.
fn number(n: &Number, float: fn(f64) -> String) -> String {
    match (n.as_i64(), n.as_f64()) {
        (Some(int), _) => int.to_string(),
        (None, Some(f)) => float(f),
        (None, None) => n.to_string(),
    }
}

/// Shortest digits and decimal exponent: `1.5e-7` is ("1.5", -7).
fn scientific(f: f64) -> (String, i32) {
    let text = format!("{f:e}");
    match text.split_once('e') {
        Some((mantissa, exp)) => (mantissa.to_string(), exp.parse().unwrap_or(0)),
        None => (text, 0),
    }
}

/// `%v` of a float64 (`%g`, shortest): an exponent from 1e+06 and below 1e-04.
fn fmt_float(f: f64) -> String {
    let (mantissa, exp) = scientific(f);
    if f != 0.0 && !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

/// `encoding/json`'s float64: an exponent from 1e+21 and below 1e-6.
fn json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let (mantissa, exp) = scientific(f);
        // `e-07` is trimmed to `e-7`; positive exponents are at least 21.
        if exp < 0 {
            format!("{mantissa}e-{}", -exp)
        } else {
            format!("{mantissa}e+{exp}")
        }
    } else {
        format!("{f}")
    }
}

/// `json.Marshal`: keys sorted, HTML characters escaped.
fn marshal(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n, json_float)),
        Value::String(text) => quote(text, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                marshal(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                quote(key, out);
                out.push(':');
                marshal(item, out);
            }
            out.push('}');
        }
    }
}

fn quote(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::print;

    #[test]
    fn scalars_print_as_go_fmt_does() {
        assert_eq!(print(&json!("red")), "red");
        assert_eq!(print(&json!(7)), "7");
        assert_eq!(print(&json!(-3)), "-3");
        assert_eq!(print(&json!(true)), "true");
        assert_eq!(print(&json!(null)), "<no value>");
        assert_eq!(print(&json!(0.5)), "0.5");
        assert_eq!(print(&json!(2.0)), "2");
        assert_eq!(print(&json!(123456.0)), "123456");
        assert_eq!(print(&json!(1e6)), "1e+06");
        assert_eq!(print(&json!(1234567.5)), "1.2345675e+06");
        assert_eq!(print(&json!(0.0001)), "0.0001");
        assert_eq!(print(&json!(0.00001)), "1e-05");
        assert_eq!(print(&json!(0.0)), "0");
        // Past int64 the server holds a float64.
        assert_eq!(print(&json!(u64::MAX)), "1.8446744073709552e+19");
    }

    #[test]
    fn maps_and_lists_print_as_go_json_does() {
        assert_eq!(
            print(&json!({"b": [1, 2.5, 1e21, 1e-7, 3.0], "a": "<x&y>", "c": null})),
            r#"{"a":"\u003cx\u0026y\u003e","b":[1,2.5,1e+21,1e-7,3],"c":null}"#
        );
        assert_eq!(print(&json!(["a\"b\\c\n\u{1}"])), r#"["a\"b\\c\n\u0001"]"#);
        assert_eq!(print(&json!([])), "[]");
        assert_eq!(print(&json!({})), "{}");
    }
}
