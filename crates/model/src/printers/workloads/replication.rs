//! core: ReplicationController.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{container_cells, format_labels, int_at, template_columns, text};
use crate::printers::columns::name_of;
use crate::printers::{ColumnDef, ColumnType, Printer, age_column, age_text, col, name_column};

const INTEGER: ColumnType = ColumnType::Integer;

pub const REPLICATION_CONTROLLER: Printer = Printer {
    group: "",
    kind: "ReplicationController",
    columns,
    row,
};

fn columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Desired",
            INTEGER,
            0,
            "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
        ),
        col(
            "Current",
            INTEGER,
            0,
            "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
        ),
        col(
            "Ready",
            INTEGER,
            0,
            "The number of ready replicas for this replication controller.",
        ),
        age_column(),
    ]
    .into_iter()
    .chain(template_columns(Some("Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors")))
    .collect()
}

fn row(object: &Value, now: Timestamp) -> Vec<Value> {
    // A controller's selector is a plain label map, printed as labels are.
    let [names, images] = container_cells(object.pointer("/spec/template/spec"));
    vec![
        text(name_of(object)),
        json!(int_at(object, "/spec/replicas")),
        json!(int_at(object, "/status/replicas")),
        json!(int_at(object, "/status/readyReplicas")),
        text(age_text(object, now)),
        names,
        images,
        text(format_labels(object.pointer("/spec/selector"))),
    ]
}
