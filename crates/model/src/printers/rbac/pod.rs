//! `printPod`: READY, STATUS and RESTARTS from kubesight's port of it
//! (`crate::pod`), so the Table and the pod list never disagree.

use jiff::Timestamp;
use serde::Deserialize;
use serde_json::Value;

use super::{or, strings, text};
use crate::cluster::pod::Pod;
use crate::pod::{format_restarts, summarize};
use crate::printers::columns::{
    ColumnDef, ColumnType, age_column, age_text, col, name_column, name_of,
};

const POD_IP_DOC: &str = "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.";

const NODE_NAME_DOC: &str = "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename";

const NOMINATED_NODE_NAME_DOC: &str = "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.";

const READINESS_GATES_DOC: &str = "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates";

pub(super) fn columns() -> Vec<ColumnDef> {
    let string = ColumnType::String;
    vec![
        name_column(),
        col(
            "Ready",
            string,
            0,
            "The aggregate readiness state of this pod for accepting traffic.",
        ),
        col(
            "Status",
            string,
            0,
            "The aggregate status of the containers in this pod.",
        ),
        col(
            "Restarts",
            string,
            0,
            "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
        ),
        age_column(),
        col("IP", string, 1, POD_IP_DOC),
        col("Node", string, 1, NODE_NAME_DOC),
        col("Nominated Node", string, 1, NOMINATED_NODE_NAME_DOC),
        col("Readiness Gates", string, 1, READINESS_GATES_DOC),
    ]
}

pub(super) fn row(object: &Value, now: Timestamp) -> Vec<Value> {
    // A pod whose fields do not decode reads as one with no containers.
    let pod = Pod::deserialize(object).unwrap_or_default();
    let summary = summarize(&pod);
    // The server's internal pod takes its first IP from `podIP`, which wins
    // over a `podIPs` that disagrees.
    let ip = text(object, "/status/podIP");
    strings(&[
        name_of(object),
        &format!("{}/{}", summary.ready, summary.total),
        &summary.status,
        &format_restarts(summary.restarts, summary.last_restart, now),
        &age_text(object, now),
        or(ip, "<none>"),
        or(text(object, "/spec/nodeName"), "<none>"),
        or(text(object, "/status/nominatedNodeName"), "<none>"),
        &readiness_gates(object),
    ])
}

/// `n/m`: of the pod's m readiness gates, the n whose condition (the first
/// of its type) is True; `<none>` without gates.
fn readiness_gates(object: &Value) -> String {
    let gates = object
        .pointer("/spec/readinessGates")
        .and_then(Value::as_array)
        .filter(|gates| !gates.is_empty());
    let Some(gates) = gates else {
        return "<none>".to_string();
    };
    let conditions = object
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let passed = gates
        .iter()
        .filter(|gate| {
            let wanted = text(gate, "/conditionType");
            conditions
                .iter()
                .find(|c| text(c, "/type") == wanted)
                .is_some_and(|c| text(c, "/status") == "True")
        })
        .count();
    format!("{passed}/{}", gates.len())
}
