//! The node lifecycle controller's part that a cordon shows: a node with
//! `spec.unschedulable` gets the `node.kubernetes.io/unschedulable:NoSchedule`
//! taint (with `timeAdded`), and loses it when uncordoned, shortly after the
//! patch as in a real control plane (`wire/41` shows the taint still there in
//! the uncordon's own response).

use serde_json::{Value, json};

use super::Pass;

pub const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

pub fn run(pass: &mut Pass<'_>) {
    for node in pass.list("nodes") {
        let cordoned = node.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true);
        let tainted = has_taint(&node);
        if cordoned == tainted {
            continue;
        }
        let name = node
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let now = super::fields::stamp(pass.now);
        pass.update("nodes", "", &name, |node| {
            sync_taint(node, &now);
        });
    }
}

fn has_taint(node: &Value) -> bool {
    node.pointer("/spec/taints")
        .and_then(Value::as_array)
        .is_some_and(|taints| taints.iter().any(is_unschedulable_taint))
}

fn is_unschedulable_taint(taint: &Value) -> bool {
    taint.get("key").and_then(Value::as_str) == Some(UNSCHEDULABLE_TAINT)
        && taint.get("effect").and_then(Value::as_str) == Some("NoSchedule")
}

/// Adds or removes the taint to match `spec.unschedulable`.
fn sync_taint(node: &mut Value, now: &str) {
    let cordoned = node.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true);
    let Some(spec) = node.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    let mut taints: Vec<Value> = spec
        .get("taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    taints.retain(|t| !is_unschedulable_taint(t));
    if cordoned {
        taints.push(json!({
            "key": UNSCHEDULABLE_TAINT,
            "effect": "NoSchedule",
            "timeAdded": now,
        }));
    }
    if taints.is_empty() {
        spec.remove("taints");
    } else {
        spec.insert("taints".into(), Value::Array(taints));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cordon_adds_the_taint_and_an_uncordon_takes_it_away() {
        let mut node = json!({"metadata": {"name": "n1"},
            "spec": {"unschedulable": true, "taints": [
                {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]}});
        sync_taint(&mut node, "2026-11-23T12:00:00Z");
        assert_eq!(
            node["spec"]["taints"],
            json!([
                {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
                {"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule",
                 "timeAdded": "2026-11-23T12:00:00Z"}
            ])
        );
        assert!(has_taint(&node));
        node["spec"]["unschedulable"] = json!(false);
        sync_taint(&mut node, "2026-11-23T12:01:00Z");
        assert_eq!(
            node["spec"]["taints"],
            json!([{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}])
        );
        node["spec"]["taints"] = json!([{"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule"}]);
        sync_taint(&mut node, "2026-11-23T12:02:00Z");
        assert!(node["spec"].get("taints").is_none(), "{node}");
    }
}
