//! Tests of the drain plan, on small hand-made clusters and on the demo cluster.

mod budgets;
mod capacity;
mod counts;
mod demo;
mod filters;
mod views;

use crate::cluster::pod::Pod;
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use serde_json::{Value, json};

use super::*;

pub(super) fn now() -> Timestamp {
    "2026-11-23T12:00:00Z".parse().expect("now")
}

/// A Running, Ready pod a ReplicaSet owns, on `node`.
pub(super) fn pod_json(ns: &str, name: &str, node: &str) -> Value {
    json!({
        "metadata": {
            "namespace": ns, "name": name, "labels": {"app": "web"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1",
                                 "uid": "u", "controller": true}]
        },
        "spec": {"nodeName": node, "containers": [{"name": "c"}]},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}
    })
}

pub(super) fn pod(v: Value) -> Pod {
    serde_json::from_value(v).expect("pod")
}

pub(super) fn node(name: &str) -> Node {
    serde_json::from_value(json!({
        "metadata": {"name": name},
        "status": {"conditions": [{"type": "Ready", "status": "True"}],
                   "allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}
    }))
    .expect("node")
}

pub(super) fn daemon_set(ns: &str, name: &str) -> DaemonSet {
    serde_json::from_value(json!({"metadata": {"namespace": ns, "name": name}})).expect("ds")
}

/// A budget in `ns` selecting `app=<app>`, with `spec` merged in and status
/// `(current, desired, expected, allowed)`.
pub(super) fn pdb(
    ns: &str,
    name: &str,
    spec: Value,
    status: (i32, i32, i32, i32),
) -> PodDisruptionBudget {
    let mut full = json!({"selector": {"matchLabels": {"app": "web"}}});
    if let (Some(full), Some(extra)) = (full.as_object_mut(), spec.as_object()) {
        for (k, v) in extra {
            full.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(json!({
        "metadata": {"namespace": ns, "name": name, "generation": 1},
        "spec": full,
        "status": {"currentHealthy": status.0, "desiredHealthy": status.1,
                   "expectedPods": status.2, "disruptionsAllowed": status.3,
                   "observedGeneration": 1}
    }))
    .expect("pdb")
}

/// A small cluster to plan against.
#[derive(Default)]
pub(super) struct Cluster {
    pub nodes: Vec<Node>,
    pub pods: Vec<Pod>,
    pub pdbs: Vec<PodDisruptionBudget>,
    pub daemon_sets: Vec<DaemonSet>,
}

impl Cluster {
    pub fn with_nodes(names: &[&str]) -> Self {
        Cluster {
            nodes: names.iter().map(|n| node(n)).collect(),
            ..Default::default()
        }
    }

    pub fn plan(&self, drain: &[&str], options: &DrainOptions) -> DrainPlan {
        let drain: Vec<String> = drain.iter().map(|s| s.to_string()).collect();
        let nodes: Vec<&Node> = self.nodes.iter().collect();
        let pods: Vec<&Pod> = self.pods.iter().collect();
        let pdbs: Vec<&PodDisruptionBudget> = self.pdbs.iter().collect();
        let daemon_sets: Vec<&DaemonSet> = self.daemon_sets.iter().collect();
        let input = DrainInput {
            drain: &drain,
            nodes: &nodes,
            pods: &pods,
            pdbs: &pdbs,
            daemon_sets: &daemon_sets,
        };
        plan_drain(&input, options, now())
    }
}

/// `name verdict | reason` per pod, the shape most assertions compare.
pub(super) fn rows(plan: &DrainPlan) -> Vec<String> {
    plan.pods
        .iter()
        .map(|p| format!("{} {:?} | {}", p.name, p.verdict, p.reason))
        .collect()
}
