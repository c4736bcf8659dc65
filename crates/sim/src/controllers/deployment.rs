//! The Deployment controller: one ReplicaSet per pod template (named by the
//! template's hash, revisioned), rolled out with RollingUpdate within
//! maxSurge/maxUnavailable or with Recreate, and a status that says how far
//! the rollout got.

use serde_json::{Map, Value, json};

use super::Pass;
use super::events::{self, Occurrence};
use super::fields::{self, set_condition, status_mut};

mod template;
use template::same_template;
pub use template::template_hash;

const REVISION: &str = "deployment.kubernetes.io/revision";
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
const HASH_LABEL: &str = "pod-template-hash";

pub fn run(pass: &mut Pass<'_>) {
    for deployment in pass.list("deployments") {
        if !fields::is_terminating(&deployment) {
            sync(pass, &deployment);
        }
    }
}

/// A ReplicaSet as the rollout sees it, with the replicas it is being given.
struct Owned {
    object: Value,
    replicas: i64,
}

impl Owned {
    fn name(&self) -> &str {
        fields::name(&self.object)
    }
    fn available(&self) -> i64 {
        fields::int(&self.object, "/status/availableReplicas").unwrap_or(0)
    }
    fn revision(&self) -> i64 {
        revision_of(&self.object)
    }
}

fn revision_of(object: &Value) -> i64 {
    object
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(REVISION))
        .and_then(Value::as_str)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

fn sync(pass: &mut Pass<'_>, deployment: &Value) {
    let uid = fields::uid(deployment);
    let namespace = fields::namespace(deployment);
    let template = deployment
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    let mut owned: Vec<Owned> = pass
        .sim
        .list("replicasets", Some(namespace))
        .into_iter()
        .filter(|rs| fields::controller_uid(rs) == Some(uid) && !fields::is_terminating(rs))
        .map(|object| Owned {
            replicas: fields::int(&object, "/spec/replicas").unwrap_or(0),
            object,
        })
        .collect();
    // Oldest first, as the controller scales old ReplicaSets down.
    owned.sort_by_key(|rs| {
        (
            fields::text(&rs.object, "/metadata/creationTimestamp")
                .unwrap_or_default()
                .to_string(),
            fields::name(&rs.object).to_string(),
        )
    });
    let max_revision = owned.iter().map(Owned::revision).max().unwrap_or(0);
    let new_index = owned
        .iter()
        .position(|rs| same_template(&rs.object, &template));
    let new_index = match new_index {
        Some(index) => index,
        None => match create_replica_set(pass, deployment, &template, max_revision + 1) {
            Some(created) => {
                owned.push(Owned {
                    object: created,
                    replicas: 0,
                });
                owned.len() - 1
            }
            None => return,
        },
    };
    let revision = promote_revision(pass, &mut owned[new_index], max_revision);
    let paused = deployment.pointer("/spec/paused").and_then(Value::as_bool) == Some(true);
    let before: Vec<i64> = owned.iter().map(|rs| rs.replicas).collect();
    if !paused {
        let desired = fields::int(deployment, "/spec/replicas")
            .unwrap_or(1)
            .max(0);
        match fields::text(deployment, "/spec/strategy/type") {
            Some("Recreate") => recreate(&mut owned, new_index, desired),
            _ => {
                let (surge, unavailable) = limits(deployment, desired);
                rolling_update(&mut owned, new_index, desired, surge, unavailable);
            }
        }
    }
    for (rs, old) in owned.iter().zip(before) {
        if rs.replicas != old {
            scale(pass, deployment, rs, old);
        }
    }
    update_status(pass, deployment, &owned, new_index, revision);
}

fn create_replica_set(
    pass: &mut Pass<'_>,
    deployment: &Value,
    template: &Value,
    revision: i64,
) -> Option<Value> {
    let deploy_name = fields::name(deployment);
    let namespace = fields::namespace(deployment);
    let (name, hash) = (0..10).find_map(|collisions| {
        let hash = template_hash(template, collisions);
        let name = format!("{deploy_name}-{hash}");
        pass.sim
            .get("replicasets", namespace, &name)
            .is_none()
            .then_some((name, hash))
    })?;
    let mut template = template.clone();
    if let Some(meta) = template
        .as_object_mut()
        .map(|t| t.entry("metadata").or_insert_with(|| json!({})))
    {
        if let Some(meta) = meta.as_object_mut() {
            let labels = meta.entry("labels").or_insert_with(|| json!({}));
            if let Some(labels) = labels.as_object_mut() {
                labels.insert(HASH_LABEL.into(), json!(hash));
            }
        }
    }
    let mut selector = deployment
        .pointer("/spec/selector")
        .cloned()
        .unwrap_or(json!({}));
    if let Some(selector) = selector.as_object_mut() {
        let match_labels = selector.entry("matchLabels").or_insert_with(|| json!({}));
        if let Some(match_labels) = match_labels.as_object_mut() {
            match_labels.insert(HASH_LABEL.into(), json!(hash));
        }
    }
    let mut annotations = Map::new();
    annotations.insert(REVISION.into(), json!(revision.to_string()));
    let desired = fields::int(deployment, "/spec/replicas").unwrap_or(1);
    annotations.insert(
        "deployment.kubernetes.io/desired-replicas".into(),
        json!(desired.to_string()),
    );
    if let Some(cause) = deployment
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(CHANGE_CAUSE))
    {
        annotations.insert(CHANGE_CAUSE.into(), cause.clone());
    }
    let labels = template
        .pointer("/metadata/labels")
        .cloned()
        .unwrap_or(json!({}));
    let mut spec = json!({"replicas": 0, "selector": selector, "template": template});
    if let Some(min_ready) = deployment.pointer("/spec/minReadySeconds") {
        spec["minReadySeconds"] = min_ready.clone();
    }
    let replica_set = json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "creationTimestamp": fields::stamp(pass.now),
            "labels": labels,
            "annotations": annotations,
            "ownerReferences": [{
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": deploy_name,
                "uid": fields::uid(deployment),
                "controller": true,
                "blockOwnerDeletion": true,
            }],
        },
        "spec": spec,
    });
    match pass.sim.apply(replica_set) {
        Ok(created) => Some(created),
        Err(error) => {
            tracing::warn!(
                "simulator controllers: cannot create a ReplicaSet for {deploy_name}: {error}"
            );
            None
        }
    }
}

/// A template rolled back to becomes the newest revision again.
fn promote_revision(pass: &Pass<'_>, new: &mut Owned, max_revision: i64) -> i64 {
    let current = new.revision();
    if current != 0 && current >= max_revision {
        return current;
    }
    let revision = max_revision + 1;
    let name = new.name().to_string();
    let updated = pass.update("replicasets", fields::namespace(&new.object), &name, |rs| {
        if let Some(meta) = rs.get_mut("metadata").and_then(Value::as_object_mut) {
            let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
            if let Some(annotations) = annotations.as_object_mut() {
                annotations.insert(REVISION.into(), json!(revision.to_string()));
            }
        }
    });
    if let Some(updated) = updated {
        new.object = updated;
    }
    revision
}

/// `intstr.GetScaledValueFromIntOrPercent`.
fn scaled(value: Option<&Value>, default_percent: i64, total: i64, round_up: bool) -> i64 {
    let percent_of = |percent: i64| {
        let product = percent * total;
        if round_up {
            (product + 99) / 100
        } else {
            product / 100
        }
    };
    match value {
        Some(Value::Number(number)) => number.as_i64().unwrap_or(0),
        Some(Value::String(text)) => match text.strip_suffix('%').and_then(|p| p.parse().ok()) {
            Some(percent) => percent_of(percent),
            None => text.parse().unwrap_or(0),
        },
        _ => percent_of(default_percent),
    }
}

/// maxSurge (rounded up) and maxUnavailable (rounded down), never both 0.
fn limits(deployment: &Value, desired: i64) -> (i64, i64) {
    let rolling = deployment.pointer("/spec/strategy/rollingUpdate");
    let surge = scaled(rolling.and_then(|r| r.get("maxSurge")), 25, desired, true);
    let unavailable = scaled(
        rolling.and_then(|r| r.get("maxUnavailable")),
        25,
        desired,
        false,
    );
    if surge == 0 && unavailable == 0 {
        (0, 1)
    } else {
        (surge, unavailable)
    }
}

/// `reconcileNewReplicaSet` then `reconcileOldReplicaSets`.
fn rolling_update(
    owned: &mut [Owned],
    new_index: usize,
    desired: i64,
    surge: i64,
    unavailable: i64,
) {
    let total = |owned: &[Owned]| owned.iter().map(|rs| rs.replicas).sum::<i64>();
    let new_replicas = owned[new_index].replicas;
    if new_replicas > desired {
        owned[new_index].replicas = desired;
    } else if new_replicas < desired {
        let room = desired + surge - total(owned);
        if room > 0 {
            owned[new_index].replicas += room.min(desired - new_replicas);
        }
    }
    let min_available = desired - unavailable;
    let new_unavailable = (owned[new_index].replicas - owned[new_index].available()).max(0);
    let mut budget = total(owned) - min_available - new_unavailable;
    // First the old pods that are not available anyway…
    for (index, rs) in owned.iter_mut().enumerate() {
        if index == new_index || budget <= 0 {
            continue;
        }
        let unhealthy = (rs.replicas - rs.available()).clamp(0, budget);
        rs.replicas -= unhealthy;
        budget -= unhealthy;
    }
    // …then available ones, oldest ReplicaSet first, keeping minAvailable.
    let available: i64 = owned.iter().map(|rs| rs.available().min(rs.replicas)).sum();
    let mut budget = budget.min(available - min_available);
    for (index, rs) in owned.iter_mut().enumerate() {
        if index == new_index || budget <= 0 {
            continue;
        }
        let down = rs.replicas.min(budget);
        rs.replicas -= down;
        budget -= down;
    }
}

/// Old ReplicaSets to zero, and the new one up only once their pods are gone.
fn recreate(owned: &mut [Owned], new_index: usize, desired: i64) {
    let mut old_pods_remain = false;
    for (index, rs) in owned.iter_mut().enumerate() {
        if index != new_index {
            rs.replicas = 0;
            old_pods_remain |= fields::int(&rs.object, "/status/replicas").unwrap_or(0) > 0;
        }
    }
    if !old_pods_remain {
        owned[new_index].replicas = desired;
    }
}

fn scale(pass: &mut Pass<'_>, deployment: &Value, rs: &Owned, old: i64) {
    let desired = fields::int(deployment, "/spec/replicas").unwrap_or(1);
    let replicas = rs.replicas;
    let updated = pass.update(
        "replicasets",
        fields::namespace(&rs.object),
        rs.name(),
        |object| {
            if let Some(spec) = object.get_mut("spec").and_then(Value::as_object_mut) {
                spec.insert("replicas".into(), json!(replicas));
            }
            if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
                let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
                if let Some(annotations) = annotations.as_object_mut() {
                    annotations.insert(
                        "deployment.kubernetes.io/desired-replicas".into(),
                        json!(desired.to_string()),
                    );
                }
            }
        },
    );
    if updated.is_some() {
        let direction = if replicas > old { "up" } else { "down" };
        let message = format!(
            "Scaled {direction} replica set {} from {old} to {replicas}",
            rs.name()
        );
        let source = &events::DEPLOYMENT_CONTROLLER;
        events::record(
            pass,
            deployment,
            source,
            Occurrence::normal("ScalingReplicaSet", message),
        );
    }
}

fn update_status(
    pass: &mut Pass<'_>,
    deployment: &Value,
    owned: &[Owned],
    new_index: usize,
    revision: i64,
) {
    let now = pass.now;
    let status_sum = |field: &str| -> i64 {
        owned
            .iter()
            .map(|rs| fields::int(&rs.object, &format!("/status/{field}")).unwrap_or(0))
            .sum()
    };
    let desired = fields::int(deployment, "/spec/replicas")
        .unwrap_or(1)
        .max(0);
    let replicas = status_sum("replicas");
    let ready = status_sum("readyReplicas");
    let available = status_sum("availableReplicas");
    let new = &owned[new_index];
    let updated = fields::int(&new.object, "/status/replicas").unwrap_or(0);
    let spec_total: i64 = owned.iter().map(|rs| rs.replicas).sum();
    let unavailable = (spec_total - available).max(0);
    let generation = fields::int(deployment, "/metadata/generation").unwrap_or(1);
    let (_, max_unavailable) = limits(deployment, desired);
    let new_name = new.name().to_string();
    let complete = updated == desired && replicas == desired && available == desired;
    pass.update(
        "deployments",
        fields::namespace(deployment),
        fields::name(deployment),
        |d| {
            if let Some(meta) = d.get_mut("metadata").and_then(Value::as_object_mut) {
                let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
                if let Some(annotations) = annotations.as_object_mut() {
                    annotations.insert(REVISION.into(), json!(revision.to_string()));
                }
            }
            let Some(status) = status_mut(d) else { return };
            status.insert("observedGeneration".into(), json!(generation));
            status.insert("replicas".into(), json!(replicas));
            status.insert("updatedReplicas".into(), json!(updated));
            status.insert("readyReplicas".into(), json!(ready));
            status.insert("availableReplicas".into(), json!(available));
            status.insert("unavailableReplicas".into(), json!(unavailable));
            if available >= desired - max_unavailable {
                let message = "Deployment has minimum availability.";
                set_condition(
                    status,
                    "Available",
                    "True",
                    "MinimumReplicasAvailable",
                    message,
                    now,
                );
            } else {
                let message = "Deployment does not have minimum availability.";
                set_condition(
                    status,
                    "Available",
                    "False",
                    "MinimumReplicasUnavailable",
                    message,
                    now,
                );
            }
            let (reason, message) = if complete {
                (
                    "NewReplicaSetAvailable",
                    format!("ReplicaSet \"{new_name}\" has successfully progressed."),
                )
            } else {
                (
                    "ReplicaSetUpdated",
                    format!("ReplicaSet \"{new_name}\" is progressing."),
                )
            };
            set_condition(status, "Progressing", "True", reason, &message, now);
            stamp_update_time(status, now);
        },
    );
}

/// Deployment conditions also carry `lastUpdateTime`; it moves when the
/// reason or message does (approximated: set when absent).
fn stamp_update_time(status: &mut Map<String, Value>, now: jiff::Timestamp) {
    if let Some(Value::Array(conditions)) = status.get_mut("conditions") {
        for condition in conditions.iter_mut().filter_map(Value::as_object_mut) {
            let transition = condition.get("lastTransitionTime").cloned();
            let update = condition
                .entry("lastUpdateTime")
                .or_insert_with(|| json!(fields::stamp(now)));
            if let Some(transition) = transition
                && transition.as_str() > update.as_str()
            {
                *update = transition;
            }
        }
    }
}

#[cfg(test)]
mod tests;
