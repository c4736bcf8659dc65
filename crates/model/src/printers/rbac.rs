//! Printers of RBAC kinds, CustomResourceDefinitions, APIServices, Pods and
//! Nodes, as the v1.32 API servers build their Tables: kubectl's server-side
//! printers (`pkg/printers/internalversion/printers.go`) for bindings, pods
//! and nodes, the aggregator's own for APIServices, and the default Table
//! (Name, Created At) for Roles, ClusterRoles and CRDs, which have no printer.

mod node;
mod pod;

use jiff::Timestamp;
use serde_json::Value;

use super::columns::{ColumnDef, ColumnType, age_column, age_text, col, name_column, name_of};
use super::{Printer, default_columns};

const RBAC: &str = "rbac.authorization.k8s.io";

pub const PRINTERS: &[Printer] = &[
    Printer {
        group: RBAC,
        kind: "Role",
        columns: default_columns,
        row: created_at_row,
    },
    Printer {
        group: RBAC,
        kind: "ClusterRole",
        columns: default_columns,
        row: created_at_row,
    },
    Printer {
        group: RBAC,
        kind: "RoleBinding",
        columns: role_binding_columns,
        row: binding_row,
    },
    Printer {
        group: RBAC,
        kind: "ClusterRoleBinding",
        columns: cluster_role_binding_columns,
        row: binding_row,
    },
    Printer {
        group: "apiextensions.k8s.io",
        kind: "CustomResourceDefinition",
        columns: default_columns,
        row: created_at_row,
    },
    Printer {
        group: "apiregistration.k8s.io",
        kind: "APIService",
        columns: api_service_columns,
        row: api_service_row,
    },
    Printer {
        group: "",
        kind: "Pod",
        columns: pod::columns,
        row: pod::row,
    },
    Printer {
        group: "",
        kind: "Node",
        columns: node::columns,
        row: node::row,
    },
];

/// A string field of `object` at a JSON pointer, `""` when absent.
fn text<'a>(object: &'a Value, pointer: &str) -> &'a str {
    object
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// kubectl's `<none>` (or `<unknown>`) for an empty field.
fn or<'a>(value: &'a str, empty: &'a str) -> &'a str {
    if value.is_empty() { empty } else { value }
}

fn strings(cells: &[&str]) -> Vec<Value> {
    cells.iter().map(|c| Value::String(c.to_string())).collect()
}

/// Go's zero `time.Time` as RFC 3339, what the default Table shows for an
/// object without a creationTimestamp.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The default Table's cells: the name, and the creation time in UTC to the
/// second (`Time.UTC().Format(time.RFC3339)`).
fn created_at_row(object: &Value, _now: Timestamp) -> Vec<Value> {
    let created = object
        .pointer("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<Timestamp>().ok())
        .map_or_else(
            || ZERO_TIME.to_string(),
            |at| at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        );
    strings(&[name_of(object), &created])
}

const ROLE_BINDING_ROLE_REF_DOC: &str = "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";

const CLUSTER_ROLE_BINDING_ROLE_REF_DOC: &str = "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";

fn binding_columns(role_ref_doc: &str, kind: &str) -> Vec<ColumnDef> {
    let string = ColumnType::String;
    vec![
        name_column(),
        col("Role", string, 0, role_ref_doc),
        age_column(),
        col("Users", string, 1, &format!("Users in the {kind}")),
        col("Groups", string, 1, &format!("Groups in the {kind}")),
        col(
            "ServiceAccounts",
            string,
            1,
            &format!("ServiceAccounts in the {kind}"),
        ),
    ]
}

fn role_binding_columns() -> Vec<ColumnDef> {
    binding_columns(ROLE_BINDING_ROLE_REF_DOC, "roleBinding")
}

fn cluster_role_binding_columns() -> Vec<ColumnDef> {
    binding_columns(CLUSTER_ROLE_BINDING_ROLE_REF_DOC, "clusterRoleBinding")
}

/// `printRoleBinding` and `printClusterRoleBinding`: ROLE as `Kind/name`,
/// subjects by kind (`rbac.SubjectsStrings`), service accounts as
/// `namespace/name`; subjects of other kinds are not shown.
fn binding_row(object: &Value, now: Timestamp) -> Vec<Value> {
    let role = format!(
        "{}/{}",
        text(object, "/roleRef/kind"),
        text(object, "/roleRef/name")
    );
    let (mut users, mut groups, mut service_accounts) = (vec![], vec![], vec![]);
    let subjects = object.get("subjects").and_then(Value::as_array);
    for subject in subjects.into_iter().flatten() {
        let name = text(subject, "/name");
        match text(subject, "/kind") {
            "User" => users.push(name.to_string()),
            "Group" => groups.push(name.to_string()),
            "ServiceAccount" => {
                service_accounts.push(format!("{}/{name}", text(subject, "/namespace")))
            }
            _ => {}
        }
    }
    strings(&[
        name_of(object),
        &role,
        &age_text(object, now),
        &users.join(", "),
        &groups.join(", "),
        &service_accounts.join(", "),
    ])
}

fn api_service_columns() -> Vec<ColumnDef> {
    let string = ColumnType::String;
    vec![
        name_column(),
        col(
            "Service",
            string,
            0,
            "The reference to the service that hosts this API endpoint.",
        ),
        col("Available", string, 0, "Whether this service is available."),
        age_column(),
    ]
}

/// The aggregator's APIService Table: SERVICE `namespace/name` or `Local`,
/// AVAILABLE from the Available condition, with its reason when not True.
fn api_service_row(object: &Value, now: Timestamp) -> Vec<Value> {
    let service = match object.pointer("/spec/service") {
        Some(svc) if svc.is_object() => {
            format!("{}/{}", text(svc, "/namespace"), text(svc, "/name"))
        }
        _ => "Local".to_string(),
    };
    let available = object
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| text(c, "/type") == "Available")
        .map_or_else(
            || "Unknown".to_string(),
            |c| match (text(c, "/status"), text(c, "/reason")) {
                ("True", _) => "True".to_string(),
                (status, "") => status.to_string(),
                (status, reason) => format!("{status} ({reason})"),
            },
        );
    strings(&[
        name_of(object),
        &service,
        &available,
        &age_text(object, now),
    ])
}

#[cfg(test)]
mod tests;
