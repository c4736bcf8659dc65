//! One pod, described: what `kubectl describe pod` says (kubectl
//! `pkg/describe/describe.go`, `describePod`), organised for reading: the header,
//! containers grouped as init, sidecar (restartable init containers), regular and
//! ephemeral, conditions, volumes (names and sources, never secret contents), the
//! owner chain to the root, and recent events in describe's format.

use crate::cluster::pod::{Container, ContainerStatus, Pod, PodStatus, Volume};
use jiff::Timestamp;
use k8s_openapi::api::core::v1::{ContainerState, Event};

use crate::cluster::{Kind, Stores};

use super::age::age_since;
use super::doc::{Cell, Doc, ObjectRef};
use super::events::{describe_events, object_events};
use super::owners::{Inventory, owner_chain, write_chain};
use super::pod::{Health, format_restarts, summarize};
use super::qos::pod_qos;
use super::table::Tone;

mod spec;
pub use spec::FullSpec;
use spec::{affinity_lines, container_env_and_mounts, pairs, toleration_text};

fn health_tone(health: Health) -> Tone {
    match health {
        Health::Healthy => Tone::Good,
        Health::Progressing => Tone::Progressing,
        Health::Done => Tone::Muted,
        Health::Failing => Tone::Bad,
    }
}

fn or_none(value: Option<String>) -> Cell {
    match value.filter(|v| !v.is_empty()) {
        Some(v) => (v, Tone::Normal),
        None => ("<none>".to_string(), Tone::Muted),
    }
}

/// The pod detail document. `events` may be every cached event: the pod's own are
/// picked out by uid (kind, namespace and name when uids are missing).
pub fn pod_detail_doc<'a>(
    pod: &Pod,
    full: FullSpec<'_>,
    inventory: &Inventory,
    events: impl IntoIterator<Item = &'a Event>,
    now: Timestamp,
) -> Doc {
    let meta = &pod.metadata;
    let namespace = meta.namespace.clone().unwrap_or_default();
    let name = meta.name.clone().unwrap_or_default();
    let spec = pod.spec.as_ref();
    let empty_status = PodStatus::default();
    let status = pod.status.as_ref().unwrap_or(&empty_status);
    let summary = summarize(pod);
    let mut doc = Doc::new(format!("Pod {namespace}/{name}"));

    doc.heading(format!("Pod {name}"));
    let node = match spec.and_then(|s| s.node_name.clone()) {
        Some(node) => match status.host_ip.as_deref() {
            Some(ip) if !ip.is_empty() => format!("{node} ({ip})"),
            _ => node,
        },
        None => "<none>".to_string(),
    };
    let start = match &status.start_time {
        Some(t) => (
            format!("{} ({} ago)", t.0, age_since(Some(t.0), now)),
            Tone::Normal,
        ),
        None => ("<none>".to_string(), Tone::Muted),
    };
    let ips: Vec<String> = status
        .pod_ips
        .iter()
        .flatten()
        .map(|ip| ip.ip.clone())
        .filter(|ip| !ip.is_empty())
        .collect();
    let controller = meta
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map(|o| format!("{}/{}", o.kind, o.name));
    let tone = health_tone(summary.health());
    let single = |pairs: Vec<(&'static str, Cell)>| -> Vec<(&'static str, Vec<Cell>)> {
        pairs.into_iter().map(|(k, v)| (k, vec![v])).collect()
    };
    let mut header = single(vec![
        ("Namespace", (namespace.clone(), Tone::Normal)),
        ("Node", (node, Tone::Normal)),
        ("Start Time", start),
        ("Status", (summary.status.clone(), tone)),
        (
            "Ready",
            (format!("{}/{}", summary.ready, summary.total), tone),
        ),
        (
            "Restarts",
            (
                format_restarts(summary.restarts, summary.last_restart, now),
                if summary.restarts > 0 {
                    Tone::Warning
                } else {
                    Tone::Normal
                },
            ),
        ),
        ("IPs", or_none(Some(ips.join(", ")))),
        (
            "Service Account",
            or_none(spec.and_then(|s| s.service_account_name.clone())),
        ),
        (
            "QoS Class",
            (pod_qos(pod).as_str().to_string(), Tone::Normal),
        ),
        (
            "Priority Class",
            or_none(spec.and_then(|s| s.priority_class_name.clone())),
        ),
        (
            "Priority",
            or_none(spec.and_then(|s| s.priority).map(|p| p.to_string())),
        ),
        ("Controlled By", or_none(controller)),
    ]);
    header.push(("Labels", pairs(meta.labels.as_ref(), "=")));
    header.push(("Annotations", pairs(meta.annotations.as_ref(), ": ")));
    doc.field_lists(&header);

    let init_specs = spec
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or(&[]);
    let init_statuses = status.init_container_statuses.as_deref().unwrap_or(&[]);
    let (sidecars, inits): (Vec<&Container>, Vec<&Container>) = init_specs
        .iter()
        .partition(|c| c.restart_policy.as_deref() == Some("Always"));
    containers(
        &mut doc,
        "Init Containers",
        &inits,
        init_statuses,
        full,
        now,
    );
    containers(
        &mut doc,
        "Sidecar Containers",
        &sidecars,
        init_statuses,
        full,
        now,
    );
    let regular: Vec<&Container> = spec
        .map(|s| s.containers.iter().collect())
        .unwrap_or_default();
    let regular_statuses = status.container_statuses.as_deref().unwrap_or(&[]);
    if regular.is_empty() {
        doc.heading("Containers");
        doc.text("<none>", Tone::Muted);
    } else {
        containers(
            &mut doc,
            "Containers",
            &regular,
            regular_statuses,
            full,
            now,
        );
    }
    let ephemeral: Vec<Container> = spec
        .and_then(|s| s.ephemeral_containers.as_ref())
        .map(|list| {
            list.iter()
                .map(|e| Container {
                    name: e.name.clone(),
                    image: e.image.clone(),
                    ..Container::default()
                })
                .collect()
        })
        .unwrap_or_default();
    let ephemeral_refs: Vec<&Container> = ephemeral.iter().collect();
    let ephemeral_statuses = status
        .ephemeral_container_statuses
        .as_deref()
        .unwrap_or(&[]);
    containers(
        &mut doc,
        "Ephemeral Containers",
        &ephemeral_refs,
        ephemeral_statuses,
        FullSpec::Skip,
        now,
    );

    doc.heading("Scheduling");
    doc.field_lists(&[
        (
            "Node-Selectors",
            pairs(spec.and_then(|s| s.node_selector.as_ref()), "="),
        ),
        (
            "Tolerations",
            spec.and_then(|s| s.tolerations.as_deref())
                .unwrap_or_default()
                .iter()
                .map(|t| (toleration_text(t), Tone::Normal))
                .collect(),
        ),
        ("Affinity", affinity_lines(full)),
    ]);

    doc.heading("Conditions");
    let conditions = status.conditions.as_deref().unwrap_or(&[]);
    if conditions.is_empty() {
        doc.text("<none>", Tone::Muted);
    } else {
        let rows = conditions
            .iter()
            .map(|c| {
                let tone = match c.status.as_str() {
                    "True" => Tone::Normal,
                    "False" => Tone::Warning,
                    _ => Tone::Muted,
                };
                (
                    vec![
                        (c.type_.clone(), Tone::Normal),
                        (c.status.clone(), tone),
                        (c.reason.clone().unwrap_or_default(), tone),
                        (
                            age_since(c.last_transition_time.as_ref().map(|t| t.0), now),
                            Tone::Muted,
                        ),
                    ],
                    None,
                )
            })
            .collect();
        doc.table(&["TYPE", "STATUS", "REASON", "SINCE"], rows);
    }

    doc.heading("Volumes");
    let volumes = spec.and_then(|s| s.volumes.as_deref()).unwrap_or(&[]);
    if volumes.is_empty() {
        doc.text("<none>", Tone::Muted);
    } else {
        let rows = volumes
            .iter()
            .map(|v| {
                let (kind, detail) = volume_source(v);
                (
                    vec![
                        (v.name.clone(), Tone::Normal),
                        (kind.to_string(), Tone::Normal),
                        (detail, Tone::Muted),
                    ],
                    None,
                )
            })
            .collect();
        doc.table(&["NAME", "TYPE", "SOURCE"], rows);
    }

    doc.heading("Owners");
    let owners = meta.owner_references.as_deref().unwrap_or(&[]);
    write_chain(&mut doc, &owner_chain(inventory, &namespace, owners));

    let target = ObjectRef::new(Kind::Pod, namespace, name);
    let events = object_events(events, &target, meta.uid.as_deref());
    describe_events(&mut doc, &events, now);
    doc
}

/// The pod detail straight from the cache.
pub fn pod_detail_from_stores(
    pod: &Pod,
    full: FullSpec<'_>,
    stores: &Stores,
    now: Timestamp,
) -> Doc {
    let inventory = Inventory::from_stores(stores);
    let events = stores.events.state();
    pod_detail_doc(
        pod,
        full,
        &inventory,
        events.iter().map(|e| e.as_ref()),
        now,
    )
}

fn containers(
    doc: &mut Doc,
    title: &str,
    specs: &[&Container],
    statuses: &[ContainerStatus],
    full: FullSpec<'_>,
    now: Timestamp,
) {
    if specs.is_empty() {
        return;
    }
    doc.heading(title);
    for (i, container) in specs.iter().enumerate() {
        if i > 0 {
            doc.blank();
        }
        let status = statuses.iter().find(|s| s.name == container.name);
        doc.text(container.name.clone(), Tone::Normal);
        let image = container
            .image
            .clone()
            .or_else(|| status.map(|s| s.image.clone()))
            .unwrap_or_default();
        let mut fields: Vec<(&'static str, Cell)> = vec![("  Image", (image, Tone::Normal))];
        let ports = ports_text(container);
        if !ports.is_empty() {
            fields.push(("  Ports", (ports, Tone::Normal)));
        }
        let resources = container.resources.as_ref();
        for (label, list) in [
            ("  Limits", resources.and_then(|r| r.limits.as_ref())),
            ("  Requests", resources.and_then(|r| r.requests.as_ref())),
        ] {
            if let Some(list) = list.filter(|l| !l.is_empty()) {
                let text: Vec<String> = list.iter().map(|(k, q)| format!("{k}: {}", q.0)).collect();
                fields.push((label, (text.join(", "), Tone::Normal)));
            }
        }
        let limit = |resource: &str| {
            resources
                .and_then(|r| r.limits.as_ref())
                .and_then(|l| l.get(resource.trim_start_matches("limits.")))
                .map(|q| q.0.clone())
        };
        let with_env = |fields: Vec<(&'static str, Cell)>| {
            let mut lists: Vec<(&str, Vec<Cell>)> =
                fields.into_iter().map(|(k, v)| (k, vec![v])).collect();
            lists.extend(container_env_and_mounts(full, &container.name, &limit));
            lists
        };
        let Some(status) = status else {
            fields.push(("  State", ("<unknown>".to_string(), Tone::Muted)));
            doc.field_lists(&with_env(fields));
            continue;
        };
        fields.push((
            "  State",
            state_cell(status.state.as_deref(), status.ready, now),
        ));
        if let Some(message) = status
            .state
            .as_ref()
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.message.clone())
            .filter(|m| !m.is_empty())
        {
            fields.push(("  Message", (message, Tone::Muted)));
        }
        fields.push((
            "  Ready",
            (
                if status.ready { "True" } else { "False" }.to_string(),
                if status.ready {
                    Tone::Good
                } else {
                    Tone::Warning
                },
            ),
        ));
        fields.push((
            "  Restarts",
            (
                status.restart_count.to_string(),
                if status.restart_count > 0 {
                    Tone::Warning
                } else {
                    Tone::Normal
                },
            ),
        ));
        if let Some(last) = status
            .last_state
            .as_ref()
            .and_then(|s| s.terminated.as_ref())
        {
            fields.push((
                "  Last Termination",
                (
                    format!(
                        "{}, finished {} ago",
                        termination(last.reason.as_deref(), last.exit_code, last.signal),
                        age_since(last.finished_at.as_ref().map(|t| t.0), now)
                    ),
                    if last.exit_code == 0 {
                        Tone::Muted
                    } else {
                        Tone::Bad
                    },
                ),
            ));
        }
        doc.field_lists(&with_env(fields));
    }
}

/// `8443/TCP (https), 9090/TCP`, and a host port when one is bound.
fn ports_text(container: &Container) -> String {
    container
        .ports
        .iter()
        .flatten()
        .map(|p| {
            let protocol = p.protocol.as_deref().unwrap_or("TCP");
            let mut text = format!("{}/{protocol}", p.container_port);
            if let Some(host) = p.host_port.filter(|h| *h != 0) {
                text.push_str(&format!(" (host {host})"));
            }
            if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
                text.push_str(&format!(" ({name})"));
            }
            text
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn termination(reason: Option<&str>, exit_code: i32, signal: Option<i32>) -> String {
    let code = match signal.filter(|s| *s != 0) {
        Some(signal) => format!("exit code {exit_code}, signal {signal}"),
        None => format!("exit code {exit_code}"),
    };
    match reason.filter(|r| !r.is_empty()) {
        Some(reason) => format!("{reason} ({code})"),
        None => code,
    }
}

fn state_cell(state: Option<&ContainerState>, ready: bool, now: Timestamp) -> Cell {
    let Some(state) = state else {
        return ("<unknown>".to_string(), Tone::Muted);
    };
    if let Some(running) = &state.running {
        let since = age_since(running.started_at.as_ref().map(|t| t.0), now);
        return (
            format!("Running for {since}"),
            if ready { Tone::Good } else { Tone::Progressing },
        );
    }
    if let Some(t) = &state.terminated {
        return (
            format!(
                "Terminated: {}, finished {} ago",
                termination(t.reason.as_deref(), t.exit_code, t.signal),
                age_since(t.finished_at.as_ref().map(|t| t.0), now)
            ),
            if t.exit_code == 0 {
                Tone::Muted
            } else {
                Tone::Bad
            },
        );
    }
    if let Some(w) = &state.waiting {
        return match w.reason.as_deref().filter(|r| !r.is_empty()) {
            Some(reason @ ("ContainerCreating" | "PodInitializing")) => {
                (format!("Waiting: {reason}"), Tone::Progressing)
            }
            Some(reason) => (format!("Waiting: {reason}"), Tone::Bad),
            None => ("Waiting".to_string(), Tone::Progressing),
        };
    }
    ("<unknown>".to_string(), Tone::Muted)
}

/// A volume's type and where it comes from, as describe names them; secrets by
/// name only.
fn volume_source(v: &Volume) -> (&'static str, String) {
    if let Some(e) = &v.empty_dir {
        let mut parts = Vec::new();
        if let Some(medium) = e.medium.as_deref().filter(|m| !m.is_empty()) {
            parts.push(format!("medium {medium}"));
        }
        if let Some(limit) = &e.size_limit {
            parts.push(format!("size limit {}", limit.0));
        }
        return ("EmptyDir", parts.join(", "));
    }
    if let Some(c) = &v.config_map {
        return ("ConfigMap", c.name.clone());
    }
    if let Some(s) = &v.secret {
        return ("Secret", s.secret_name.clone().unwrap_or_default());
    }
    if let Some(p) = &v.persistent_volume_claim {
        let ro = if p.read_only == Some(true) {
            " (read-only)"
        } else {
            ""
        };
        return ("PersistentVolumeClaim", format!("{}{ro}", p.claim_name));
    }
    if let Some(h) = &v.host_path {
        return match h.type_.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => ("HostPath", format!("{} ({t})", h.path)),
            None => ("HostPath", h.path.clone()),
        };
    }
    if let Some(p) = &v.projected {
        let sources: Vec<String> = p
            .sources
            .iter()
            .flatten()
            .map(|s| {
                if s.service_account_token.is_some() {
                    "service account token".to_string()
                } else if let Some(c) = &s.config_map {
                    format!("configMap {}", c.name)
                } else if let Some(c) = &s.secret {
                    format!("secret {}", c.name)
                } else if s.downward_api.is_some() {
                    "downward API".to_string()
                } else if s.cluster_trust_bundle.is_some() {
                    "cluster trust bundle".to_string()
                } else {
                    "other".to_string()
                }
            })
            .collect();
        return ("Projected", sources.join(", "));
    }
    if v.downward_api.is_some() {
        return ("DownwardAPI", String::new());
    }
    if let Some(c) = &v.csi {
        return ("CSI", c.driver.clone());
    }
    if v.ephemeral.is_some() {
        return ("Ephemeral", String::new());
    }
    if let Some(n) = &v.nfs {
        return ("NFS", format!("{}:{}", n.server, n.path));
    }
    if let Some(i) = &v.image {
        return ("Image", i.reference.clone().unwrap_or_default());
    }
    ("Other", String::new())
}

#[cfg(test)]
mod tests;
