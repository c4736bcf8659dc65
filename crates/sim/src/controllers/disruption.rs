//! The disruption controller: keeps every PodDisruptionBudget's status
//! current (expected, healthy and desired pods, disruptions allowed), which
//! is what the eviction API checks.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use serde_json::{Map, Value, json};

use super::Pass;
use super::fields::{self, set_condition, status_mut};
use kubesight_model::selector::from_label_selector;

/// How long an eviction's entry in `disruptedPods` holds back a disruption
/// before the controller assumes the deletion did not happen.
const DELETION_TIMEOUT: SignedDuration = SignedDuration::from_secs(120);

pub fn run(pass: &mut Pass<'_>) {
    for budget in pass.list("poddisruptionbudgets") {
        sync(pass, &budget);
    }
}

fn matching_pods(pass: &Pass<'_>, budget: &Value) -> Vec<Value> {
    let typed: Option<PodDisruptionBudget> = serde_json::from_value(budget.clone()).ok();
    // policy/v1: a missing selector selects nothing, an empty one everything.
    let Some(selector) = typed
        .and_then(|b| b.spec)
        .and_then(|s| s.selector)
        .and_then(|s| from_label_selector(&s).ok())
    else {
        return Vec::new();
    };
    pass.sim
        .list("pods", Some(fields::namespace(budget)))
        .into_iter()
        .filter(|pod| {
            let labels: BTreeMap<String, String> = pod
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect();
            selector.matches(&labels)
        })
        .collect()
}

/// The replicas the pods' controllers ask for (a Deployment's for the pods of
/// its ReplicaSets); pods without a known controller count as one each.
fn expected_from_controllers(pass: &Pass<'_>, pods: &[Value]) -> i64 {
    let namespace = pods.first().map(fields::namespace).unwrap_or_default();
    let workloads: Vec<Value> = ["replicasets", "statefulsets", "deployments"]
        .iter()
        .flat_map(|r| pass.sim.list(r, Some(namespace)))
        .collect();
    let by_uid = |uid: &str| workloads.iter().find(|w| fields::uid(w) == uid);
    let mut scales: BTreeMap<String, i64> = BTreeMap::new();
    let mut loose = 0;
    for pod in pods {
        let owner = fields::controller_uid(pod).and_then(by_uid);
        let Some(mut owner) = owner else {
            loose += 1;
            continue;
        };
        // A Deployment's ReplicaSets come and go; the Deployment's scale counts.
        if let Some(deployment) = fields::controller_uid(owner).and_then(by_uid) {
            owner = deployment;
        }
        let replicas = fields::int(owner, "/spec/replicas").unwrap_or(1);
        scales.insert(fields::uid(owner).to_string(), replicas);
    }
    scales.values().sum::<i64>() + loose
}

fn percent(value: &Value) -> Option<i64> {
    value.as_str()?.strip_suffix('%')?.parse().ok()
}

/// Expected and desired healthy pods, as `getExpectedPodCount` computes them.
fn expected_and_desired(pass: &Pass<'_>, budget: &Value, pods: &[Value]) -> (i64, i64) {
    let count = pods.len() as i64;
    if let Some(max_unavailable) = budget.pointer("/spec/maxUnavailable") {
        let expected = expected_from_controllers(pass, pods);
        let unavailable = match percent(max_unavailable) {
            Some(p) => (p * expected + 99) / 100,
            None => max_unavailable.as_i64().unwrap_or(0),
        };
        return (expected, (expected - unavailable).max(0));
    }
    if let Some(min_available) = budget.pointer("/spec/minAvailable") {
        return match percent(min_available) {
            Some(p) => {
                let expected = expected_from_controllers(pass, pods);
                (expected, (p * expected + 99) / 100)
            }
            // An integer minAvailable needs no controller: the pods are what is expected.
            None => (count, min_available.as_i64().unwrap_or(0)),
        };
    }
    (count, 0)
}

/// `buildDisruptedPodMap`: entries still pending, dropping those of pods
/// that are gone or being deleted and those older than the timeout.
fn pending_disruptions(budget: &Value, pods: &[Value], now: Timestamp) -> Map<String, Value> {
    let Some(entries) = budget
        .pointer("/status/disruptedPods")
        .and_then(Value::as_object)
    else {
        return Map::new();
    };
    entries
        .iter()
        .filter(|(name, at)| {
            let live = pods
                .iter()
                .any(|p| fields::name(p) == name.as_str() && !fields::is_terminating(p));
            let fresh = at
                .as_str()
                .and_then(|t| t.parse::<Timestamp>().ok())
                .is_some_and(|t| t.checked_add(DELETION_TIMEOUT).is_ok_and(|end| end > now));
            live && fresh
        })
        .map(|(name, at)| (name.clone(), at.clone()))
        .collect()
}

fn sync(pass: &mut Pass<'_>, budget: &Value) {
    let now = pass.now;
    let pods = matching_pods(pass, budget);
    let (expected, desired) = expected_and_desired(pass, budget, &pods);
    let disrupted = pending_disruptions(budget, &pods, now);
    let healthy = pods
        .iter()
        .filter(|p| !fields::is_terminating(p))
        .filter(|p| !disrupted.contains_key(fields::name(p)))
        .filter(|p| fields::is_pod_ready(p))
        .count() as i64;
    let allowed = (healthy - desired).max(0);
    let generation = fields::int(budget, "/metadata/generation").unwrap_or(1);
    pass.update(
        "poddisruptionbudgets",
        fields::namespace(budget),
        fields::name(budget),
        |b| {
            let Some(status) = status_mut(b) else { return };
            status.insert("observedGeneration".into(), json!(generation));
            status.insert("expectedPods".into(), json!(expected));
            status.insert("desiredHealthy".into(), json!(desired));
            status.insert("currentHealthy".into(), json!(healthy));
            status.insert("disruptionsAllowed".into(), json!(allowed));
            if disrupted.is_empty() {
                status.remove("disruptedPods");
            } else {
                status.insert("disruptedPods".into(), Value::Object(disrupted));
            }
            let (value, reason) = if allowed > 0 {
                ("True", "SufficientPods")
            } else {
                ("False", "InsufficientPods")
            };
            set_condition(status, "DisruptionAllowed", value, reason, "", now);
            if let Some(Value::Array(conditions)) = status.get_mut("conditions") {
                for condition in conditions.iter_mut().filter_map(Value::as_object_mut) {
                    condition.insert("observedGeneration".into(), json!(generation));
                    // The real controller always writes the (empty) message.
                    condition.entry("message").or_insert_with(|| json!(""));
                }
            }
        },
    );
}
