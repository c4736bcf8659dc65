//! Revisions of a workload: a Deployment's from the ReplicaSets it controls
//! (`deployment.kubernetes.io/revision`, `kubernetes.io/change-cause`), a
//! StatefulSet's or DaemonSet's from its ControllerRevisions (`revision`), as
//! `kubectl rollout history` lists them.

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{ControllerRevision, ReplicaSet};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

use super::Workload;

pub(crate) const REVISION: &str = "deployment.kubernetes.io/revision";
pub(crate) const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
pub(crate) const HASH_LABEL: &str = "pod-template-hash";

/// One revision of a workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub number: i64,
    /// The ReplicaSet or ControllerRevision holding it.
    pub name: String,
    pub change_cause: Option<String>,
    /// Images of the template's init and regular containers, in order.
    pub images: Vec<String>,
    pub created: Option<Timestamp>,
    /// Ready and desired replicas of the revision's ReplicaSet (Deployments only).
    pub replicas: Option<(i32, i32)>,
    /// The revision the workload's template is at now.
    pub current: bool,
    /// The pod template without the `pod-template-hash` label.
    pub template: Value,
}

/// The object's controller owner reference points at `uid`.
pub(crate) fn controlled_by(meta: &ObjectMeta, uid: &str) -> bool {
    meta.owner_references
        .iter()
        .flatten()
        .any(|r| r.controller == Some(true) && r.uid == uid)
}

/// `deploymentutil.Revision`: a missing annotation is revision 0; an unparsable one
/// is an error (kubectl then leaves the ReplicaSet out).
pub(crate) fn rs_revision(rs: &ReplicaSet) -> Option<i64> {
    match rs
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION))
    {
        None => Some(0),
        Some(text) => text.parse().ok(),
    }
}

/// Drops nulls, empty maps and empty lists, recursively: the API's semantic
/// equality treats nil and empty alike (apimachinery's `Semantic.DeepEqual`).
pub(crate) fn normalized(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Object(map) => {
            let map: serde_json::Map<String, Value> = map
                .iter()
                .filter_map(|(k, v)| normalized(v).map(|v| (k.clone(), v)))
                .collect();
            (!map.is_empty()).then_some(Value::Object(map))
        }
        Value::Array(items) => {
            let items: Vec<Value> = items
                .iter()
                .map(|v| normalized(v).unwrap_or(Value::Null))
                .collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        other => Some(other.clone()),
    }
}

/// A pod template as JSON without the `pod-template-hash` label (and without
/// the `$patch` directive ControllerRevision data carries).
pub(crate) fn template_value(template: &Value) -> Value {
    let mut template = template.clone();
    if let Some(map) = template.as_object_mut() {
        map.remove("$patch");
    }
    if let Some(labels) = template
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.remove(HASH_LABEL);
        if labels.is_empty()
            && let Some(meta) = template
                .pointer_mut("/metadata")
                .and_then(Value::as_object_mut)
        {
            meta.remove("labels");
        }
    }
    template
}

/// `equalIgnoreHash` (kubectl's rollback.go, the deployment controller's util).
pub(crate) fn same_template(a: &Value, b: &Value) -> bool {
    normalized(&template_value(a)) == normalized(&template_value(b))
}

fn images(template: &Value) -> Vec<String> {
    ["/spec/initContainers", "/spec/containers"]
        .iter()
        .filter_map(|p| template.pointer(p).and_then(Value::as_array))
        .flatten()
        .filter_map(|c| c.get("image").and_then(Value::as_str).map(str::to_string))
        .collect()
}

fn annotation(meta: &ObjectMeta, key: &str) -> Option<String> {
    meta.annotations.as_ref().and_then(|a| a.get(key)).cloned()
}

/// The ReplicaSets a Deployment controls, with their revisions.
pub(crate) fn owned_replica_sets<'a>(
    uid: &str,
    replica_sets: &[&'a ReplicaSet],
) -> Vec<(i64, &'a ReplicaSet)> {
    replica_sets
        .iter()
        .filter(|rs| controlled_by(&rs.metadata, uid))
        .filter_map(|rs| rs_revision(rs).map(|n| (n, *rs)))
        .collect()
}

/// The ControllerRevisions a StatefulSet or DaemonSet controls.
pub(crate) fn owned_revisions<'a>(
    uid: &str,
    revisions: &[&'a ControllerRevision],
) -> Vec<&'a ControllerRevision> {
    revisions
        .iter()
        .filter(|cr| controlled_by(&cr.metadata, uid))
        .copied()
        .collect()
}

/// The template stored in a ControllerRevision (`data.spec.template`).
pub(crate) fn revision_template(cr: &ControllerRevision) -> Value {
    cr.data
        .0
        .pointer("/spec/template")
        .map(template_value)
        .unwrap_or(Value::Null)
}

/// Every revision of `workload`, oldest first (numerically: 10 after 9).
pub fn revisions(
    workload: Workload<'_>,
    replica_sets: &[&ReplicaSet],
    controller_revisions: &[&ControllerRevision],
) -> Vec<Revision> {
    let uid = workload.meta().uid.clone().unwrap_or_default();
    let current_template = workload.template();
    let mut out: Vec<Revision> = match workload {
        Workload::Deployment(_) => owned_replica_sets(&uid, replica_sets)
            .into_iter()
            .map(|(number, rs)| {
                let template = rs
                    .spec
                    .template
                    .as_ref()
                    .and_then(|t| serde_json::to_value(t).ok())
                    .map(|t| template_value(&t))
                    .unwrap_or(Value::Null);
                let status = rs.status.as_ref();
                Revision {
                    number,
                    name: rs.metadata.name.clone().unwrap_or_default(),
                    change_cause: annotation(&rs.metadata, CHANGE_CAUSE),
                    images: images(&template),
                    created: rs.metadata.creation_timestamp.as_ref().map(|t| t.0),
                    replicas: Some((
                        status.and_then(|s| s.ready_replicas).unwrap_or(0),
                        rs.spec.replicas.unwrap_or(1),
                    )),
                    current: same_template(&template, &current_template),
                    template,
                }
            })
            .collect(),
        Workload::StatefulSet(_) | Workload::DaemonSet(_) => {
            let update_revision = match workload {
                Workload::StatefulSet(sts) => {
                    sts.status.as_ref().and_then(|s| s.update_revision.clone())
                }
                _ => None,
            };
            owned_revisions(&uid, controller_revisions)
                .into_iter()
                .map(|cr| {
                    let template = revision_template(cr);
                    let name = cr.metadata.name.clone().unwrap_or_default();
                    let current = match &update_revision {
                        Some(update) => *update == name,
                        None => same_template(&template, &current_template),
                    };
                    Revision {
                        number: cr.revision.unwrap_or(0),
                        change_cause: annotation(&cr.metadata, CHANGE_CAUSE),
                        images: images(&template),
                        created: cr.metadata.creation_timestamp.as_ref().map(|t| t.0),
                        replicas: None,
                        current,
                        template,
                        name,
                    }
                })
                .collect()
        }
    };
    out.sort_by(|a, b| a.number.cmp(&b.number).then_with(|| a.name.cmp(&b.name)));
    out
}
