//! The default scheduler, reduced to its filters that matter in a demo:
//! NodeUnschedulable, TaintToleration, node readiness, NodeSelector and
//! NodeResourcesFit (cpu, memory, pod count). Among the nodes that fit, the one
//! with the most free CPU wins (ties by name), so placement is deterministic.

use std::collections::BTreeMap;

use kubesight_model::cluster::pod::Pod;
use serde_json::{Value, json};

use super::Pass;
use super::events::{self, Occurrence};
use super::fields::{self, set_condition, status_mut};
use kubesight_model::quantity::parse_milli;
use kubesight_model::resources::pod_requests;

/// What a node offers and what its bound pods already take, in milli-units.
struct NodeRoom {
    node: Value,
    allocatable: BTreeMap<&'static str, Option<i128>>,
    used: BTreeMap<&'static str, i128>,
}

const SCHEDULED_RESOURCES: [&str; 3] = ["cpu", "memory", "pods"];

impl NodeRoom {
    fn free(&self, resource: &str) -> i128 {
        let used = self.used.get(resource).copied().unwrap_or(0);
        match self.allocatable.get(resource).copied().flatten() {
            Some(allocatable) => allocatable - used,
            // A node that does not report the resource is not limited by it.
            None => i128::MAX / 4 - used,
        }
    }
}

pub fn run(pass: &mut Pass<'_>) {
    let pods = pass.list("pods");
    let mut rooms: Vec<NodeRoom> = pass
        .list("nodes")
        .into_iter()
        .map(|node| NodeRoom {
            allocatable: SCHEDULED_RESOURCES
                .iter()
                .map(|r| (*r, allocatable(&node, r)))
                .collect(),
            used: BTreeMap::new(),
            node,
        })
        .collect();
    rooms.sort_by(|a, b| fields::name(&a.node).cmp(fields::name(&b.node)));
    for pod in pods.iter().filter(|p| !fields::is_terminal(p)) {
        let node = fields::node_name(pod);
        if let Some(room) = rooms.iter_mut().find(|r| fields::name(&r.node) == node) {
            add_requests(&mut room.used, &requests(pod));
        }
    }
    let mut pending: Vec<&Value> = pods.iter().filter(|p| wants_scheduling(p)).collect();
    // The real queue orders by priority, then by arrival; arrival is enough here.
    pending.sort_by_key(|p| {
        (
            fields::text(p, "/metadata/creationTimestamp").unwrap_or_default(),
            fields::namespace(p),
            fields::name(p),
        )
    });
    for pod in pending {
        schedule(pass, pod, &mut rooms);
    }
}

fn wants_scheduling(pod: &Value) -> bool {
    let gated = pod
        .pointer("/spec/schedulingGates")
        .and_then(Value::as_array)
        .is_some_and(|gates| !gates.is_empty());
    fields::node_name(pod).is_empty() && !gated && fields::is_active(pod)
}

fn allocatable(node: &Value, resource: &str) -> Option<i128> {
    let text = node
        .pointer(&format!("/status/allocatable/{resource}"))?
        .as_str()?;
    parse_milli(text).ok()
}

/// The pod's scheduler requests (cpu, memory) plus one `pods` slot.
fn requests(pod: &Value) -> BTreeMap<&'static str, i128> {
    let typed: Option<Pod> = serde_json::from_value(pod.clone()).ok();
    let all = typed.as_ref().map(pod_requests).unwrap_or_default();
    let mut out = BTreeMap::new();
    for resource in ["cpu", "memory"] {
        out.insert(resource, all.get(resource).copied().unwrap_or(0));
    }
    out.insert("pods", 1000);
    out
}

fn add_requests(used: &mut BTreeMap<&'static str, i128>, more: &BTreeMap<&'static str, i128>) {
    for (resource, amount) in more {
        *used.entry(resource).or_default() += amount;
    }
}

fn schedule(pass: &mut Pass<'_>, pod: &Value, rooms: &mut [NodeRoom]) {
    let wanted = requests(pod);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut best: Option<usize> = None;
    for (index, room) in rooms.iter().enumerate() {
        let failures = filter(pod, room, &wanted);
        if failures.is_empty() {
            let better = best.is_none_or(|b| room.free("cpu") > rooms[b].free("cpu"));
            if better {
                best = Some(index);
            }
        }
        for failure in failures {
            *reasons.entry(failure).or_default() += 1;
        }
    }
    match best {
        Some(index) => {
            add_requests(&mut rooms[index].used, &wanted);
            let node = fields::name(&rooms[index].node).to_string();
            bind(pass, pod, &node);
        }
        None => mark_unschedulable(pass, pod, &unschedulable_message(rooms.len(), &reasons)),
    }
}

/// Why `room` cannot take `pod`, as the filter plugins word it; empty when it can.
fn filter(pod: &Value, room: &NodeRoom, wanted: &BTreeMap<&'static str, i128>) -> Vec<String> {
    let node = &room.node;
    if node.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true)
        && !tolerates(pod, "node.kubernetes.io/unschedulable", "", "NoSchedule")
    {
        return vec!["node(s) were unschedulable".into()];
    }
    if let Some(taint) = untolerated_taint(pod, node) {
        return vec![format!("node(s) had untolerated taint {taint}")];
    }
    if !fields::condition_is_true(node, "Ready") {
        return vec!["node(s) were not ready".into()];
    }
    if !node_selector_matches(pod, node) {
        return vec!["node(s) didn't match Pod's node affinity/selector".into()];
    }
    let mut insufficient = Vec::new();
    for resource in SCHEDULED_RESOURCES {
        let asked = wanted.get(resource).copied().unwrap_or(0);
        if asked > 0 && room.free(resource) < asked {
            insufficient.push(match resource {
                "pods" => "Too many pods".to_string(),
                other => format!("Insufficient {other}"),
            });
        }
    }
    insufficient
}

/// The first NoSchedule/NoExecute taint the pod does not tolerate, printed
/// as the scheduler prints it: `{key: value}`.
fn untolerated_taint(pod: &Value, node: &Value) -> Option<String> {
    let taints = node.pointer("/spec/taints")?.as_array()?;
    taints.iter().find_map(|taint| {
        let key = fields::text(taint, "/key").unwrap_or_default();
        let value = fields::text(taint, "/value").unwrap_or_default();
        let effect = fields::text(taint, "/effect").unwrap_or_default();
        let blocks = matches!(effect, "NoSchedule" | "NoExecute");
        (blocks && !tolerates(pod, key, value, effect)).then(|| format!("{{{key}: {value}}}"))
    })
}

/// `ToleratesTaint`: the pod has a toleration whose effect is empty or equal,
/// whose key is empty (with Exists: everything) or equal, and whose operator
/// Exists, or Equal (the default) with the same value.
fn tolerates(pod: &Value, key: &str, value: &str, effect: &str) -> bool {
    let Some(tolerations) = pod.pointer("/spec/tolerations").and_then(Value::as_array) else {
        return false;
    };
    tolerations.iter().any(|toleration| {
        let t_key = fields::text(toleration, "/key").unwrap_or_default();
        let t_effect = fields::text(toleration, "/effect").unwrap_or_default();
        let operator = fields::text(toleration, "/operator").unwrap_or("Equal");
        let t_value = fields::text(toleration, "/value").unwrap_or_default();
        if !t_effect.is_empty() && t_effect != effect {
            return false;
        }
        if t_key.is_empty() {
            return operator == "Exists";
        }
        if t_key != key {
            return false;
        }
        match operator {
            "Exists" => true,
            "Equal" | "" => t_value == value,
            _ => false,
        }
    })
}

fn node_selector_matches(pod: &Value, node: &Value) -> bool {
    let Some(selector) = pod.pointer("/spec/nodeSelector").and_then(Value::as_object) else {
        return true;
    };
    let labels = node.pointer("/metadata/labels");
    selector
        .iter()
        .all(|(key, value)| labels.and_then(|l| l.get(key)) == Some(value))
}

/// `FitError.Error()`: counts per reason, sorted as strings, then the
/// post-filter (preemption) verdict.
fn unschedulable_message(nodes: usize, reasons: &BTreeMap<String, usize>) -> String {
    let mut parts: Vec<String> = reasons
        .iter()
        .map(|(reason, count)| format!("{count} {reason}"))
        .collect();
    parts.sort();
    let resource_failures: usize = reasons
        .iter()
        .filter(|(reason, _)| reason.starts_with("Insufficient") || *reason == "Too many pods")
        .map(|(_, count)| *count)
        .sum();
    let resource_failures = resource_failures.min(nodes);
    let mut preemption = Vec::new();
    if nodes > resource_failures {
        preemption.push(format!(
            "{} Preemption is not helpful for scheduling",
            nodes - resource_failures
        ));
    }
    if resource_failures > 0 {
        preemption.push(format!(
            "{resource_failures} No preemption victims found for incoming pod"
        ));
    }
    preemption.sort();
    format!(
        "0/{nodes} nodes are available: {}. preemption: 0/{nodes} nodes are available: {}.",
        parts.join(", "),
        preemption.join(", ")
    )
}

fn bind(pass: &mut Pass<'_>, pod: &Value, node: &str) {
    let now = pass.now;
    let bound = pass.update("pods", fields::namespace(pod), fields::name(pod), |pod| {
        if let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) {
            spec.insert("nodeName".into(), json!(node));
        }
        if let Some(status) = status_mut(pod) {
            status.entry("phase").or_insert_with(|| json!("Pending"));
            set_condition(status, "PodScheduled", "True", "", "", now);
        }
    });
    if let Some(bound) = bound {
        let message = format!(
            "Successfully assigned {}/{} to {node}",
            fields::namespace(&bound),
            fields::name(&bound)
        );
        events::record(
            pass,
            &bound,
            &events::SCHEDULER,
            Occurrence::normal("Scheduled", message),
        );
    }
}

fn mark_unschedulable(pass: &mut Pass<'_>, pod: &Value, message: &str) {
    let previous = fields::condition(pod, "PodScheduled")
        .and_then(|c| c.get("message"))
        .and_then(Value::as_str);
    let changed = previous != Some(message);
    let now = pass.now;
    let updated = pass.update("pods", fields::namespace(pod), fields::name(pod), |pod| {
        if let Some(status) = status_mut(pod) {
            status.entry("phase").or_insert_with(|| json!("Pending"));
            set_condition(
                status,
                "PodScheduled",
                "False",
                "Unschedulable",
                message,
                now,
            );
        }
    });
    // The scheduler reports a failure again only when its reasons change.
    if let (true, Some(updated)) = (changed, updated) {
        events::record(
            pass,
            &updated,
            &events::SCHEDULER,
            Occurrence::warning("FailedScheduling", message.to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod_tolerating(tolerations: Value) -> Value {
        json!({"spec": {"tolerations": tolerations}})
    }

    #[test]
    fn toleration_matching_follows_kubernetes() {
        let any = pod_tolerating(json!([{"operator": "Exists"}]));
        assert!(tolerates(&any, "whatever", "x", "NoSchedule"));
        let by_key = pod_tolerating(json!([{"key": "k", "operator": "Exists"}]));
        assert!(tolerates(&by_key, "k", "v", "NoExecute"));
        assert!(!tolerates(&by_key, "other", "", "NoExecute"));
        let equal = pod_tolerating(json!([{"key": "k", "value": "v", "effect": "NoSchedule"}]));
        assert!(tolerates(&equal, "k", "v", "NoSchedule"));
        assert!(!tolerates(&equal, "k", "w", "NoSchedule"));
        assert!(!tolerates(&equal, "k", "v", "NoExecute"));
        assert!(!tolerates(&json!({}), "k", "", "NoSchedule"));
    }

    #[test]
    fn the_message_counts_reasons_like_fit_error() {
        let reasons = BTreeMap::from([
            ("Insufficient cpu".to_string(), 2),
            ("node(s) were unschedulable".to_string(), 1),
        ]);
        assert_eq!(
            unschedulable_message(3, &reasons),
            "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. \
             preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, \
             2 No preemption victims found for incoming pod."
        );
    }
}
