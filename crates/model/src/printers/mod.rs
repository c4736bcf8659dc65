//! kubectl's printers: for each kind the columns and cells the API server puts
//! in a `meta.k8s.io/v1` Table (`pkg/printers/internalversion/printers.go`),
//! and for custom resources the columns their CRD declares. One code path:
//! the simulator serves these Tables, the app draws them for live, demo and
//! snapshot sources, `render KIND` prints them.
//!
//! Objects come in as JSON (any kind, any version); cells go out as the Table
//! carries them: strings, integers, numbers, booleans or null.

mod columns;
mod core;
mod custom;
mod jsonpath;
mod rbac;
mod table;
mod workloads;

use jiff::Timestamp;
use serde_json::Value;

pub use columns::{ColumnDef, ColumnType, age_column, age_text, col, name_column};
pub use custom::CustomColumns;
pub use jsonpath::{JsonPath, JsonPathError};
pub use table::{IncludeObject, TableRows, cell_text, table_json};

/// The printer of one built-in kind.
pub struct Printer {
    /// API group (`""` for core).
    pub group: &'static str,
    pub kind: &'static str,
    pub columns: fn() -> Vec<ColumnDef>,
    /// The cells of one object, one per column, at `now` (for ages).
    pub row: fn(&Value, Timestamp) -> Vec<Value>,
}

/// Every built-in printer.
fn all() -> impl Iterator<Item = &'static Printer> {
    workloads::PRINTERS
        .iter()
        .chain(core::PRINTERS)
        .chain(rbac::PRINTERS)
}

/// The printer kubectl (and the API server) has for `group`/`kind`, if any.
pub fn builtin(group: &str, kind: &str) -> Option<&'static Printer> {
    all().find(|p| p.group == group && p.kind == kind)
}

/// The kinds that have a printer, as (group, kind).
pub fn builtin_kinds() -> Vec<(&'static str, &'static str)> {
    all().map(|p| (p.group, p.kind)).collect()
}

/// The API server's default Table for a kind without a printer
/// (`DefaultTableConvertor`): Name and Created At.
pub fn default_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Created At",
            ColumnType::Date,
            0,
            columns::CREATION_TIMESTAMP_DOC,
        ),
    ]
}

pub fn default_row(object: &Value, _now: Timestamp) -> Vec<Value> {
    vec![
        Value::String(columns::name_of(object).to_string()),
        object
            .pointer("/metadata/creationTimestamp")
            .cloned()
            .unwrap_or(Value::Null),
    ]
}

#[cfg(test)]
mod tests;
