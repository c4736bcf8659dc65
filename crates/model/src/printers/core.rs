//! Printers of the core kinds and their neighbours in networking, discovery,
//! storage, scheduling, coordination and events, ported from Kubernetes v1.32
//! `pkg/printers/internalversion/printers.go`.
//!
//! The API server always prints with `Wide: true`, so every row carries the
//! priority-1 cells too. Printers read the object as the server stores it
//! (defaults applied): a missing field reads as Go's zero value, never as a
//! default the printer invents.

mod config;
mod events;
mod network;
mod quantity;
mod storage;

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::Printer;
use crate::age::age_since;

pub const PRINTERS: &[Printer] = &[
    Printer {
        group: "",
        kind: "Service",
        columns: network::service_columns,
        row: network::service_row,
    },
    Printer {
        group: "",
        kind: "Endpoints",
        columns: network::endpoints_columns,
        row: network::endpoints_row,
    },
    Printer {
        group: "",
        kind: "ConfigMap",
        columns: config::config_map_columns,
        row: config::config_map_row,
    },
    Printer {
        group: "",
        kind: "Secret",
        columns: config::secret_columns,
        row: config::secret_row,
    },
    Printer {
        group: "",
        kind: "ServiceAccount",
        columns: config::service_account_columns,
        row: config::service_account_row,
    },
    Printer {
        group: "",
        kind: "Namespace",
        columns: config::namespace_columns,
        row: config::namespace_row,
    },
    Printer {
        group: "",
        kind: "PersistentVolumeClaim",
        columns: storage::pvc_columns,
        row: storage::pvc_row,
    },
    Printer {
        group: "",
        kind: "PersistentVolume",
        columns: storage::pv_columns,
        row: storage::pv_row,
    },
    Printer {
        group: "",
        kind: "ResourceQuota",
        columns: config::resource_quota_columns,
        row: config::resource_quota_row,
    },
    Printer {
        group: "",
        kind: "LimitRange",
        columns: config::limit_range_columns,
        row: config::limit_range_row,
    },
    Printer {
        group: "",
        kind: "Event",
        columns: events::columns,
        row: events::core_row,
    },
    Printer {
        group: "discovery.k8s.io",
        kind: "EndpointSlice",
        columns: network::endpoint_slice_columns,
        row: network::endpoint_slice_row,
    },
    Printer {
        group: "networking.k8s.io",
        kind: "Ingress",
        columns: network::ingress_columns,
        row: network::ingress_row,
    },
    Printer {
        group: "networking.k8s.io",
        kind: "IngressClass",
        columns: network::ingress_class_columns,
        row: network::ingress_class_row,
    },
    Printer {
        group: "networking.k8s.io",
        kind: "NetworkPolicy",
        columns: network::network_policy_columns,
        row: network::network_policy_row,
    },
    Printer {
        group: "storage.k8s.io",
        kind: "StorageClass",
        columns: storage::storage_class_columns,
        row: storage::storage_class_row,
    },
    Printer {
        group: "storage.k8s.io",
        kind: "CSIDriver",
        columns: storage::csi_driver_columns,
        row: storage::csi_driver_row,
    },
    Printer {
        group: "storage.k8s.io",
        kind: "VolumeAttachment",
        columns: storage::volume_attachment_columns,
        row: storage::volume_attachment_row,
    },
    Printer {
        group: "scheduling.k8s.io",
        kind: "PriorityClass",
        columns: config::priority_class_columns,
        row: config::priority_class_row,
    },
    Printer {
        group: "coordination.k8s.io",
        kind: "Lease",
        columns: config::lease_columns,
        row: config::lease_row,
    },
    Printer {
        group: "events.k8s.io",
        kind: "Event",
        columns: events::columns,
        row: events::events_v1_row,
    },
];

// Field access with Go's decoding in mind: an absent field, a JSON null and a
// value of the wrong type all read as the Go zero value.

fn field<'a>(object: &'a Value, pointer: &str) -> Option<&'a Value> {
    object.pointer(pointer).filter(|v| !v.is_null())
}

fn opt_text<'a>(object: &'a Value, pointer: &str) -> Option<&'a str> {
    field(object, pointer).and_then(Value::as_str)
}

fn text<'a>(object: &'a Value, pointer: &str) -> &'a str {
    opt_text(object, pointer).unwrap_or_default()
}

fn list<'a>(object: &'a Value, pointer: &str) -> &'a [Value] {
    field(object, pointer)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn map<'a>(object: &'a Value, pointer: &str) -> Option<&'a Map<String, Value>> {
    field(object, pointer).and_then(Value::as_object)
}

/// `len()` of a Go map or slice field.
fn len_of(object: &Value, pointer: &str) -> i64 {
    let len = match field(object, pointer) {
        Some(Value::Object(entries)) => entries.len(),
        Some(Value::Array(items)) => items.len(),
        _ => 0,
    };
    i64::try_from(len).unwrap_or(i64::MAX)
}

fn integer(object: &Value, pointer: &str) -> Option<i64> {
    field(object, pointer).and_then(Value::as_i64)
}

fn flag(object: &Value, pointer: &str) -> Option<bool> {
    field(object, pointer).and_then(Value::as_bool)
}

fn name(object: &Value) -> &str {
    text(object, "/metadata/name")
}

fn annotation<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    map(object, "/metadata/annotations")
        .and_then(|annotations| annotations.get(key))
        .and_then(Value::as_str)
}

fn is_deleting(object: &Value) -> bool {
    field(object, "/metadata/deletionTimestamp").is_some()
}

/// `translateTimestampSince` (and its MicroTime twin) for the timestamp at
/// `pointer`: `<unknown>` when it is zero.
fn since(object: &Value, pointer: &str, now: Timestamp) -> String {
    age_since(timestamp(object, pointer), now)
}

fn timestamp(object: &Value, pointer: &str) -> Option<Timestamp> {
    opt_text(object, pointer).and_then(|t| t.parse::<Timestamp>().ok())
}

/// `labels.FormatLabels`: `k=v` sorted by key, `<none>` when empty.
fn format_labels(labels: Option<&Map<String, Value>>) -> String {
    let mut pairs: Vec<(&String, &str)> = labels
        .into_iter()
        .flatten()
        .map(|(k, v)| (k, v.as_str().unwrap_or_default()))
        .collect();
    pairs.sort();
    let text = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    if text.is_empty() {
        "<none>".to_string()
    } else {
        text
    }
}

/// `metav1.FormatLabelSelector`: the selector's string, `<none>` when it
/// selects everything (or nothing), `<error>` when it does not convert.
fn format_label_selector(selector: Option<&Value>) -> String {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
    let Some(selector) = selector else {
        return "<none>".to_string();
    };
    let parsed = serde_json::from_value::<LabelSelector>(selector.clone())
        .ok()
        .and_then(|s| crate::selector::from_label_selector(&s).ok());
    match parsed {
        None => "<error>".to_string(),
        Some(s) if s.is_empty() => "<none>".to_string(),
        Some(s) => s.to_kubernetes_string(),
    }
}

/// printers.go `listWithMoreString`.
fn list_with_more(list: &[String], more: bool, count: usize, max: usize) -> String {
    let joined = list.join(",");
    if more {
        return format!("{joined} + {} more...", count.saturating_sub(max));
    }
    if joined.is_empty() {
        return "<unset>".to_string();
    }
    joined
}

#[cfg(test)]
mod tests;
