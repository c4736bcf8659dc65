//! Custom resources' columns, as the apiextensions server (v1.32) builds them
//! (`pkg/apiserver/helpers.go`, `pkg/registry/customresource/tableconvertor`):
//! Name, then the served version's additionalPrinterColumns, or an Age column
//! when the CRD declares none. A cell is the first value the column's path
//! finds, converted to the column's type; nothing found is `null`.

mod gotext;

use std::sync::LazyLock;

use jiff::Timestamp;
use regex::Regex;
use serde_json::Value;

use super::columns::{CREATION_TIMESTAMP_DOC, ColumnDef, ColumnType, col, name_column, name_of};
use super::jsonpath::JsonPath;
use crate::age::age_since;

/// The columns of one version of a CRD, each with the path its cells read.
pub struct CustomColumns {
    /// `None` for the Name column, which reads `metadata.name`.
    pub columns: Vec<(ColumnDef, Option<JsonPath>)>,
}

impl CustomColumns {
    /// The columns `crd` declares for `version` (Name first).
    pub fn of_crd(crd: &Value, version: &str) -> CustomColumns {
        let mut columns = vec![(name_column(), None)];
        for declared in &declared_columns(crd, version) {
            let path = declared
                .get("jsonPath")
                .or_else(|| declared.get("JSONPath"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            // The server keeps the columns before one it cannot parse (CRD
            // validation makes that rare) and falls back to them.
            let Ok(parsed) = JsonPath::parse(path) else {
                break;
            };
            columns.push((column_def(declared, path), Some(parsed)));
        }
        CustomColumns { columns }
    }

    pub fn defs(&self) -> Vec<ColumnDef> {
        self.columns.iter().map(|(c, _)| c.clone()).collect()
    }

    /// The cells of one custom resource at `now` (date columns are ages).
    pub fn row(&self, object: &Value, now: Timestamp) -> Vec<Value> {
        self.columns
            .iter()
            .map(|(def, path)| match path {
                None => Value::String(name_of(object).to_string()),
                Some(path) => cell(def.kind, path.find(object).into_iter().next(), now),
            })
            .collect()
    }
}

/// The version's columns; for a CRD written as v1beta1, the CRD-level ones
/// (the server converts those into every version); else the default Age.
fn declared_columns(crd: &Value, version: &str) -> Vec<Value> {
    let non_empty = |columns: Option<&Value>| {
        columns
            .and_then(Value::as_array)
            .filter(|list| !list.is_empty())
            .cloned()
    };
    let spec = crd.get("spec");
    let of_version = spec
        .and_then(|s| s.get("versions"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(version))
        .and_then(|v| non_empty(v.get("additionalPrinterColumns")));
    of_version
        .or_else(|| non_empty(spec.and_then(|s| s.get("additionalPrinterColumns"))))
        .unwrap_or_else(|| {
            vec![serde_json::json!({
                "name": "Age",
                "type": "date",
                "description": CREATION_TIMESTAMP_DOC,
                "jsonPath": ".metadata.creationTimestamp",
            })]
        })
}

fn column_def(declared: &Value, path: &str) -> ColumnDef {
    let text = |key: &str| {
        declared
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    // CRD validation admits only these types.
    let kind = match text("type") {
        "integer" => ColumnType::Integer,
        "number" => ColumnType::Number,
        "boolean" => ColumnType::Boolean,
        "date" => ColumnType::Date,
        _ => ColumnType::String,
    };
    let description = match text("description") {
        "" => format!("Custom resource definition column (in JSONPath format): {path}"),
        given => given.to_string(),
    };
    let priority = declared
        .get("priority")
        .and_then(Value::as_i64)
        .and_then(|p| i32::try_from(p).ok())
        .unwrap_or(0);
    ColumnDef {
        format: text("format").to_string(),
        ..col(text("name"), kind, priority, &description)
    }
}

/// `cellForJSONValue`, and for string columns the text `kubectl -o jsonpath`
/// would print (so a number or a map shows, and a `null` is `<no value>`).
fn cell(kind: ColumnType, found: Option<Value>, now: Timestamp) -> Value {
    let Some(value) = found else {
        return Value::Null;
    };
    match (kind, value) {
        (ColumnType::String, value) => Value::String(gotext::print(&value)),
        (ColumnType::Integer, Value::Number(n)) => n
            .as_i64()
            // Go converts a float64 to int64 by truncation.
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map_or(Value::Null, Value::from),
        (ColumnType::Number, Value::Number(n)) => n.as_f64().map_or(Value::Null, float_cell),
        (ColumnType::Boolean, Value::Bool(b)) => Value::Bool(b),
        (ColumnType::Date, Value::String(text)) => Value::String(date_cell(&text, now)),
        _ => Value::Null,
    }
}

/// A float64 as Go's encoder writes it: `7`, not `7.0`, for a whole number.
fn float_cell(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e18 {
        Value::from(f as i64)
    } else {
        Value::from(f)
    }
}

static RFC3339: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
        .expect("a valid pattern")
});

/// Go's zero `time.Time`, 0001-01-01T00:00:00Z, which prints as `<unknown>`.
const GO_ZERO_TIME: i64 = -62_135_596_800;

/// A date column's cell: the age of the time it names (`metav1.Time`'s
/// `UnmarshalQueryParameter`, then `ConvertToHumanReadableDateType`).
fn date_cell(text: &str, now: Timestamp) -> String {
    if text.is_empty() || text == "null" {
        return "<unknown>".to_string();
    }
    let parsed = Some(text)
        .filter(|t| RFC3339.is_match(t))
        .and_then(|t| t.parse::<Timestamp>().ok());
    match parsed {
        None => "<invalid>".to_string(),
        Some(at) if at.as_second() == GO_ZERO_TIME && at.subsec_nanosecond() == 0 => {
            "<unknown>".to_string()
        }
        Some(at) => age_since(Some(at), now),
    }
}

#[cfg(test)]
mod tests;
