//! Server-side printing: a list, a get or a watch asked for as a
//! `meta.k8s.io` Table (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`,
//! as kubectl asks) is answered with kubectl's columns for the kind, computed
//! by the model's printers (the same the app draws), as `wire/70`–`79` show.

use jiff::Timestamp;
use serde_json::Value;

use kubesight_model::printers::{self, ColumnDef, IncludeObject, TableRows, table_json};

use super::query::Query;
use super::resources::Resource;
use super::status::Status;

/// A request's wish for a Table: which version, and how much of each object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableRequest {
    /// `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`.
    pub api_version: &'static str,
    pub include: IncludeObject,
}

/// The Table the Accept header asks for, if its first acceptable media type is
/// one; plain JSON (or anything else first) means the object itself.
pub fn requested(accept: &str, query: &Query) -> Result<Option<TableRequest>, Status> {
    let mut api_version = None;
    for entry in accept.split(',') {
        let mut parts = entry.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default();
        if media != "application/json" {
            if matches!(media, "*/*" | "application/*") {
                break;
            }
            continue;
        }
        let params: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once('=')).collect();
        let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        match (param("as"), param("g"), param("v")) {
            (None, None, None) => break,
            (Some("Table"), Some("meta.k8s.io"), Some("v1")) => {
                api_version = Some("meta.k8s.io/v1");
                break;
            }
            (Some("Table"), Some("meta.k8s.io"), Some("v1beta1")) => {
                api_version = Some("meta.k8s.io/v1beta1");
                break;
            }
            _ => continue,
        }
    }
    let Some(api_version) = api_version else {
        return Ok(None);
    };
    let include = match query.get("includeObject").unwrap_or_default() {
        "" | "Metadata" => IncludeObject::Metadata,
        "Object" => IncludeObject::Object,
        "None" => IncludeObject::None,
        other => {
            return Err(Status::bad_request(format!(
                "includeObject: Unsupported value: \"{other}\": supported values: \"Object\", \"Metadata\", \"None\""
            )));
        }
    };
    Ok(Some(TableRequest {
        api_version,
        include,
    }))
}

/// The cells of one object at an instant.
type RowFn = Box<dyn Fn(&Value, Timestamp) -> Vec<Value> + Send + Sync>;

/// How the objects of one resource are printed.
pub struct Printing {
    columns: Vec<ColumnDef>,
    row: RowFn,
}

/// What one Table holds: a list page, one object, or a watch event's.
pub struct Page<'a> {
    pub objects: &'a [&'a Value],
    pub resource_version: String,
    pub continue_token: Option<&'a str>,
    /// Watch events after the first carry `columnDefinitions: null`.
    pub with_columns: bool,
}

/// A get answered as a Table, printed at `now`.
pub struct AsTable<'a> {
    pub request: TableRequest,
    pub printing: &'a Printing,
    pub now: Timestamp,
}

impl Printing {
    /// kubectl's printer for the resource's kind, or the server's default
    /// (Name, Created At).
    pub fn of(resource: &Resource) -> Printing {
        match printers::builtin(resource.group, resource.kind) {
            Some(printer) => Printing {
                columns: (printer.columns)(),
                row: Box::new(printer.row),
            },
            None => Printing {
                columns: printers::default_columns(),
                row: Box::new(printers::default_row),
            },
        }
    }

    /// The Table of a page of `resource`'s stored objects.
    pub fn table(
        &self,
        request: TableRequest,
        resource: &Resource,
        page: Page<'_>,
        now: Timestamp,
    ) -> Value {
        let objects = page.objects;
        // A row's whole object carries its type, as a get returns it.
        let typed: Vec<Value> = match request.include {
            IncludeObject::Object => objects
                .iter()
                .map(|o| super::object::with_type(resource, o))
                .collect(),
            _ => Vec::new(),
        };
        let rows = TableRows {
            columns: self.columns.clone(),
            rows: objects
                .iter()
                .enumerate()
                .map(|(i, o)| ((self.row)(o, now), typed.get(i).unwrap_or(o)))
                .collect(),
        };
        let mut table = table_json(
            &rows,
            &page.resource_version,
            request.include,
            page.with_columns,
            page.continue_token,
        );
        table["apiVersion"] = Value::String(request.api_version.to_string());
        table
    }
}
