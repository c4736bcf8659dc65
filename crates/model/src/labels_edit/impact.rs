//! What a label change does to a pod's place in the cluster, warned about
//! before the patch is sent: a pod that stops matching its controller's
//! selector is released by it (`ClaimPods` in
//! `pkg/controller/controller_ref_manager.go`: orphaned, left running) and the
//! controller creates a replacement; a pod that starts or stops matching a
//! PodDisruptionBudget or a Service changes what protects it and what traffic
//! it gets.

use std::collections::BTreeMap;

use crate::cluster::pod::Pod;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::cluster::{Kind, Stores};
use crate::pdb::{CompiledPdb, selector_text};
use crate::selector::from_label_selector;

/// The pod's controller and its `spec.selector`.
#[derive(Debug, Clone, PartialEq)]
pub struct ControllerSelector {
    pub kind: Kind,
    pub name: String,
    pub selector: LabelSelector,
}

/// A Service's name and `spec.selector` (Services are not cached: the caller
/// lists them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSelector {
    pub name: String,
    pub selector: BTreeMap<String, String>,
}

/// The pod's controlling owner, when it is a ReplicaSet, StatefulSet,
/// DaemonSet or Job found in the cache with the owner reference's uid.
pub fn controller_selector(pod: &Pod, stores: &Stores) -> Option<ControllerSelector> {
    let owner = pod
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))?;
    let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
    let (kind, uid, selector) = match owner.kind.as_str() {
        "ReplicaSet" => {
            let o = stores
                .replica_sets
                .get(&crate::cluster::key(namespace, &owner.name))?;
            (
                Kind::ReplicaSet,
                o.metadata.uid.clone(),
                Some(o.spec.selector.clone()),
            )
        }
        "StatefulSet" => {
            let o = stores
                .stateful_sets
                .get(&crate::cluster::key(namespace, &owner.name))?;
            (
                Kind::StatefulSet,
                o.metadata.uid.clone(),
                Some(o.spec.selector.clone()),
            )
        }
        "DaemonSet" => {
            let o = stores
                .daemon_sets
                .get(&crate::cluster::key(namespace, &owner.name))?;
            (
                Kind::DaemonSet,
                o.metadata.uid.clone(),
                Some(o.spec.selector.clone()),
            )
        }
        "Job" => {
            let o = stores
                .jobs
                .get(&crate::cluster::key(namespace, &owner.name))?;
            (
                Kind::Job,
                o.metadata.uid.clone(),
                o.spec.as_ref().and_then(|s| s.selector.clone()),
            )
        }
        _ => return None,
    };
    // A same-named object with another uid is not this pod's owner.
    if uid.as_deref() != Some(owner.uid.as_str()) {
        return None;
    }
    Some(ControllerSelector {
        kind,
        name: owner.name.clone(),
        selector: selector?,
    })
}

/// Warnings for giving `pod` the labels `after`: it stops matching its
/// controller, starts or stops being covered by a budget of `pdbs`, starts or
/// stops matching a Service of `services` (all in the pod's namespace).
pub fn selector_impact(
    pod: &Pod,
    after: &BTreeMap<String, String>,
    controller: Option<&ControllerSelector>,
    pdbs: &[&PodDisruptionBudget],
    services: &[ServiceSelector],
) -> Vec<String> {
    let empty = BTreeMap::new();
    let before = pod.metadata.labels.as_ref().unwrap_or(&empty);
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let mut relabelled = pod.clone();
    relabelled.metadata.labels = Some(after.clone());
    let mut warnings = Vec::new();

    if let Some(controller) = controller {
        // An invalid selector matches nothing, as `LabelSelectorAsSelector`
        // failing makes the controller skip the pod.
        if let Ok(selector) = from_label_selector(&controller.selector)
            && selector.matches(before)
            && !selector.matches(after)
        {
            let kind = controller.kind.name();
            let replacement = if controller.kind == Kind::StatefulSet {
                "try to create a replacement of the same name"
            } else {
                "create a replacement"
            };
            warnings.push(format!(
                "Pod {name} would stop matching the selector of its {kind} {} ({}): the {kind} would orphan the pod (it keeps running) and {replacement}",
                controller.name,
                selector_text(Some(&controller.selector)),
            ));
        }
    }

    for pdb in pdbs {
        let compiled = CompiledPdb::new(pdb);
        let (was, will) = (compiled.covers(pod), compiled.covers(&relabelled));
        if was == will {
            continue;
        }
        let pdb_name = pdb.metadata.name.as_deref().unwrap_or_default();
        let selector = selector_text(pdb.spec.as_ref().and_then(|s| s.selector.as_ref()));
        warnings.push(if will {
            format!("Pod {name} would become covered by PodDisruptionBudget {pdb_name} ({selector})")
        } else {
            format!("Pod {name} would no longer be covered by PodDisruptionBudget {pdb_name} ({selector})")
        });
    }

    for service in services {
        // A Service without a selector gets no endpoints from the endpoint
        // controllers (`syncService` in pkg/controller/endpointslice).
        if service.selector.is_empty() {
            continue;
        }
        let matches = |labels: &BTreeMap<String, String>| {
            service
                .selector
                .iter()
                .all(|(k, v)| labels.get(k) == Some(v))
        };
        let (was, will) = (matches(before), matches(after));
        if was == will {
            continue;
        }
        let selector = service
            .selector
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        warnings.push(if will {
            format!(
                "Pod {name} would start matching Service {} ({selector}) and receive its traffic",
                service.name
            )
        } else {
            format!(
                "Pod {name} would stop matching Service {} ({selector}) and stop receiving its traffic",
                service.name
            )
        });
    }
    warnings
}
