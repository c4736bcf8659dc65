//! The capacity pre-check: first fit, largest first, with the scheduler's filters.

use serde_json::json;

use super::*;

fn sized(name: &str, cpu: &str, memory: &str) -> Value {
    let mut v = pod_json("shop", name, "n1");
    v["spec"]["containers"][0]["resources"] = json!({"requests": {"cpu": cpu, "memory": memory}});
    v
}

fn node_with(name: &str, extra: Value) -> Node {
    let mut v = serde_json::to_value(node(name)).expect("node json");
    if let (Some(v), Some(extra)) = (v.as_object_mut(), extra.as_object()) {
        for (k, e) in extra {
            v.insert(k.clone(), e.clone());
        }
    }
    serde_json::from_value(v).expect("node")
}

fn placements(plan: &DrainPlan) -> Vec<String> {
    plan.capacity
        .placements
        .iter()
        .map(|p| match (&p.node, &p.reason) {
            (Some(n), _) => format!("{} ({}) -> {n}", p.name, p.requests),
            (None, r) => format!(
                "{} ({}) -> nowhere: {}",
                p.name,
                p.requests,
                r.as_deref().unwrap_or("")
            ),
        })
        .collect()
}

#[test]
fn pods_are_placed_first_fit_decreasing_on_what_is_left() {
    let mut c = Cluster::with_nodes(&["n1", "n2", "n3"]);
    c.pods.push(pod(sized("small", "500m", "1Gi")));
    c.pods.push(pod(sized("big", "1500m", "1Gi")));
    c.pods.push(pod(sized("mid", "1", "1Gi")));
    // n2 already runs 1 cpu; a finished pod there holds nothing.
    let mut there = sized("resident", "1", "512Mi");
    there["spec"]["nodeName"] = json!("n2");
    c.pods.push(pod(there));
    let mut done = sized("done", "2", "1Gi");
    done["spec"]["nodeName"] = json!("n2");
    done["status"]["phase"] = json!("Succeeded");
    c.pods.push(pod(done));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(plan.capacity.nodes, ["n2", "n3"]);
    assert_eq!(
        placements(&plan),
        [
            "big (cpu 1500m, memory 1Gi) -> n3",
            "mid (cpu 1, memory 1Gi) -> n2",
            "small (cpu 500m, memory 1Gi) -> n3",
        ]
    );
    assert!(plan.capacity.fits);
}

#[test]
fn insufficient_resources_are_named() {
    let mut c = Cluster::with_nodes(&["n1", "n2"]);
    c.pods.push(pod(sized("huge", "3", "1Gi")));
    c.pods.push(pod(sized("fat", "100m", "5Gi")));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        placements(&plan),
        [
            "huge (cpu 3, memory 1Gi) -> nowhere: insufficient cpu",
            "fat (cpu 100m, memory 5Gi) -> nowhere: insufficient memory",
        ]
    );
    assert!(!plan.capacity.fits);
}

#[test]
fn the_pod_count_limit_counts() {
    let mut c = Cluster::with_nodes(&["n1"]);
    c.nodes.push(node_with(
        "n2",
        json!({"status": {"conditions": [{"type": "Ready", "status": "True"}],
                          "allocatable": {"cpu": "8", "memory": "8Gi", "pods": "1"}}}),
    ));
    c.pods.push(pod(sized("a", "100m", "1Mi")));
    c.pods.push(pod(sized("b", "100m", "1Mi")));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        placements(&plan),
        [
            "a (cpu 100m, memory 1Mi) -> n2",
            "b (cpu 100m, memory 1Mi) -> nowhere: too many pods"
        ]
    );
}

#[test]
fn taints_and_tolerations_decide() {
    let mut c = Cluster::with_nodes(&["n1"]);
    c.nodes.push(node_with(
        "n2",
        json!({"spec": {"taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
                                   {"key": "soft", "effect": "PreferNoSchedule"}]}}),
    ));
    c.pods.push(pod(sized("plain", "100m", "1Mi")));
    let mut tolerant = sized("tolerant", "200m", "1Mi");
    tolerant["spec"]["tolerations"] =
        json!([{"key": "dedicated", "operator": "Equal", "value": "gpu"}]);
    c.pods.push(pod(tolerant));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        placements(&plan),
        [
            "tolerant (cpu 200m, memory 1Mi) -> n2",
            "plain (cpu 100m, memory 1Mi) -> nowhere: no node tolerates taint dedicated=gpu:NoSchedule",
        ]
    );
}

#[test]
fn node_selectors_and_mixed_reasons() {
    let mut c = Cluster::with_nodes(&["n1", "n3"]);
    c.nodes.push(node_with(
        "n2",
        json!({"metadata": {"name": "n2", "labels": {"disk": "ssd"}}}),
    ));
    let mut picky = sized("picky", "100m", "1Mi");
    picky["spec"]["nodeSelector"] = json!({"disk": "nvme"});
    c.pods.push(pod(picky));
    let mut ssd = sized("ssd", "3", "1Mi");
    ssd["spec"]["nodeSelector"] = json!({"disk": "ssd"});
    c.pods.push(pod(ssd));
    let plan = c.plan(&["n1"], &DrainOptions::default());
    assert_eq!(
        placements(&plan),
        [
            "ssd (cpu 3, memory 1Mi) -> nowhere: insufficient cpu on 1 node; nodeSelector does not match on 1 node",
            "picky (cpu 100m, memory 1Mi) -> nowhere: nodeSelector matches no schedulable node",
        ]
    );
}

#[test]
fn cordoned_not_ready_and_drained_nodes_take_nothing() {
    let mut c = Cluster::with_nodes(&["n1", "n2"]);
    c.nodes.push(node_with(
        "cordoned",
        json!({"spec": {"unschedulable": true}}),
    ));
    c.nodes.push(node_with(
        "down",
        json!({"status": {"conditions": [{"type": "Ready", "status": "Unknown"}],
                          "allocatable": {"cpu": "8", "memory": "8Gi", "pods": "110"}}}),
    ));
    c.pods.push(pod(sized("a", "100m", "1Mi")));
    // A pod nobody recreates needs no new node.
    let mut bare = sized("bare", "100m", "1Mi");
    bare["metadata"]["ownerReferences"] = json!(null);
    c.pods.push(pod(bare));
    let plan = c.plan(
        &["n1", "n2"],
        &DrainOptions {
            force: true,
            ..Default::default()
        },
    );
    assert!(plan.capacity.nodes.is_empty());
    assert_eq!(
        placements(&plan),
        ["a (cpu 100m, memory 1Mi) -> nowhere: no schedulable node remains"]
    );
}
