//! `KIND/NAME` as kubectl spells it (`pod/web-1`, `deploy/web`, `no/n1`), resolved
//! against the cache.

use crate::cache::{Kind, Stores};
use crate::model::doc::ObjectRef;
use crate::model::forwards::ForwardTarget;

/// The kind a kubectl resource name or short name means.
pub fn parse_kind(text: &str) -> Option<Kind> {
    let kind = match text.to_ascii_lowercase().as_str() {
        "po" | "pod" | "pods" => Kind::Pod,
        "no" | "node" | "nodes" => Kind::Node,
        "ns" | "namespace" | "namespaces" => Kind::Namespace,
        "deploy" | "deployment" | "deployments" => Kind::Deployment,
        "rs" | "replicaset" | "replicasets" => Kind::ReplicaSet,
        "sts" | "statefulset" | "statefulsets" => Kind::StatefulSet,
        "ds" | "daemonset" | "daemonsets" => Kind::DaemonSet,
        "job" | "jobs" => Kind::Job,
        "cj" | "cronjob" | "cronjobs" => Kind::CronJob,
        "pdb" | "poddisruptionbudget" | "poddisruptionbudgets" => Kind::PodDisruptionBudget,
        "ev" | "event" | "events" => Kind::Event,
        "controllerrevision" | "controllerrevisions" => Kind::ControllerRevision,
        _ => return None,
    };
    Some(kind)
}

/// Resolves `KIND/NAME`. A namespaced object is looked up in `namespace` when one
/// is given, else wherever the one object of that name is.
pub fn resolve(stores: &Stores, text: &str, namespace: Option<&str>) -> Result<ObjectRef, String> {
    let Some((kind_text, name)) = text.split_once('/') else {
        return Err(format!(
            "{text:?}: expected KIND/NAME, e.g. pod/web-1 or deploy/web"
        ));
    };
    let kind = parse_kind(kind_text)
        .ok_or_else(|| format!("{kind_text:?} is not a kind kubesight shows"))?;
    if name.is_empty() {
        return Err(format!("{text:?}: the name is missing"));
    }
    if !kind.namespaced() {
        return Ok(ObjectRef::new(kind, "", name));
    }
    if let Some(namespace) = namespace {
        return Ok(ObjectRef::new(kind, namespace, name));
    }
    match stores.namespaces_of(kind, name).as_slice() {
        [] => Err(format!(
            "{} {name:?} not found in any namespace",
            kind.name()
        )),
        [only] => Ok(ObjectRef::new(kind, only.clone(), name)),
        several => Err(format!(
            "{} {name:?} exists in several namespaces ({}); pick one with -n",
            kind.name(),
            several.join(", ")
        )),
    }
}

/// The Deployment, StatefulSet or DaemonSet whose rollout `object` belongs to:
/// itself, or the workload controlling it (a pod through its ReplicaSet).
pub fn workload_of(stores: &Stores, object: &ObjectRef) -> Option<ObjectRef> {
    let mut current = object.clone();
    // Pod → ReplicaSet → Deployment is the longest chain; the bound keeps bad
    // data (an ownership cycle) from looping.
    for _ in 0..3 {
        if matches!(
            current.kind,
            Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet
        ) {
            return Some(current);
        }
        let value = stores.get_value(current.kind, &current.namespace, &current.name)?;
        let owner = value
            .pointer("/metadata/ownerReferences")?
            .as_array()?
            .iter()
            .find(|r| r.get("controller").and_then(|c| c.as_bool()) == Some(true))?;
        let kind = Kind::from_type(
            owner.get("apiVersion")?.as_str()?,
            owner.get("kind")?.as_str()?,
        )?;
        current = ObjectRef::new(
            kind,
            current.namespace.clone(),
            owner.get("name")?.as_str()?,
        );
    }
    None
}

/// The target of `:pf KIND/NAME`: a pod or Deployment from the cache, or a
/// Service (`svc/NAME`; Services are not cached, the forward resolves it).
pub fn resolve_forward_target(
    stores: &Stores,
    text: &str,
    namespace: Option<&str>,
) -> Result<ForwardTarget, String> {
    if let Some(name) = text
        .strip_prefix("svc/")
        .or_else(|| text.strip_prefix("service/"))
        .or_else(|| text.strip_prefix("services/"))
    {
        return Ok(ForwardTarget::Service {
            namespace: namespace.unwrap_or("default").to_string(),
            name: name.to_string(),
        });
    }
    forward_target_of(&resolve(stores, text, namespace)?)
}

/// The forward target an object can be.
pub fn forward_target_of(object: &ObjectRef) -> Result<ForwardTarget, String> {
    let (namespace, name) = (object.namespace.clone(), object.name.clone());
    match object.kind {
        Kind::Pod => Ok(ForwardTarget::Pod { namespace, name }),
        Kind::Deployment => Ok(ForwardTarget::Deployment { namespace, name }),
        other => Err(format!(
            "cannot forward to a {}: choose a pod, a deployment or svc/NAME",
            other.name()
        )),
    }
}

/// `pod/shop/web-1`, `svc/shop/web`: how messages name a forward's target.
pub fn forward_target_text(target: &ForwardTarget) -> String {
    match target {
        ForwardTarget::Pod { namespace, name } => format!("pod/{namespace}/{name}"),
        ForwardTarget::Service { namespace, name } => format!("svc/{namespace}/{name}"),
        ForwardTarget::Deployment { namespace, name } => format!("deploy/{namespace}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_short_names() {
        assert_eq!(parse_kind("deploy"), Some(Kind::Deployment));
        assert_eq!(parse_kind("PDB"), Some(Kind::PodDisruptionBudget));
        assert_eq!(parse_kind("svc"), None);
    }
}
