//! Node columns as kubectl prints them (`printNode`): STATUS, ROLES, VERSION, and
//! the taints an operator scans for.

use k8s_openapi::api::core::v1::{Node, Taint};

const NODE_ROLE_PREFIX: &str = "node-role.kubernetes.io/";
const LEGACY_ROLE_LABEL: &str = "kubernetes.io/role";

/// What the Ready condition says, the part of STATUS a theme colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeReadiness {
    Ready,
    NotReady,
    /// No Ready condition reported at all.
    Unknown,
}

pub fn readiness(node: &Node) -> NodeReadiness {
    let ready = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|conds| conds.iter().find(|c| c.type_ == "Ready"));
    match ready {
        None => NodeReadiness::Unknown,
        // kubectl prints NotReady for status False *and* Unknown.
        Some(c) if c.status == "True" => NodeReadiness::Ready,
        Some(_) => NodeReadiness::NotReady,
    }
}

pub fn is_unschedulable(node: &Node) -> bool {
    node.spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
}

/// kubectl's STATUS column: `Ready`, `NotReady`, `Unknown`, each with
/// `,SchedulingDisabled` when cordoned.
pub fn status(node: &Node) -> String {
    let base = match readiness(node) {
        NodeReadiness::Ready => "Ready",
        NodeReadiness::NotReady => "NotReady",
        NodeReadiness::Unknown => "Unknown",
    };
    if is_unschedulable(node) {
        format!("{base},SchedulingDisabled")
    } else {
        base.to_string()
    }
}

/// kubectl's ROLES column: sorted roles from `node-role.kubernetes.io/<role>` labels
/// and the legacy `kubernetes.io/role` label, `<none>` when there are none.
pub fn roles(node: &Node) -> String {
    let mut roles: Vec<&str> = node
        .metadata
        .labels
        .iter()
        .flatten()
        .filter_map(|(key, value)| {
            if let Some(role) = key.strip_prefix(NODE_ROLE_PREFIX) {
                (!role.is_empty()).then_some(role)
            } else if key == LEGACY_ROLE_LABEL && !value.is_empty() {
                Some(value.as_str())
            } else {
                None
            }
        })
        .collect();
    roles.sort_unstable();
    roles.dedup();
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}

pub fn kubelet_version(node: &Node) -> String {
    node.status
        .as_ref()
        .and_then(|s| s.node_info.as_ref())
        .map(|i| i.kubelet_version.clone())
        .unwrap_or_default()
}

/// `key=value:Effect`, as `kubectl taint` takes and describe prints it.
pub fn format_taint(taint: &Taint) -> String {
    match taint.value.as_deref().filter(|v| !v.is_empty()) {
        Some(value) => format!("{}={}:{}", taint.key, value, taint.effect),
        None => format!("{}:{}", taint.key, taint.effect),
    }
}

pub fn taints(node: &Node) -> String {
    let taints: Vec<String> = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .into_iter()
        .flatten()
        .map(format_taint)
        .collect();
    if taints.is_empty() {
        "<none>".to_string()
    } else {
        taints.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(value: serde_json::Value) -> Node {
        serde_json::from_value(value).unwrap()
    }

    fn with_ready(status: &str, unschedulable: bool) -> Node {
        node(json!({
            "metadata": {"name": "n"},
            "spec": {"unschedulable": unschedulable},
            "status": {"conditions": [
                {"type": "MemoryPressure", "status": "False"},
                {"type": "Ready", "status": status}
            ]}
        }))
    }

    #[test]
    fn status_follows_the_ready_condition() {
        assert_eq!(status(&with_ready("True", false)), "Ready");
        assert_eq!(status(&with_ready("False", false)), "NotReady");
        assert_eq!(status(&with_ready("Unknown", false)), "NotReady");
        assert_eq!(
            status(&with_ready("True", true)),
            "Ready,SchedulingDisabled"
        );
        assert_eq!(
            status(&with_ready("Unknown", true)),
            "NotReady,SchedulingDisabled"
        );
        assert_eq!(status(&node(json!({"metadata": {"name": "n"}}))), "Unknown");
        let cordoned_without_conditions =
            node(json!({"metadata": {"name": "n"}, "spec": {"unschedulable": true}}));
        assert_eq!(
            status(&cordoned_without_conditions),
            "Unknown,SchedulingDisabled"
        );
    }

    #[test]
    fn roles_from_labels() {
        let n = node(json!({"metadata": {"name": "n", "labels": {
            "node-role.kubernetes.io/worker": "",
            "node-role.kubernetes.io/control-plane": "",
            "node-role.kubernetes.io/": "ignored",
            "kubernetes.io/role": "ingress",
            "kubernetes.io/hostname": "n"
        }}}));
        assert_eq!(roles(&n), "control-plane,ingress,worker");
        assert_eq!(roles(&node(json!({"metadata": {"name": "n"}}))), "<none>");
    }

    #[test]
    fn taints_are_listed_like_kubectl_taint_takes_them() {
        let n = node(json!({"metadata": {"name": "n"}, "spec": {"taints": [
            {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
            {"key": "dedicated", "value": "gpu", "effect": "NoExecute"}
        ]}}));
        assert_eq!(
            taints(&n),
            "node-role.kubernetes.io/control-plane:NoSchedule,dedicated=gpu:NoExecute"
        );
        assert_eq!(taints(&node(json!({"metadata": {"name": "n"}}))), "<none>");
    }
}
