//! autoscaling: HorizontalPodAutoscaler, read in its v2 shape
//! (`spec.metrics`, `status.currentMetrics`), which is the internal one.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{int_at, str_at, text};
use crate::printers::columns::name_of;
use crate::printers::{ColumnDef, ColumnType, Printer, age_column, age_text, col, name_column};

const STRING: ColumnType = ColumnType::String;

pub const HORIZONTAL_POD_AUTOSCALER: Printer = Printer {
    group: "autoscaling",
    kind: "HorizontalPodAutoscaler",
    columns,
    row,
};

fn columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Reference",
            STRING,
            0,
            "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.",
        ),
        col(
            "Targets",
            STRING,
            0,
            "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.",
        ),
        col(
            "MinPods",
            STRING,
            0,
            "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.",
        ),
        col(
            "MaxPods",
            STRING,
            0,
            "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.",
        ),
        col(
            "Replicas",
            STRING,
            0,
            "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.",
        ),
        age_column(),
    ]
}

fn row(object: &Value, now: Timestamp) -> Vec<Value> {
    let reference = format!(
        "{}/{}",
        str_at(object, "/spec/scaleTargetRef/kind"),
        str_at(object, "/spec/scaleTargetRef/name")
    );
    let min_pods = match object.pointer("/spec/minReplicas").and_then(Value::as_i64) {
        Some(min) => min.to_string(),
        None => "<unset>".to_string(),
    };
    vec![
        text(name_of(object)),
        text(reference),
        text(format_metrics(object)),
        text(min_pods),
        json!(int_at(object, "/spec/maxReplicas")),
        json!(int_at(object, "/status/currentReplicas")),
        text(age_text(object, now)),
    ]
}

fn array<'a>(object: &'a Value, pointer: &str) -> &'a [Value] {
    object
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// `formatHPAMetrics`: each metric as current/target, the current one being
/// the status at the same index when it has the same source set; two of them,
/// then how many more.
fn format_metrics(object: &Value) -> String {
    let specs = array(object, "/spec/metrics");
    if specs.is_empty() {
        return "<none>".to_string();
    }
    let statuses = array(object, "/status/currentMetrics");
    let list: Vec<String> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| format_metric(spec, statuses.get(i).unwrap_or(&Value::Null)))
        .collect();
    const MAX: usize = 2;
    if list.len() > MAX {
        format!("{} + {} more...", list[..MAX].join(", "), list.len() - MAX)
    } else {
        list.join(", ")
    }
}

fn format_metric(spec: &Value, status: &Value) -> String {
    // The status's source of the same type, when it has one (Go's
    // `statuses[i].X != nil`).
    let current = |field: &str| status.get(field).filter(|v| !v.is_null());
    let unknown = || "<unknown>".to_string();
    match spec.get("type").and_then(Value::as_str).unwrap_or_default() {
        "External" => value_or_average(spec, "external", current("external")),
        "Object" => value_or_average(spec, "object", current("object")),
        "Pods" => {
            let current = current("pods")
                .map_or_else(unknown, |s| quantity(s.pointer("/current/averageValue")));
            let target = quantity(spec.pointer("/pods/target/averageValue"));
            format!("{current}/{target}")
        }
        kind @ ("Resource" | "ContainerResource") => {
            let field = if kind == "Resource" {
                "resource"
            } else {
                "containerResource"
            };
            let source = spec.get(field).unwrap_or(&Value::Null);
            let name = str_at(source, "/name");
            if let Some(average) = present(source.pointer("/target/averageValue")) {
                let current = current(field)
                    .map_or_else(unknown, |s| quantity(s.pointer("/current/averageValue")));
                format!("{name}: {current}/{}", quantity(Some(average)))
            } else {
                let current = current(field)
                    .and_then(|s| s.pointer("/current/averageUtilization"))
                    .and_then(Value::as_i64)
                    .map_or_else(unknown, |u| format!("{u}%"));
                let target = source
                    .pointer("/target/averageUtilization")
                    .and_then(Value::as_i64)
                    .map_or_else(|| "<auto>".to_string(), |u| format!("{u}%"));
                format!("{name}: {current}/{target}")
            }
        }
        _ => "<unknown type>".to_string(),
    }
}

/// External and Object metrics: against an average value when the target
/// has one (`(avg)`), else against a value.
fn value_or_average(spec: &Value, field: &str, current: Option<&Value>) -> String {
    let target = spec.get(field).and_then(|s| s.get("target"));
    if let Some(average) = present(target.and_then(|t| t.get("averageValue"))) {
        let current = current
            .and_then(|s| present(s.pointer("/current/averageValue")))
            .map_or_else(|| "<unknown>".to_string(), |q| quantity(Some(q)));
        format!("{current}/{} (avg)", quantity(Some(average)))
    } else {
        let current = current.map_or_else(
            || "<unknown>".to_string(),
            |s| quantity(s.pointer("/current/value")),
        );
        format!(
            "{current}/{}",
            quantity(target.and_then(|t| t.get("value")))
        )
    }
}

fn present(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

/// `(*resource.Quantity).String()`: `<nil>` for a nil pointer, else the
/// canonical form the server prints (a quantity read from JSON keeps no text).
fn quantity(value: Option<&Value>) -> String {
    match present(value) {
        None => "<nil>".to_string(),
        Some(Value::String(s)) => canonical_quantity(s).unwrap_or_else(|| s.clone()),
        Some(Value::Number(n)) => {
            let s = n.to_string();
            canonical_quantity(&s).unwrap_or(s)
        }
        Some(other) => other.to_string(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

/// `resource.ParseQuantity` then `CanonicalizeBytes`, for the quantities that
/// fit an i128 mantissa; `None` when the text is not one (left as written).
pub(super) fn canonical_quantity(text: &str) -> Option<String> {
    let text = text.trim();
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let number_end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (number, suffix) = body.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return None;
    }
    // value = mantissa * 10^exp10 * 2^exp2
    let mut mantissa: i128 = format!("{whole}{fraction}").parse().ok()?;
    let mut exp10 = -i32::try_from(fraction.len()).ok()?;
    let (format, exp2) = match suffix {
        "Ki" => (Format::BinarySI, 10),
        "Mi" => (Format::BinarySI, 20),
        "Gi" => (Format::BinarySI, 30),
        "Ti" => (Format::BinarySI, 40),
        "Pi" => (Format::BinarySI, 50),
        "Ei" => (Format::BinarySI, 60),
        _ => {
            let (format, exp) = decimal_suffix(suffix)?;
            exp10 += exp;
            (format, 0)
        }
    };
    mantissa = mantissa.checked_mul(1i128.checked_shl(exp2)?)?;
    // Non-zero amounts round up to the nano.
    if exp10 < -9 && mantissa != 0 {
        let divisor = 10i128.checked_pow(u32::try_from(-9 - exp10).ok()?)?;
        mantissa = (mantissa + divisor - 1) / divisor;
        exp10 = -9;
    }
    if mantissa == 0 {
        return Some("0".to_string());
    }
    while mantissa % 10 == 0 {
        mantissa /= 10;
        exp10 += 1;
    }
    let sign = if negative { "-" } else { "" };
    let mut format = format;
    if format == Format::BinarySI {
        // Below 1024, or not a whole number, a binary quantity prints as
        // decimal: that avoids rounding.
        let whole = u32::try_from(exp10)
            .ok()
            .and_then(|e| 10i128.checked_pow(e))
            .and_then(|p| mantissa.checked_mul(p));
        match whole {
            Some(mut value) if value >= 1024 => {
                let mut exponent = 0;
                while value % 1024 == 0 {
                    value /= 1024;
                    exponent += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].get(exponent)?;
                return Some(format!("{sign}{value}{suffix}"));
            }
            _ => format = Format::DecimalSI,
        }
    }
    // SI suffixes step by powers of a thousand.
    match exp10.rem_euclid(3) {
        1 => {
            mantissa = mantissa.checked_mul(10)?;
            exp10 -= 1;
        }
        2 => {
            mantissa = mantissa.checked_mul(100)?;
            exp10 -= 2;
        }
        _ => {}
    }
    let suffix = if format == Format::DecimalExponent {
        if exp10 == 0 {
            String::new()
        } else {
            format!("e{exp10}")
        }
    } else {
        let suffixes = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];
        let index = usize::try_from(exp10 / 3 + 3).ok()?;
        suffixes.get(index)?.to_string()
    };
    Some(format!("{sign}{mantissa}{suffix}"))
}

/// A decimal SI suffix or an `e`/`E` exponent: its format and power of ten.
fn decimal_suffix(suffix: &str) -> Option<(Format, i32)> {
    let exp = match suffix {
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "" => 0,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        _ => {
            let digits = suffix.strip_prefix(['e', 'E'])?;
            return Some((Format::DecimalExponent, digits.parse().ok()?));
        }
    };
    Some((Format::DecimalSI, exp))
}
