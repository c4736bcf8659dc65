//! apps: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{
    container_cells, format_label_selector, format_labels, int_at, label_selector_string, str_at,
    template_columns, text,
};
use crate::printers::columns::name_of;
use crate::printers::{ColumnDef, ColumnType, Printer, age_column, age_text, col, name_column};

const STRING: ColumnType = ColumnType::String;
const INTEGER: ColumnType = ColumnType::Integer;

pub const DEPLOYMENT: Printer = Printer {
    group: "apps",
    kind: "Deployment",
    columns: deployment_columns,
    row: deployment_row,
};

pub const REPLICA_SET: Printer = Printer {
    group: "apps",
    kind: "ReplicaSet",
    columns: replica_set_columns,
    row: replica_set_row,
};

pub const STATEFUL_SET: Printer = Printer {
    group: "apps",
    kind: "StatefulSet",
    columns: stateful_set_columns,
    row: stateful_set_row,
};

pub const DAEMON_SET: Printer = Printer {
    group: "apps",
    kind: "DaemonSet",
    columns: daemon_set_columns,
    row: daemon_set_row,
};

pub const CONTROLLER_REVISION: Printer = Printer {
    group: "apps",
    kind: "ControllerRevision",
    columns: controller_revision_columns,
    row: controller_revision_row,
};

fn deployment_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Ready", STRING, 0, "Number of the pod with ready state"),
        col(
            "Up-to-date",
            STRING,
            0,
            "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
        ),
        col(
            "Available",
            STRING,
            0,
            "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
        ),
        age_column(),
    ]
    .into_iter()
    .chain(template_columns(Some("Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.")))
    .collect()
}

fn deployment_row(object: &Value, now: Timestamp) -> Vec<Value> {
    // printDeployment, unlike its siblings, prints the selector itself:
    // empty for none, `<invalid>` when it does not convert.
    let selector = label_selector_string(object.pointer("/spec/selector"))
        .unwrap_or_else(|()| "<invalid>".to_string());
    let [names, images] = container_cells(object.pointer("/spec/template/spec"));
    vec![
        text(name_of(object)),
        text(format!(
            "{}/{}",
            int_at(object, "/status/readyReplicas"),
            int_at(object, "/spec/replicas")
        )),
        json!(int_at(object, "/status/updatedReplicas")),
        json!(int_at(object, "/status/availableReplicas")),
        text(age_text(object, now)),
        names,
        images,
        text(selector),
    ]
}

fn replica_set_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Desired",
            INTEGER,
            0,
            "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller",
        ),
        col(
            "Current",
            INTEGER,
            0,
            "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller",
        ),
        col(
            "Ready",
            INTEGER,
            0,
            "The number of ready replicas for this replica set.",
        ),
        age_column(),
    ]
    .into_iter()
    .chain(template_columns(Some("Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors")))
    .collect()
}

fn replica_set_row(object: &Value, now: Timestamp) -> Vec<Value> {
    let [names, images] = container_cells(object.pointer("/spec/template/spec"));
    vec![
        text(name_of(object)),
        json!(int_at(object, "/spec/replicas")),
        json!(int_at(object, "/status/replicas")),
        json!(int_at(object, "/status/readyReplicas")),
        text(age_text(object, now)),
        names,
        images,
        text(format_label_selector(object.pointer("/spec/selector"))),
    ]
}

fn stateful_set_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Ready", STRING, 0, "Number of the pod with ready state"),
        age_column(),
    ]
    .into_iter()
    .chain(template_columns(None))
    .collect()
}

fn stateful_set_row(object: &Value, now: Timestamp) -> Vec<Value> {
    let [names, images] = container_cells(object.pointer("/spec/template/spec"));
    vec![
        text(name_of(object)),
        text(format!(
            "{}/{}",
            int_at(object, "/status/readyReplicas"),
            int_at(object, "/spec/replicas")
        )),
        text(age_text(object, now)),
        names,
        images,
    ]
}

fn daemon_set_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col(
            "Desired",
            INTEGER,
            0,
            "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
        ),
        col(
            "Current",
            INTEGER,
            0,
            "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
        ),
        col(
            "Ready",
            INTEGER,
            0,
            "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.",
        ),
        col(
            "Up-to-date",
            INTEGER,
            0,
            "The total number of nodes that are running updated daemon pod",
        ),
        col(
            "Available",
            INTEGER,
            0,
            "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)",
        ),
        col(
            "Node Selector",
            STRING,
            0,
            "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
        ),
        age_column(),
    ]
    .into_iter()
    .chain(template_columns(Some("A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors")))
    .collect()
}

fn daemon_set_row(object: &Value, now: Timestamp) -> Vec<Value> {
    let pod_spec = object.pointer("/spec/template/spec");
    let [names, images] = container_cells(pod_spec);
    vec![
        text(name_of(object)),
        json!(int_at(object, "/status/desiredNumberScheduled")),
        json!(int_at(object, "/status/currentNumberScheduled")),
        json!(int_at(object, "/status/numberReady")),
        json!(int_at(object, "/status/updatedNumberScheduled")),
        json!(int_at(object, "/status/numberAvailable")),
        text(format_labels(pod_spec.and_then(|s| s.get("nodeSelector")))),
        text(age_text(object, now)),
        names,
        images,
        text(format_label_selector(object.pointer("/spec/selector"))),
    ]
}

fn controller_revision_columns() -> Vec<ColumnDef> {
    vec![
        name_column(),
        col("Controller", STRING, 0, "Controller of the object"),
        col(
            "Revision",
            STRING,
            0,
            "revision indicates the revision of the state represented by Data.",
        ),
        age_column(),
    ]
}

fn controller_revision_row(object: &Value, now: Timestamp) -> Vec<Value> {
    vec![
        text(name_of(object)),
        text(controller_name(object)),
        json!(int_at(object, "/revision")),
        text(age_text(object, now)),
    ]
}

/// The controller owner as `kind.group/name` in lower case (`metav1.GetControllerOf`,
/// then `formatResourceName` with the kind), `<none>` without one.
fn controller_name(object: &Value) -> String {
    let owners = object
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let Some(owner) = owners
        .iter()
        .find(|o| o.get("controller").and_then(Value::as_bool) == Some(true))
    else {
        return "<none>".to_string();
    };
    let name = str_at(owner, "/name");
    let kind = str_at(owner, "/kind");
    // schema.ParseGroupVersion: "" and "/" are the empty version, no slash
    // is a core version, more than one slash an error (which makes Go fail the
    // whole Table; validation keeps such owner references out of the store).
    let api_version = str_at(owner, "/apiVersion");
    let group = match api_version.matches('/').count() {
        _ if api_version == "/" => "",
        0 => "",
        1 => api_version.split('/').next().unwrap_or_default(),
        _ => return name.to_string(),
    };
    if group.is_empty() && kind.is_empty() {
        return name.to_string();
    }
    let group_kind = if group.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}.{group}")
    };
    format!("{}/{name}", group_kind.to_lowercase())
}
