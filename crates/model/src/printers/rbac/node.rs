//! `printNode`: STATUS and ROLES from kubesight's port of it (`crate::node`).

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Node, NodeCondition, NodeSpec, NodeStatus};
use serde_json::Value;

use super::{or, strings, text};
use crate::printers::columns::{
    ColumnDef, ColumnType, age_column, age_text, col, name_column, name_of,
};

const KUBELET_VERSION_DOC: &str = "Kubelet Version reported by the node.";

const ADDRESSES_DOC: &str = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

const OS_IMAGE_DOC: &str =
    "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).";

const KERNEL_VERSION_DOC: &str =
    "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).";

const CONTAINER_RUNTIME_DOC: &str = "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).";

pub(super) fn columns() -> Vec<ColumnDef> {
    let string = ColumnType::String;
    vec![
        name_column(),
        col("Status", string, 0, "The status of the node"),
        col("Roles", string, 0, "The roles of the node"),
        age_column(),
        col("Version", string, 0, KUBELET_VERSION_DOC),
        col("Internal-IP", string, 1, ADDRESSES_DOC),
        col("External-IP", string, 1, ADDRESSES_DOC),
        col("OS-Image", string, 1, OS_IMAGE_DOC),
        col("Kernel-Version", string, 1, KERNEL_VERSION_DOC),
        col("Container-Runtime", string, 1, CONTAINER_RUNTIME_DOC),
    ]
}

pub(super) fn row(object: &Value, now: Timestamp) -> Vec<Value> {
    let node = status_fields(object);
    let info = |field: &str| {
        or(
            text(object, &format!("/status/nodeInfo/{field}")),
            "<unknown>",
        )
    };
    strings(&[
        name_of(object),
        &crate::node::status(&node),
        &crate::node::roles(&node),
        &age_text(object, now),
        text(object, "/status/nodeInfo/kubeletVersion"),
        &address(object, "InternalIP"),
        &address(object, "ExternalIP"),
        info("osImage"),
        info("kernelVersion"),
        info("containerRuntimeVersion"),
    ])
}

/// The fields STATUS and ROLES read, each decoded on its own so one odd
/// field elsewhere in the node does not blank them.
fn status_fields(object: &Value) -> Node {
    let decode = |pointer: &str| {
        object
            .pointer(pointer)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    };
    let conditions: Vec<NodeCondition> = object
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| serde_json::from_value(c.clone()).ok())
        .collect();
    let mut node = Node {
        spec: Some(NodeSpec {
            unschedulable: object
                .pointer("/spec/unschedulable")
                .and_then(Value::as_bool),
            ..NodeSpec::default()
        }),
        status: Some(NodeStatus {
            conditions: Some(conditions),
            ..NodeStatus::default()
        }),
        ..Node::default()
    };
    node.metadata.labels = decode("/metadata/labels");
    node
}

/// The first address of the type, `<none>` without one.
fn address(object: &Value, kind: &str) -> String {
    object
        .pointer("/status/addresses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|a| text(a, "/type") == kind)
        .map_or_else(|| "<none>".to_string(), |a| text(a, "/address").to_string())
}
