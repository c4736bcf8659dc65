//! `kubectl rollout undo [--to-revision=N]`: reads the workload and its history
//! from the API as kubectl does, builds kubectl's patch with
//! [`crate::model::rollout::undo::undo_patch`], and sends it.

use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet,
};
use kube::Api;
use kube::api::ListParams;

use crate::model::rollout::Workload;
use crate::model::rollout::undo::{UndoError, UndoPatch, undo_patch};

/// Which workload to roll back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndoKind {
    Deployment,
    StatefulSet,
    DaemonSet,
}

impl UndoKind {
    fn plural(self) -> &'static str {
        match self {
            UndoKind::Deployment => "deployments",
            UndoKind::StatefulSet => "statefulsets",
            UndoKind::DaemonSet => "daemonsets",
        }
    }
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq)]
pub enum UndoOutcome {
    /// The patch was sent (kubectl: "rolled back").
    RolledBack(UndoPatch),
    /// Nothing to do; kubectl prints this message and succeeds.
    Skipped(String),
}

/// Why an undo failed.
#[derive(Debug, thiserror::Error)]
pub enum UndoOpError {
    #[error("read-only mode: rollout undo is disabled")]
    ReadOnly,
    #[error("{0}")]
    Refused(UndoError),
    #[error("failed to retrieve {kind} {name}: {source}")]
    Read {
        kind: &'static str,
        name: String,
        source: kube::Error,
    },
    #[error("failed restoring revision {revision}: {source}")]
    Patch { revision: i64, source: kube::Error },
}

/// Rolls `kind` `namespace/name` back to `to_revision` (0: the previous one).
/// In read-only mode nothing at all is sent.
pub async fn undo(
    client: &kube::Client,
    readonly: bool,
    kind: UndoKind,
    namespace: &str,
    name: &str,
    to_revision: i64,
) -> Result<UndoOutcome, UndoOpError> {
    if readonly {
        return Err(UndoOpError::ReadOnly);
    }
    let read = |kind: &'static str| {
        let name = name.to_string();
        move |source| UndoOpError::Read { kind, name, source }
    };
    let all = ListParams::default();
    let built = match kind {
        UndoKind::Deployment => {
            let deployment = Api::<Deployment>::namespaced(client.clone(), namespace)
                .get(name)
                .await
                .map_err(read("Deployment"))?;
            let replica_sets = Api::<ReplicaSet>::namespaced(client.clone(), namespace)
                .list(&all)
                .await
                .map_err(read("replica sets from deployment"))?;
            let replica_sets: Vec<&ReplicaSet> = replica_sets.items.iter().collect();
            undo_patch(
                Workload::Deployment(&deployment),
                &replica_sets,
                &[],
                to_revision,
            )
        }
        UndoKind::StatefulSet | UndoKind::DaemonSet => {
            let revisions = Api::<ControllerRevision>::namespaced(client.clone(), namespace)
                .list(&all)
                .await
                .map_err(read("ControllerRevisions of"))?;
            let revisions: Vec<&ControllerRevision> = revisions.items.iter().collect();
            if kind == UndoKind::StatefulSet {
                let sts = Api::<StatefulSet>::namespaced(client.clone(), namespace)
                    .get(name)
                    .await
                    .map_err(read("StatefulSet"))?;
                undo_patch(Workload::StatefulSet(&sts), &[], &revisions, to_revision)
            } else {
                let ds = Api::<DaemonSet>::namespaced(client.clone(), namespace)
                    .get(name)
                    .await
                    .map_err(read("DaemonSet"))?;
                undo_patch(Workload::DaemonSet(&ds), &[], &revisions, to_revision)
            }
        }
    };
    let patch = match built {
        Ok(patch) => patch,
        Err(UndoError::Skipped(revision)) => {
            return Ok(UndoOutcome::Skipped(
                UndoError::Skipped(revision).to_string(),
            ));
        }
        Err(error) => return Err(UndoOpError::Refused(error)),
    };
    // kube's typed Patch has no JSON-patch variant without the `jsonpatch`
    // feature, so the request is built by hand with kubectl's content type.
    let path = format!(
        "/apis/apps/v1/namespaces/{namespace}/{}/{name}",
        kind.plural()
    );
    let body = serde_json::to_vec(&patch.body).unwrap_or_default();
    let request = http::Request::patch(path)
        .header(http::header::CONTENT_TYPE, patch.patch_type.content_type())
        .header(http::header::ACCEPT, "application/json")
        .body(body)
        .map_err(|e| UndoOpError::Patch {
            revision: to_revision,
            source: kube::Error::HttpError(e),
        })?;
    client
        .request_text(request)
        .await
        .map_err(|source| UndoOpError::Patch {
            revision: to_revision,
            source,
        })?;
    Ok(UndoOutcome::RolledBack(patch))
}
