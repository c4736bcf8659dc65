//! A Table as the server returns it, and cells as kubectl prints them.

use serde_json::{Value, json};

use super::columns::ColumnDef;

/// The rows of a Table: each object's cells, and the object itself for the
/// row's `object` field.
pub struct TableRows<'a> {
    pub columns: Vec<ColumnDef>,
    pub rows: Vec<(Vec<Value>, &'a Value)>,
}

/// How much of each object a Table row carries (`includeObject`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeObject {
    None,
    /// `PartialObjectMetadata`: the default.
    Metadata,
    Object,
}

/// The `meta.k8s.io/v1` Table body. `with_columns` is false for watch events
/// after the first, which carry `columnDefinitions: null`.
pub fn table_json(
    table: &TableRows<'_>,
    resource_version: &str,
    include: IncludeObject,
    with_columns: bool,
    continue_token: Option<&str>,
) -> Value {
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|(cells, object)| {
            let mut row = json!({ "cells": cells });
            match include {
                IncludeObject::None => {}
                IncludeObject::Object => row["object"] = (*object).clone(),
                IncludeObject::Metadata => {
                    row["object"] = json!({
                        "kind": "PartialObjectMetadata",
                        "apiVersion": "meta.k8s.io/v1",
                        "metadata": object.get("metadata").cloned().unwrap_or(Value::Null),
                    })
                }
            }
            row
        })
        .collect();
    let mut metadata = json!({ "resourceVersion": resource_version });
    if let Some(token) = continue_token {
        metadata["continue"] = json!(token);
    }
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": metadata,
        "columnDefinitions": if with_columns { json!(table.columns) } else { Value::Null },
        "rows": rows,
    })
}

/// A cell as `kubectl get` prints it: `<none>` for null, text as the server
/// wrote it (a date column's RFC 3339 time too: `CREATED AT`; a custom
/// resource's date column is already an age), numbers and booleans as written.
pub fn cell_text(cell: &Value) -> String {
    match cell {
        Value::Null => "<none>".to_string(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(cell_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}
