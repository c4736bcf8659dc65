//! Will the evicted pods find room? A deterministic first-fit-decreasing
//! placement of the pods a controller recreates onto the nodes that stay
//! schedulable, with the scheduler's filters we can judge from the cache
//! (nodeSelector, NoSchedule/NoExecute taints, pod count, resource requests).
//! Node affinity, pod (anti-)affinity, topology spread and volume limits are
//! not judged: a pod that fits here may still not schedule.

use std::collections::{HashMap, HashSet};

use crate::cluster::pod::Pod;
use k8s_openapi::api::core::v1::Node;
use serde::Serialize;

use super::plan::{DrainInput, PodPlan, Verdict};
use crate::node::{NodeReadiness, format_taint, is_unschedulable, readiness};
use crate::quantity::{format_cpu_milli, format_memory_milli};
use crate::resources::{Requests, holds_node_resources, pod_requests};
use crate::scheduling::{
    allocatable, insufficient, node_selector_matches, subtract, untolerated_taint,
};

/// Where one recreated pod may land.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    pub namespace: String,
    pub name: String,
    /// `cpu 500m, memory 256Mi`, or `no requests`.
    pub requests: String,
    /// The first node it fits on, in first-fit-decreasing order.
    pub node: Option<String>,
    /// Why it fits nowhere, when it does not.
    pub reason: Option<String>,
}

/// The capacity pre-check of a drain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityCheck {
    /// Nodes that stay schedulable: Ready, not cordoned, not drained; by name.
    pub nodes: Vec<String>,
    /// The pods to place, in placement order (largest cpu, then memory, first).
    pub placements: Vec<Placement>,
    /// Whether every pod found a node.
    pub fits: bool,
}

fn requests_text(requests: &Requests) -> String {
    let mut parts = Vec::new();
    if let Some(cpu) = requests.get("cpu").filter(|v| **v > 0) {
        parts.push(format!("cpu {}", format_cpu_milli(*cpu)));
    }
    if let Some(memory) = requests.get("memory").filter(|v| **v > 0) {
        parts.push(format!("memory {}", format_memory_milli(*memory)));
    }
    for (name, v) in requests {
        if name != "cpu" && name != "memory" && *v > 0 {
            parts.push(format!("{name} {}", format_cpu_milli(*v)));
        }
    }
    if parts.is_empty() {
        "no requests".into()
    } else {
        parts.join(", ")
    }
}

/// Why `pod` does not fit on one node, in the scheduler's filter order.
enum Misfit {
    NodeSelector,
    Taint(String),
    Resources(String),
}

struct Candidate<'a> {
    node: &'a Node,
    name: String,
    free: Requests,
}

fn misfit(candidate: &Candidate, pod: &Pod, requests: &Requests) -> Option<Misfit> {
    if !node_selector_matches(candidate.node, pod) {
        return Some(Misfit::NodeSelector);
    }
    if let Some(taint) = untolerated_taint(candidate.node, pod) {
        return Some(Misfit::Taint(format_taint(taint)));
    }
    let mut want = requests.clone();
    want.insert("pods".into(), 1000);
    let short = insufficient(&want, &candidate.free);
    if short.is_empty() {
        return None;
    }
    Some(Misfit::Resources(
        short
            .iter()
            .map(|r| {
                if r == "pods" {
                    "too many pods".to_string()
                } else {
                    format!("insufficient {r}")
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
    ))
}

/// One reason when every node fails alike, else each reason with its node count.
fn explain(misfits: Vec<Misfit>) -> String {
    // (text for one node among others, text when it is the only reason)
    let mut groups: Vec<(String, String, usize)> = Vec::new();
    for m in misfits {
        let (shared, alone) = match m {
            Misfit::NodeSelector => (
                "nodeSelector does not match".to_string(),
                "nodeSelector matches no schedulable node".to_string(),
            ),
            Misfit::Taint(t) => (
                format!("untolerated taint {t}"),
                format!("no node tolerates taint {t}"),
            ),
            Misfit::Resources(r) => (r.clone(), r),
        };
        match groups.iter_mut().find(|(text, _, _)| *text == shared) {
            Some((_, _, n)) => *n += 1,
            None => groups.push((shared, alone, 1)),
        }
    }
    match groups.as_slice() {
        [] => "no schedulable node remains".into(),
        [(_, alone, _)] => alone.clone(),
        many => many
            .iter()
            .map(|(text, _, n)| format!("{text} on {n} node{}", if *n == 1 { "" } else { "s" }))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// Places the pods of `planned` that will need a new home.
pub fn check_capacity(input: &DrainInput, planned: &[PodPlan]) -> CapacityCheck {
    let drained: HashSet<&str> = input.drain.iter().map(String::as_str).collect();
    let mut candidates: Vec<Candidate> = input
        .nodes
        .iter()
        .filter_map(|n| {
            let name = n.metadata.name.as_deref()?;
            let keep = readiness(n) == NodeReadiness::Ready
                && !is_unschedulable(n)
                && !drained.contains(name);
            keep.then(|| Candidate {
                node: n,
                name: name.to_string(),
                free: allocatable(n),
            })
        })
        .collect();
    candidates.sort_by(|a, b| a.name.cmp(&b.name));
    let slot: HashMap<String, usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.clone(), i))
        .collect();
    // Pods that need a place: those a controller (not a DaemonSet) recreates,
    // still holding resources, whose eviction is meant to happen.
    let moving: HashSet<(&str, &str)> = planned
        .iter()
        .filter(|p| matches!(p.verdict, Verdict::Evict | Verdict::Blocked))
        .filter(|p| {
            p.controller
                .as_deref()
                .is_some_and(|c| !c.starts_with("DaemonSet/"))
        })
        .map(|p| (p.namespace.as_str(), p.name.as_str()))
        .collect();
    let mut to_place: Vec<(&Pod, Requests)> = Vec::new();
    for pod in input.pods {
        if !holds_node_resources(pod) {
            continue;
        }
        let key = (
            pod.metadata.namespace.as_deref().unwrap_or(""),
            pod.metadata.name.as_deref().unwrap_or(""),
        );
        let on = pod.spec.as_ref().and_then(|s| s.node_name.as_deref());
        if let Some(&i) = on.and_then(|n| slot.get(n)) {
            let mut used = pod_requests(pod);
            used.insert("pods".into(), 1000);
            subtract(&mut candidates[i].free, &used);
        } else if on.is_some_and(|n| drained.contains(n))
            && moving.contains(&key)
            // A terminating pod's controller has already made its replacement.
            && pod.metadata.deletion_timestamp.is_none()
        {
            to_place.push((pod, pod_requests(pod)));
        }
    }
    let size = |r: &Requests, k: &str| r.get(k).copied().unwrap_or(0);
    to_place.sort_by(|(a, ra), (b, rb)| {
        size(rb, "cpu")
            .cmp(&size(ra, "cpu"))
            .then(size(rb, "memory").cmp(&size(ra, "memory")))
            .then(
                (&a.metadata.namespace, &a.metadata.name)
                    .cmp(&(&b.metadata.namespace, &b.metadata.name)),
            )
    });
    let mut placements = Vec::new();
    for (pod, requests) in to_place {
        let mut misfits = Vec::new();
        let mut landed = None;
        for candidate in candidates.iter_mut() {
            match misfit(candidate, pod, &requests) {
                Some(m) => misfits.push(m),
                None => {
                    let mut used = requests.clone();
                    used.insert("pods".into(), 1000);
                    subtract(&mut candidate.free, &used);
                    landed = Some(candidate.name.clone());
                    break;
                }
            }
        }
        placements.push(Placement {
            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
            name: pod.metadata.name.clone().unwrap_or_default(),
            requests: requests_text(&requests),
            reason: landed.is_none().then(|| explain(misfits)),
            node: landed,
        });
    }
    CapacityCheck {
        nodes: candidates.into_iter().map(|c| c.name).collect(),
        fits: placements.iter().all(|p| p.node.is_some()),
        placements,
    }
}
