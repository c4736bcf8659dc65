//! Column definitions as a Table declares them, and the cells every printer
//! shares (name, age).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::age::age_since;

/// A column's type, as the Table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    String,
    Integer,
    Number,
    Boolean,
    Date,
}

/// One `columnDefinitions` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnDef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ColumnType,
    pub format: String,
    pub description: String,
    /// 0: always shown; 1 and more: only with `-o wide`.
    pub priority: i32,
}

/// A column with no format.
pub fn col(name: &str, kind: ColumnType, priority: i32, description: &str) -> ColumnDef {
    ColumnDef {
        name: name.to_string(),
        kind,
        format: String::new(),
        description: description.to_string(),
        priority,
    }
}

pub const NAME_DOC: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

pub const CREATION_TIMESTAMP_DOC: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/// The first column of every Table.
pub fn name_column() -> ColumnDef {
    ColumnDef {
        format: "name".to_string(),
        ..col("Name", ColumnType::String, 0, NAME_DOC)
    }
}

/// kubectl's AGE: a string the server computes when it answers.
pub fn age_column() -> ColumnDef {
    col("Age", ColumnType::String, 0, CREATION_TIMESTAMP_DOC)
}

pub fn name_of(object: &Value) -> &str {
    object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The object's age as kubectl prints it (`translateTimestampSince`):
/// `<unknown>` without a creationTimestamp.
pub fn age_text(object: &Value, now: Timestamp) -> String {
    let created = object
        .pointer("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<Timestamp>().ok());
    match created {
        Some(at) => age_since(Some(at), now),
        None => "<unknown>".to_string(),
    }
}
