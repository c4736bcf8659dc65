//! Printers of workload kinds: the apps controllers, Jobs and CronJobs,
//! HorizontalPodAutoscalers, PodDisruptionBudgets and ReplicationControllers,
//! as kube-apiserver v1.32 prints them (`pkg/printers/internalversion/printers.go`).
//!
//! The server always builds its Tables with `Wide: true`, so every row carries
//! the priority-1 cells too. The server prints objects after API defaulting
//! (`spec.replicas` 1, CronJob `suspend` false, HPA `minReplicas` 1 and a CPU
//! metric); these printers do not default, so a missing field reads as the
//! internal type's zero value, the way printers.go would read it.

mod apps;
mod autoscaling;
mod batch;
mod policy;
mod replication;

use jiff::Timestamp;
use serde_json::Value;

use super::Printer;

pub const PRINTERS: &[Printer] = &[
    apps::DEPLOYMENT,
    apps::REPLICA_SET,
    apps::STATEFUL_SET,
    apps::DAEMON_SET,
    apps::CONTROLLER_REVISION,
    batch::JOB,
    batch::CRON_JOB,
    autoscaling::HORIZONTAL_POD_AUTOSCALER,
    policy::POD_DISRUPTION_BUDGET,
    replication::REPLICATION_CONTROLLER,
];

const CONTAINERS_DOC: &str = "Names of each container in the template.";
const IMAGES_DOC: &str = "Images referenced by each container in the template.";

/// The wide columns every kind with a pod template has (printers.go names
/// them alike): its containers, their images, and its selector when it has one.
fn template_columns(selector_doc: Option<&str>) -> Vec<crate::printers::ColumnDef> {
    use crate::printers::{ColumnType, col};
    let mut columns = vec![
        col("Containers", ColumnType::String, 1, CONTAINERS_DOC),
        col("Images", ColumnType::String, 1, IMAGES_DOC),
    ];
    if let Some(doc) = selector_doc {
        columns.push(col("Selector", ColumnType::String, 1, doc));
    }
    columns
}

fn text(value: impl Into<String>) -> Value {
    Value::String(value.into())
}

/// An int32/int64 field; Go's zero when absent.
fn int_at(object: &Value, pointer: &str) -> i64 {
    object.pointer(pointer).and_then(Value::as_i64).unwrap_or(0)
}

fn str_at<'a>(object: &'a Value, pointer: &str) -> &'a str {
    object
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn time_at(object: &Value, pointer: &str) -> Option<Timestamp> {
    object
        .pointer(pointer)
        .and_then(Value::as_str)
        .and_then(|t| t.parse().ok())
}

/// `layoutContainerCells`: the names and the images of a pod spec's
/// containers, each comma-joined.
fn container_cells(pod_spec: Option<&Value>) -> [Value; 2] {
    let containers = pod_spec
        .and_then(|spec| spec.get("containers"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let field = |name: &str| {
        containers
            .iter()
            .map(|c| c.get(name).and_then(Value::as_str).unwrap_or_default())
            .collect::<Vec<_>>()
            .join(",")
    };
    [text(field("name")), text(field("image"))]
}

/// `metav1.LabelSelectorAsSelector(selector).String()`: `Ok("")` for an
/// absent (Nothing) or empty (Everything) selector, `Err` where Go's
/// conversion fails.
fn label_selector_string(selector: Option<&Value>) -> Result<String, ()> {
    let Some(selector) = selector.filter(|s| !s.is_null()) else {
        return Ok(String::new());
    };
    let parsed: k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector =
        serde_json::from_value(selector.clone()).map_err(|_| ())?;
    crate::selector::from_label_selector(&parsed)
        .map(|s| s.to_kubernetes_string())
        .map_err(|_| ())
}

/// `metav1.FormatLabelSelector`: `<none>` for a selector that selects by
/// nothing, `<error>` for one Go cannot convert.
fn format_label_selector(selector: Option<&Value>) -> String {
    match label_selector_string(selector) {
        Ok(text) if text.is_empty() => "<none>".to_string(),
        Ok(text) => text,
        Err(()) => "<error>".to_string(),
    }
}

/// `labels.FormatLabels`: `key=value` pairs sorted as whole strings (Go sorts
/// the joined pairs, not the keys), `<none>` when there are none.
fn format_labels(map: Option<&Value>) -> String {
    let mut pairs: Vec<String> = map
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    if pairs.is_empty() {
        return "<none>".to_string();
    }
    pairs.sort();
    pairs.join(",")
}

#[cfg(test)]
mod tests;
