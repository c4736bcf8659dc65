//! The ReplicaSet controller: keeps as many active pods as `spec.replicas`
//! asks, creating them from the template and deleting the least useful extras,
//! and reports what it sees in the status.

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::Pass;
use super::events::{self, Occurrence};
use super::fields::{self, stamp, status_mut};
use crate::delete::{self, DeleteOptions};
use kubesight_model::clock::Clock;

pub fn run(pass: &mut Pass<'_>) {
    let replica_sets = pass.list("replicasets");
    for replica_set in replica_sets.iter().filter(|rs| !fields::is_terminating(rs)) {
        sync(pass, replica_set);
    }
}

/// The active pods `owner` controls, by `ownerReferences` (adoption of
/// orphans by selector is left out).
pub fn owned_pods(pass: &Pass<'_>, owner: &Value) -> Vec<Value> {
    let uid = fields::uid(owner);
    pass.sim
        .list("pods", Some(fields::namespace(owner)))
        .into_iter()
        .filter(|pod| fields::controller_uid(pod) == Some(uid) && fields::is_active(pod))
        .collect()
}

fn sync(pass: &mut Pass<'_>, replica_set: &Value) {
    let desired = fields::int(replica_set, "/spec/replicas")
        .unwrap_or(1)
        .max(0) as usize;
    let mut pods = owned_pods(pass, replica_set);
    if pods.len() < desired {
        for _ in pods.len()..desired {
            if let Some(pod) = create_pod(pass, replica_set) {
                pods.push(pod);
            }
        }
    } else if pods.len() > desired {
        pods.sort_by(deletion_order);
        let extras: Vec<Value> = pods.drain(..pods.len() - desired).collect();
        for pod in extras {
            delete_pod(pass, replica_set, &pod);
        }
    }
    update_status(pass, replica_set, &pods);
}

/// `ActivePodsWithRanks`, simplified: unscheduled before scheduled, pending
/// before running, not ready before ready, then the newest first.
fn deletion_order(a: &Value, b: &Value) -> std::cmp::Ordering {
    let rank = |pod: &Value| {
        (
            !fields::node_name(pod).is_empty(),
            fields::phase(pod) == "Running",
            fields::is_pod_ready(pod),
            std::cmp::Reverse(
                fields::text(pod, "/metadata/creationTimestamp")
                    .unwrap_or_default()
                    .to_string(),
            ),
        )
    };
    rank(a).cmp(&rank(b))
}

fn create_pod(pass: &mut Pass<'_>, replica_set: &Value) -> Option<Value> {
    let rs_name = fields::name(replica_set);
    let namespace = fields::namespace(replica_set);
    let template = replica_set
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    let name = loop {
        let candidate = format!("{rs_name}-{}", pass.name_suffix());
        if pass.sim.get("pods", namespace, &candidate).is_none() {
            break candidate;
        }
    };
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(name));
    metadata.insert("generateName".into(), json!(format!("{rs_name}-")));
    metadata.insert("namespace".into(), json!(namespace));
    metadata.insert("creationTimestamp".into(), json!(stamp(pass.now)));
    for field in ["labels", "annotations"] {
        if let Some(value) = template.pointer(&format!("/metadata/{field}")) {
            metadata.insert(field.into(), value.clone());
        }
    }
    metadata.insert(
        "ownerReferences".into(),
        json!([{
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "name": rs_name,
            "uid": fields::uid(replica_set),
            "controller": true,
            "blockOwnerDeletion": true,
        }]),
    );
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": template.get("spec").cloned().unwrap_or(json!({})),
        "status": {"phase": "Pending"},
    });
    match pass.sim.apply(pod) {
        Ok(created) => {
            let message = format!("Created pod: {name}");
            let source = &events::REPLICASET_CONTROLLER;
            events::record(
                pass,
                replica_set,
                source,
                Occurrence::normal("SuccessfulCreate", message),
            );
            Some(created)
        }
        Err(error) => {
            tracing::warn!("simulator controllers: cannot create a pod for {rs_name}: {error}");
            None
        }
    }
}

/// Deletes `pod` as the controller does, with the pod's own grace period, at
/// the pass's instant (so a fixed test clock stays in charge).
fn delete_pod(pass: &mut Pass<'_>, replica_set: &Value, pod: &Value) {
    let Some(pods) = crate::resources::lookup("pods") else {
        return;
    };
    let clock = Clock::Fixed(pass.now);
    let (namespace, name) = (fields::namespace(pod), fields::name(pod));
    let options = DeleteOptions::default();
    match delete::delete(pass.sim.store(), &clock, pods, namespace, name, &options) {
        Ok(Some(_)) => {
            let message = format!("Deleted pod: {name}");
            let source = &events::REPLICASET_CONTROLLER;
            events::record(
                pass,
                replica_set,
                source,
                Occurrence::normal("SuccessfulDelete", message),
            );
        }
        Ok(None) => {}
        Err(_) => tracing::warn!("simulator controllers: cannot delete {namespace}/{name}"),
    }
}

fn update_status(pass: &mut Pass<'_>, replica_set: &Value, pods: &[Value]) {
    let now: Timestamp = pass.now;
    let min_ready = fields::int(replica_set, "/spec/minReadySeconds").unwrap_or(0);
    let template_labels = replica_set
        .pointer("/spec/template/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let fully_labeled = pods
        .iter()
        .filter(|pod| {
            let labels = pod.pointer("/metadata/labels");
            template_labels
                .iter()
                .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
        })
        .count();
    let ready = pods.iter().filter(|p| fields::is_pod_ready(p)).count();
    let available = pods
        .iter()
        .filter(|p| fields::is_pod_available(p, min_ready, now))
        .count();
    let generation = fields::int(replica_set, "/metadata/generation").unwrap_or(1);
    let replicas = pods.len();
    pass.update(
        "replicasets",
        fields::namespace(replica_set),
        fields::name(replica_set),
        |rs| {
            let Some(status) = status_mut(rs) else { return };
            status.insert("replicas".into(), json!(replicas));
            status.insert("fullyLabeledReplicas".into(), json!(fully_labeled));
            status.insert("readyReplicas".into(), json!(ready));
            status.insert("availableReplicas".into(), json!(available));
            status.insert("observedGeneration".into(), json!(generation));
        },
    );
}
