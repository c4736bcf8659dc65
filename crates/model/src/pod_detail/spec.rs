//! The parts of `kubectl describe pod` that need the whole pod spec: each
//! container's environment (a Secret's or ConfigMap's key by name, never its
//! value), `envFrom` sources and mounts, and the pod's affinity. The cache keeps
//! slim pods without them, so they come from a read of the full pod (a pod's
//! containers and affinity cannot change, so one read is enough).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, Container as FullContainer, EnvVar, NodeSelectorRequirement, NodeSelectorTerm,
    Pod as FullPod, PodAffinityTerm,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::doc::Cell;
use crate::selector::from_label_selector;
use crate::table::Tone;

/// What the detail knows of the full pod.
#[derive(Debug, Clone, Copy)]
pub enum FullSpec<'a> {
    /// Read from the server or from the snapshot file.
    Read(&'a FullPod),
    /// The read is on its way.
    Loading,
    /// Not available here (a capture of slim pods, or the read failed).
    Unavailable,
    /// Not wanted: the section shows no environment or mounts.
    Skip,
}

impl<'a> FullSpec<'a> {
    /// The container of this name in the full spec (any kind of container).
    pub fn container(&self, name: &str) -> Result<Option<&'a FullContainer>, Cell> {
        match self {
            FullSpec::Read(pod) => {
                let spec = pod.spec.as_ref();
                let regular = spec.map(|s| s.containers.as_slice()).unwrap_or_default();
                let init = spec
                    .and_then(|s| s.init_containers.as_deref())
                    .unwrap_or_default();
                Ok(regular.iter().chain(init).find(|c| c.name == name))
            }
            FullSpec::Loading => Err(("(reading the pod…)".into(), Tone::Muted)),
            FullSpec::Skip => Ok(None),
            FullSpec::Unavailable => {
                Err(("(not in the cache: open the YAML view)".into(), Tone::Muted))
            }
        }
    }
}

/// `Environment` and `Mounts` of one container, as describe lists them.
pub fn container_env_and_mounts(
    full: FullSpec<'_>,
    name: &str,
    limits: &dyn Fn(&str) -> Option<String>,
) -> Vec<(&'static str, Vec<Cell>)> {
    let container = match full.container(name) {
        Ok(Some(container)) => container,
        Ok(None) => return Vec::new(),
        Err(note) => {
            return vec![
                ("  Environment", vec![note.clone()]),
                ("  Mounts", vec![note]),
            ];
        }
    };
    let pod = match full {
        FullSpec::Read(pod) => serde_json::to_value(pod).unwrap_or_default(),
        _ => serde_json::Value::Null,
    };
    let env: Vec<Cell> = container
        .env
        .iter()
        .flatten()
        .map(|e| env_line(e, &pod, limits))
        .collect();
    let env_from: Vec<Cell> = container
        .env_from
        .iter()
        .flatten()
        .filter_map(|source| {
            let prefix = source
                .prefix
                .as_deref()
                .filter(|p| !p.is_empty())
                .map(|p| format!(" with prefix '{p}'"))
                .unwrap_or_default();
            let (name, kind, optional) = match (&source.config_map_ref, &source.secret_ref) {
                (Some(c), _) => (c.name.clone(), "ConfigMap", c.optional),
                (None, Some(s)) => (s.name.clone(), "Secret", s.optional),
                (None, None) => return None,
            };
            Some((
                format!(
                    "{name}  {kind}{prefix}  Optional: {}",
                    optional.unwrap_or(false)
                ),
                Tone::Normal,
            ))
        })
        .collect();
    let mounts: Vec<Cell> = container
        .volume_mounts
        .iter()
        .flatten()
        .map(|m| {
            let mode = if m.read_only == Some(true) {
                "ro"
            } else {
                "rw"
            };
            let sub_path = m
                .sub_path
                .as_deref()
                .filter(|p| !p.is_empty())
                .map(|p| format!(",path = {p:?}"))
                .unwrap_or_default();
            (
                format!("{} from {} ({mode}{sub_path})", m.mount_path, m.name),
                Tone::Normal,
            )
        })
        .collect();
    let mut fields = vec![("  Environment", env)];
    if !env_from.is_empty() {
        fields.push(("  Environment Variables from", env_from));
    }
    fields.push(("  Mounts", mounts));
    fields
}

/// One variable as describe prints it (`describeContainerEnvVars`): a value as
/// it is, a reference as where it comes from.
fn env_line(
    env: &EnvVar,
    pod: &serde_json::Value,
    limits: &dyn Fn(&str) -> Option<String>,
) -> Cell {
    if let Some(value) = &env.value {
        return (format!("{}: {value}", env.name), Tone::Normal);
    }
    let Some(from) = &env.value_from else {
        return (format!("{}: ", env.name), Tone::Normal);
    };
    let text = if let Some(field) = &from.field_ref {
        let api = field.api_version.as_deref().unwrap_or("v1");
        let resolved = field_value(pod, &field.field_path).unwrap_or_default();
        format!("{}: {resolved} ({api}:{})", env.name, field.field_path)
    } else if let Some(resource) = &from.resource_field_ref {
        let value = limits(&resource.resource).unwrap_or_else(|| "node allocatable".into());
        format!("{}: {value} ({})", env.name, resource.resource)
    } else if let Some(secret) = &from.secret_key_ref {
        format!(
            "{}: <set to the key '{}' in secret '{}'>  Optional: {}",
            env.name,
            secret.key,
            secret.name,
            secret.optional.unwrap_or(false)
        )
    } else if let Some(map) = &from.config_map_key_ref {
        format!(
            "{}: <set to the key '{}' of config map '{}'>  Optional: {}",
            env.name,
            map.key,
            map.name,
            map.optional.unwrap_or(false)
        )
    } else {
        format!("{}: ", env.name)
    };
    (text, Tone::Normal)
}

/// A downward-API field path's value in the pod (`metadata.name`,
/// `metadata.labels['app']`, `spec.nodeName`, `status.podIP`).
fn field_value(pod: &serde_json::Value, path: &str) -> Option<String> {
    let (base, key) = match path.split_once("['") {
        Some((base, rest)) => (base, rest.strip_suffix("']")),
        None => (path, None),
    };
    let pointer = format!("/{}", base.replace('.', "/"));
    let value = pod.pointer(&pointer)?;
    let value = match key {
        Some(key) => value.get(key)?,
        None => value,
    };
    value.as_str().map(str::to_string)
}

/// `Affinity` lines: node affinity's required and preferred terms, and pod
/// (anti-)affinity's label selectors with their topology keys.
pub fn affinity_lines(full: FullSpec<'_>) -> Vec<Cell> {
    let pod = match full {
        FullSpec::Read(pod) => pod,
        FullSpec::Loading => return vec![("(reading the pod…)".into(), Tone::Muted)],
        FullSpec::Unavailable => return vec![("(not in the cache)".into(), Tone::Muted)],
        FullSpec::Skip => return Vec::new(),
    };
    let Some(Affinity {
        node_affinity,
        pod_affinity,
        pod_anti_affinity,
    }) = pod.spec.as_ref().and_then(|s| s.affinity.as_ref())
    else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if let Some(node) = node_affinity {
        if let Some(required) = &node.required_during_scheduling_ignored_during_execution {
            let terms: Vec<String> = required.node_selector_terms.iter().map(node_term).collect();
            lines.push((
                format!("node, required: {}", terms.join(" or ")),
                Tone::Normal,
            ));
        }
        for preferred in node
            .preferred_during_scheduling_ignored_during_execution
            .iter()
            .flatten()
        {
            lines.push((
                format!(
                    "node, preferred (weight {}): {}",
                    preferred.weight,
                    node_term(&preferred.preference)
                ),
                Tone::Normal,
            ));
        }
    }
    let pod_terms = [
        (
            "pod affinity",
            pod_affinity.as_ref().map(|a| {
                (
                    &a.required_during_scheduling_ignored_during_execution,
                    &a.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
        (
            "pod anti-affinity",
            pod_anti_affinity.as_ref().map(|a| {
                (
                    &a.required_during_scheduling_ignored_during_execution,
                    &a.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
    ];
    for (what, terms) in pod_terms {
        let Some((required, preferred)) = terms else {
            continue;
        };
        for term in required.iter().flatten() {
            lines.push((
                format!("{what}, required: {}", pod_term(term)),
                Tone::Normal,
            ));
        }
        for weighted in preferred.iter().flatten() {
            lines.push((
                format!(
                    "{what}, preferred (weight {}): {}",
                    weighted.weight,
                    pod_term(&weighted.pod_affinity_term)
                ),
                Tone::Normal,
            ));
        }
    }
    lines
}

fn node_term(term: &NodeSelectorTerm) -> String {
    let parts: Vec<String> = term
        .match_expressions
        .iter()
        .flatten()
        .map(requirement)
        .chain(term.match_fields.iter().flatten().map(requirement))
        .collect();
    if parts.is_empty() {
        "(nothing)".into()
    } else {
        parts.join(", ")
    }
}

/// A node selector requirement as a label selector string reads
/// (`key in (a,b)`, `!key`, `key > 5`).
fn requirement(r: &NodeSelectorRequirement) -> String {
    let values = r.values.as_deref().unwrap_or_default().join(",");
    match r.operator.as_str() {
        "In" => format!("{} in ({values})", r.key),
        "NotIn" => format!("{} notin ({values})", r.key),
        "Exists" => r.key.clone(),
        "DoesNotExist" => format!("!{}", r.key),
        "Gt" => format!("{} > {values}", r.key),
        "Lt" => format!("{} < {values}", r.key),
        other => format!("{} {other} ({values})", r.key),
    }
}

/// A toleration as describe prints it (`printTolerationsMultilineWithIndent`):
/// `key=value:effect`, ` op=Exists` without a value, ` for 300s`.
pub fn toleration_text(t: &k8s_openapi::api::core::v1::Toleration) -> String {
    let key = t.key.as_deref().unwrap_or_default();
    let value = t.value.as_deref().unwrap_or_default();
    let effect = t.effect.as_deref().unwrap_or_default();
    let mut text = key.to_string();
    if !value.is_empty() {
        text.push_str(&format!("={value}"));
    }
    if !effect.is_empty() {
        text.push_str(&format!(":{effect}"));
    }
    if t.operator.as_deref() == Some("Exists") && value.is_empty() {
        text.push_str(if key.is_empty() && effect.is_empty() {
            "op=Exists"
        } else {
            " op=Exists"
        });
    }
    if let Some(seconds) = t.toleration_seconds {
        text.push_str(&format!(" for {seconds}s"));
    }
    text
}

fn pod_term(term: &PodAffinityTerm) -> String {
    let selector = term
        .label_selector
        .as_ref()
        .map(selector_text)
        .unwrap_or_else(|| "<none>".into());
    let namespaces = term
        .namespaces
        .as_deref()
        .filter(|n| !n.is_empty())
        .map(|n| format!(" in namespaces {}", n.join(",")))
        .unwrap_or_default();
    format!("pods {selector}{namespaces}, per {}", term.topology_key)
}

fn selector_text(selector: &LabelSelector) -> String {
    match from_label_selector(selector) {
        Ok(parsed) => {
            let text = parsed.to_kubernetes_string();
            if text.is_empty() {
                "<all>".into()
            } else {
                text
            }
        }
        Err(_) => "<invalid selector>".into(),
    }
}

/// `key=value` lines, sorted, as describe prints labels and node selectors.
pub fn pairs(map: Option<&BTreeMap<String, String>>, separator: &str) -> Vec<Cell> {
    map.into_iter()
        .flatten()
        .map(|(k, v)| (format!("{k}{separator}{v}"), Tone::Normal))
        .collect()
}
