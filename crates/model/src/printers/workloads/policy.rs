//! policy: PodDisruptionBudget.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{int_at, text};
use crate::printers::columns::name_of;
use crate::printers::{ColumnDef, ColumnType, Printer, age_column, age_text, col, name_column};

pub const POD_DISRUPTION_BUDGET: Printer = Printer {
    group: "policy",
    kind: "PodDisruptionBudget",
    columns,
    row,
};

fn columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Min Available",
            ColumnType::String,
            0,
            "The minimum number of pods that must be available.",
        ),
        col(
            "Max Unavailable",
            ColumnType::String,
            0,
            "The maximum number of pods that may be unavailable.",
        ),
        col(
            "Allowed Disruptions",
            ColumnType::Integer,
            0,
            "Calculated number of pods that may be disrupted at this time.",
        ),
        age_column(),
    ]
}

fn row(object: &Value, now: Timestamp) -> Vec<Value> {
    vec![
        text(name_of(object)),
        text(int_or_string(object.pointer("/spec/minAvailable"))),
        text(int_or_string(object.pointer("/spec/maxUnavailable"))),
        json!(int_at(object, "/status/disruptionsAllowed")),
        text(age_text(object, now)),
    ]
}

/// `intstr.IntOrString.String()` of an optional field, `N/A` when unset.
fn int_or_string(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "N/A".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
