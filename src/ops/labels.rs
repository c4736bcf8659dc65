//! Labels and annotations written as a JSON merge patch carrying the object's
//! resourceVersion (`model::labels_edit::merge_patch`), so a concurrent change
//! is refused with 409 rather than overwritten. On a conflict the object is
//! read again so the user can see what changed and re-apply the same edit
//! against the new resourceVersion. Any cached kind works: the request goes
//! through the dynamic API at the kind's `ApiResource`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Service;
use kube::Api;
use kube::api::{DynamicObject, ListParams, Patch, PatchParams};

use super::{Refused, WriteGate};
use crate::model::doc::ObjectRef;
use crate::model::labels_edit::{LabelEdit, ServiceSelector, merge_patch};

/// The object after a successful patch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub resource_version: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

/// Why a label edit was not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelOpError {
    /// `--readonly`: nothing was sent.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// 409: the object changed since the edit's resourceVersion; here is what
    /// the server has now.
    #[error("{message}")]
    Conflict {
        server_labels: BTreeMap<String, String>,
        server_annotations: BTreeMap<String, String>,
        server_resource_version: String,
        message: String,
    },
    /// 422, with the server's message.
    #[error("{message}")]
    Invalid { message: String },
    /// Anything else (not found, forbidden, network), with the server's or the
    /// client's message.
    #[error("{message}")]
    Other { message: String },
}

fn api_for(client: &kube::Client, target: &ObjectRef) -> Api<DynamicObject> {
    let resource = crate::cache::api_resource(target.kind);
    if target.kind.namespaced() {
        Api::namespaced_with(client.clone(), &target.namespace, &resource)
    } else {
        Api::all_with(client.clone(), &resource)
    }
}

fn applied(object: DynamicObject) -> Applied {
    let meta = object.metadata;
    Applied {
        resource_version: meta.resource_version.unwrap_or_default(),
        labels: meta.labels.unwrap_or_default(),
        annotations: meta.annotations.unwrap_or_default(),
    }
}

fn message_of(error: &kube::Error) -> String {
    match error {
        kube::Error::Api(status) if !status.message.is_empty() => status.message.clone(),
        other => other.to_string(),
    }
}

/// Sends `edit` to `target` as a merge patch conditional on
/// `resource_version` (empty: unconditional). Refused before any request in
/// readonly mode. The caller validates first (`labels_edit::validate`); the
/// server's 422 is still reported as [`LabelOpError::Invalid`].
pub async fn apply(
    client: &kube::Client,
    gate: &WriteGate,
    target: &ObjectRef,
    edit: &LabelEdit,
    resource_version: &str,
) -> Result<Applied, LabelOpError> {
    gate.check()?;
    let api = api_for(client, target);
    let patch = merge_patch(edit, resource_version);
    match api
        .patch(&target.name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
    {
        Ok(object) => Ok(applied(object)),
        Err(kube::Error::Api(status)) if status.code == 409 => match api.get(&target.name).await {
            Ok(current) => {
                let now = applied(current);
                Err(LabelOpError::Conflict {
                    server_labels: now.labels,
                    server_annotations: now.annotations,
                    server_resource_version: now.resource_version,
                    message: status.message.clone(),
                })
            }
            Err(error) => Err(LabelOpError::Other {
                message: message_of(&error),
            }),
        },
        Err(kube::Error::Api(status)) if status.code == 422 => Err(LabelOpError::Invalid {
            message: status.message.clone(),
        }),
        Err(error) => Err(LabelOpError::Other {
            message: message_of(&error),
        }),
    }
}

/// The same edit on several objects (e.g. five marked nodes), one request
/// each, in order; each object's result is reported on its own. Refused as a
/// whole, before any request, in readonly mode.
pub async fn apply_many(
    client: &kube::Client,
    gate: &WriteGate,
    targets: &[(ObjectRef, String)],
    edit: &LabelEdit,
) -> Result<Vec<(ObjectRef, Result<Applied, LabelOpError>)>, Refused> {
    gate.check()?;
    let mut results = Vec::with_capacity(targets.len());
    for (target, resource_version) in targets {
        let result = apply(client, gate, target, edit, resource_version).await;
        results.push((target.clone(), result));
    }
    Ok(results)
}

/// The selectors of the Services in `namespace`, for the impact warnings
/// (Services are not cached). Services without a selector are left out.
pub async fn service_selectors(
    client: &kube::Client,
    namespace: &str,
) -> Result<Vec<ServiceSelector>, String> {
    let api: Api<Service> = Api::namespaced(client.clone(), namespace);
    let list = api
        .list(&ListParams::default())
        .await
        .map_err(|e| message_of(&e))?;
    Ok(list
        .items
        .into_iter()
        .filter_map(|service| {
            let selector = service.spec.and_then(|s| s.selector)?;
            if selector.is_empty() {
                return None;
            }
            Some(ServiceSelector {
                name: service.metadata.name.unwrap_or_default(),
                selector,
            })
        })
        .collect())
}
