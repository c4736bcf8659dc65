//! The request `kubectl rollout undo [--to-revision=N]` sends, built without I/O
//! (kubectl pkg/polymorphichelpers/rollback.go): for a Deployment a JSON patch
//! replacing `spec.template` and `metadata.annotations`; for a StatefulSet or
//! DaemonSet the ControllerRevision's data as a strategic merge patch.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, ReplicaSet};
use serde_json::{Value, json};

use super::Workload;
use super::history::{
    REVISION, owned_replica_sets, owned_revisions, revision_template, same_template, template_value,
};

/// Annotations kubectl keeps from the Deployment instead of copying them from
/// the ReplicaSet (`annotationsToSkip`).
const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// How the PATCH body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// `application/json-patch+json`
    Json,
    /// `application/strategic-merge-patch+json`
    StrategicMerge,
}

impl PatchType {
    /// The request's Content-Type.
    pub fn content_type(self) -> &'static str {
        match self {
            PatchType::Json => "application/json-patch+json",
            PatchType::StrategicMerge => "application/strategic-merge-patch+json",
        }
    }
}

/// The PATCH that restores a revision.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoPatch {
    pub patch_type: PatchType,
    pub body: Value,
    /// The revision restored (the previous one when 0 was asked for).
    pub revision: i64,
}

/// Why no patch is sent, in kubectl's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UndoError {
    #[error("unable to find specified revision {0} in history")]
    RevisionNotFound(i64),
    #[error("no rollout history found for deployment {0:?}")]
    NoHistory(String),
    #[error("no last revision to roll back to")]
    NoLastRevision,
    #[error(
        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"
    )]
    Paused,
    /// Not a failure for kubectl (it prints this and exits 0), but nothing is sent.
    #[error("skipped rollback (current template already matches revision {0})")]
    Skipped(i64),
}

/// The patch `kubectl rollout undo --to-revision=to_revision` sends (0 = the
/// previous revision).
pub fn undo_patch(
    workload: Workload<'_>,
    replica_sets: &[&ReplicaSet],
    controller_revisions: &[&ControllerRevision],
    to_revision: i64,
) -> Result<UndoPatch, UndoError> {
    if to_revision < 0 {
        return Err(UndoError::RevisionNotFound(to_revision));
    }
    let uid = workload.meta().uid.clone().unwrap_or_default();
    match workload {
        Workload::Deployment(deployment) => {
            let owned = owned_replica_sets(&uid, replica_sets);
            let rs = deployment_revision(&owned, to_revision).ok_or_else(|| {
                if to_revision > 0 {
                    UndoError::RevisionNotFound(to_revision)
                } else {
                    UndoError::NoHistory(deployment.metadata.name.clone().unwrap_or_default())
                }
            })?;
            if deployment.spec.paused == Some(true) {
                return Err(UndoError::Paused);
            }
            let template =
                rs.1.spec
                    .template
                    .as_ref()
                    .and_then(|t| serde_json::to_value(t).ok())
                    .unwrap_or(Value::Null);
            if same_template(&template, &workload.template()) {
                // kubectl prints the revision as asked, 0 included.
                return Err(UndoError::Skipped(to_revision));
            }
            let mut annotations: BTreeMap<String, String> = BTreeMap::new();
            let deployment_annotations = deployment.metadata.annotations.as_ref();
            for key in ANNOTATIONS_TO_SKIP {
                if let Some(value) = deployment_annotations.and_then(|a| a.get(key)) {
                    annotations.insert(key.to_string(), value.clone());
                }
            }
            for (key, value) in rs.1.metadata.annotations.iter().flatten() {
                if !ANNOTATIONS_TO_SKIP.contains(&key.as_str()) {
                    annotations.insert(key.clone(), value.clone());
                }
            }
            Ok(UndoPatch {
                patch_type: PatchType::Json,
                body: json!([
                    {"op": "replace", "path": "/spec/template", "value": template_value(&template)},
                    {"op": "replace", "path": "/metadata/annotations", "value": annotations},
                ]),
                revision: rs.0,
            })
        }
        Workload::StatefulSet(_) | Workload::DaemonSet(_) => {
            let mut history = owned_revisions(&uid, controller_revisions);
            if to_revision == 0 && history.len() <= 1 {
                return Err(UndoError::NoLastRevision);
            }
            // findHistory: the second highest revision for 0, else an exact match.
            history.sort_by_key(|cr| cr.revision.unwrap_or(0));
            let found = if to_revision == 0 {
                history.get(history.len().wrapping_sub(2)).copied()
            } else {
                history
                    .iter()
                    .find(|cr| cr.revision == Some(to_revision))
                    .copied()
            };
            let cr = found.ok_or(UndoError::RevisionNotFound(to_revision))?;
            // statefulsetMatch / daemonSetMatch compare the revision's data with
            // the patch the current template would make.
            if same_template(&revision_template(cr), &workload.template()) {
                return Err(UndoError::Skipped(to_revision));
            }
            Ok(UndoPatch {
                patch_type: PatchType::StrategicMerge,
                body: cr.data.0.clone(),
                revision: cr.revision.unwrap_or(0),
            })
        }
    }
}

/// `deploymentRevision`: the ReplicaSet at `to_revision`, or for 0 the one with
/// the second highest revision.
fn deployment_revision<'a>(
    owned: &[(i64, &'a ReplicaSet)],
    to_revision: i64,
) -> Option<(i64, &'a ReplicaSet)> {
    if to_revision > 0 {
        return owned.iter().find(|(n, _)| *n == to_revision).copied();
    }
    let mut latest: Option<(i64, &ReplicaSet)> = None;
    let mut previous: Option<(i64, &ReplicaSet)> = None;
    for &(n, rs) in owned {
        if latest.is_none_or(|(l, _)| l < n) {
            previous = latest;
            latest = Some((n, rs));
        } else if previous.is_none_or(|(p, _)| p < n) {
            previous = Some((n, rs));
        }
    }
    previous
}
