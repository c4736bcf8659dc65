//! The probes view: every container's liveness, readiness and startup probes with
//! the API server's defaults filled in and named ports resolved, recent probe
//! failures from the kubelet's `Unhealthy` events, and well-known mistakes.

use std::collections::BTreeMap;

use crate::cluster::pod::{Container, Pod};
use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Event, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::cluster::{Kind, Stores};

use super::age::age_since;
use super::doc::{Doc, ObjectRef, Span};
use super::table::Tone;

/// Probe defaults (SetDefaults_Probe, pkg/apis/core/v1/defaults.go).
const DEFAULT_PERIOD: i32 = 10;
const DEFAULT_TIMEOUT: i32 = 1;
const DEFAULT_SUCCESS: i32 = 1;
const DEFAULT_FAILURE: i32 = 3;
/// A liveness delay this long is a start-up allowance in disguise; a startup
/// probe gives the same allowance without delaying liveness checks forever after
/// (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes).
const SLOW_START_DELAY: i32 = 30;

/// Which of a container's probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProbeKind {
    Startup,
    Liveness,
    Readiness,
}

impl ProbeKind {
    /// The word the kubelet starts its event messages with.
    pub fn word(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
        }
    }
}

/// One probe with defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeSummary {
    pub kind: ProbeKind,
    /// As `kubectl describe` spells it, with named ports resolved: `http-get
    /// http://:80/healthz`.
    pub handler: String,
    pub initial_delay: i32,
    pub period: i32,
    pub timeout: i32,
    pub success: i32,
    pub failure: i32,
    /// The probe-level `terminationGracePeriodSeconds` override.
    pub termination_grace: Option<i64>,
    /// A named port that the container does not declare.
    pub unresolved_port: Option<String>,
}

/// Resolves `port` against the container's ports: the number, and the name it
/// was given by; `Err(name)` when the container declares no such port.
fn resolve(port: &IntOrString, container: &Container) -> Result<(String, Option<String>), String> {
    match port {
        IntOrString::Int(n) => Ok((n.to_string(), None)),
        IntOrString::String(name) => {
            if let Ok(n) = name.parse::<i32>() {
                return Ok((n.to_string(), None));
            }
            container
                .ports
                .iter()
                .flatten()
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .map(|p| (p.container_port.to_string(), Some(name.clone())))
                .ok_or_else(|| name.clone())
        }
    }
}

fn summarize_probe(kind: ProbeKind, probe: &Probe, container: &Container) -> ProbeSummary {
    let mut unresolved_port = None;
    let mut port_name = None;
    let mut port_text = |port: &IntOrString| match resolve(port, container) {
        Ok((number, name)) => {
            port_name = name;
            number
        }
        Err(name) => {
            unresolved_port = Some(name.clone());
            name
        }
    };
    let handler = if let Some(http) = &probe.http_get {
        let scheme = http.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let host = http.host.as_deref().unwrap_or("");
        let path = http.path.as_deref().unwrap_or("");
        let mut text = format!("http-get {scheme}://{host}:{}{path}", port_text(&http.port));
        for header in http.http_headers.iter().flatten() {
            text.push_str(&format!(" [{}: {}]", header.name, header.value));
        }
        text
    } else if let Some(tcp) = &probe.tcp_socket {
        let host = tcp.host.as_deref().unwrap_or("");
        format!("tcp-socket {host}:{}", port_text(&tcp.port))
    } else if let Some(exec) = &probe.exec {
        format!(
            "exec [{}]",
            exec.command
                .iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        )
    } else if let Some(grpc) = &probe.grpc {
        format!(
            "grpc <pod>:{} {}",
            grpc.port,
            grpc.service.as_deref().unwrap_or("")
        )
        .trim_end()
        .to_string()
    } else {
        "unknown".to_string()
    };
    let handler = match port_name {
        Some(name) => format!("{handler} (port {name})"),
        None => handler,
    };
    ProbeSummary {
        kind,
        handler,
        initial_delay: probe.initial_delay_seconds.unwrap_or(0),
        period: probe.period_seconds.unwrap_or(DEFAULT_PERIOD),
        timeout: probe.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT),
        success: probe.success_threshold.unwrap_or(DEFAULT_SUCCESS),
        failure: probe.failure_threshold.unwrap_or(DEFAULT_FAILURE),
        termination_grace: probe.termination_grace_period_seconds,
        unresolved_port,
    }
}

/// A container's probes, startup first (it gates the others).
pub fn container_probes(container: &Container) -> Vec<ProbeSummary> {
    [
        (ProbeKind::Startup, &container.startup_probe),
        (ProbeKind::Liveness, &container.liveness_probe),
        (ProbeKind::Readiness, &container.readiness_probe),
    ]
    .into_iter()
    .filter_map(|(kind, probe)| probe.as_ref().map(|p| summarize_probe(kind, p, container)))
    .collect()
}

/// Well-known probe mistakes in one container, in words.
pub fn mistakes(container: &Container) -> Vec<String> {
    let probes = container_probes(container);
    let find = |kind| probes.iter().find(|p| p.kind == kind);
    let mut out = Vec::new();
    if let (Some(live), None) = (find(ProbeKind::Liveness), find(ProbeKind::Startup))
        && live.initial_delay >= SLOW_START_DELAY
    {
        out.push(format!(
            "liveness waits initialDelaySeconds={} instead of a startup probe: a slower start is \
             still killed, and every start waits the full delay",
            live.initial_delay
        ));
    }
    if let (Some(live), Some(ready)) = (&container.liveness_probe, &container.readiness_probe)
        && live == ready
    {
        out.push(
            "liveness is identical to readiness: a container that is only unready (busy, a \
             dependency down) is restarted instead of taken out of rotation"
                .to_string(),
        );
    }
    for probe in &probes {
        let name = probe.kind.word().to_lowercase();
        if probe.timeout >= probe.period {
            out.push(format!(
                "{name}: timeoutSeconds={} is not below periodSeconds={}: a slow answer delays \
                 the next check",
                probe.timeout, probe.period
            ));
        }
        if let Some(port) = &probe.unresolved_port {
            out.push(format!(
                "{name}: port {port:?} is not a named port of the container, so the probe always fails"
            ));
        }
        if probe.kind == ProbeKind::Liveness && probe.failure == 1 {
            out.push(
                "liveness: failureThreshold=1 restarts the container on a single slow or failed \
                 check"
                    .to_string(),
            );
        }
    }
    out
}

/// Probe failures of one container and kind, summed over the kubelet's events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeFailures {
    pub container: String,
    pub kind: Option<ProbeKind>,
    pub count: i32,
    pub last: Option<Timestamp>,
    pub last_message: String,
}

fn last_seen(event: &Event) -> Option<Timestamp> {
    event
        .series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref().map(|t| t.0))
        .or(event.last_timestamp.as_ref().map(|t| t.0))
        .or(event.event_time.as_ref().map(|t| t.0))
        .or(event.first_timestamp.as_ref().map(|t| t.0))
        .or(event.metadata.creation_timestamp.as_ref().map(|t| t.0))
}

/// `spec.containers{web}` → `web` (also init and ephemeral containers).
fn container_of(field_path: &str) -> Option<&str> {
    let open = field_path.find('{')?;
    field_path[open + 1..].strip_suffix('}')
}

/// `Unhealthy` events of `pod`, grouped by container and probe kind.
pub fn probe_failures(pod: &Pod, events: &[&Event]) -> Vec<ProbeFailures> {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    let name = pod.metadata.name.as_deref().unwrap_or("");
    let uid = pod.metadata.uid.as_deref();
    let mut groups: BTreeMap<(String, Option<ProbeKind>), ProbeFailures> = BTreeMap::new();
    for event in events {
        let object = &event.involved_object;
        let matches = event.reason.as_deref() == Some("Unhealthy")
            && object.kind.as_deref() == Some("Pod")
            && object.name.as_deref() == Some(name)
            && object.namespace.as_deref().unwrap_or(namespace) == namespace
            && (uid.is_none() || object.uid.is_none() || object.uid.as_deref() == uid);
        if !matches {
            continue;
        }
        let container = object
            .field_path
            .as_deref()
            .and_then(container_of)
            .unwrap_or("")
            .to_string();
        let message = event.message.clone().unwrap_or_default();
        let kind = [
            ProbeKind::Startup,
            ProbeKind::Liveness,
            ProbeKind::Readiness,
        ]
        .into_iter()
        .find(|k| message.starts_with(&format!("{} probe", k.word())));
        let count = event
            .series
            .as_ref()
            .and_then(|s| s.count)
            .or(event.count)
            .unwrap_or(1);
        let seen = last_seen(event);
        let entry = groups
            .entry((container.clone(), kind))
            .or_insert_with(|| ProbeFailures {
                container,
                kind,
                count: 0,
                last: None,
                last_message: String::new(),
            });
        entry.count += count;
        if entry.last.is_none() || seen > entry.last {
            entry.last = seen;
            entry.last_message = message;
        }
    }
    groups.into_values().collect()
}

/// The probes view of one pod.
pub fn probes_doc(pod: &Pod, events: &[&Event], now: Timestamp) -> Doc {
    let namespace = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();
    let mut doc = Doc::new(format!("Probes {namespace}/{name}"));
    doc.link(
        vec![Span::new(format!("Pod {namespace}/{name}"), Tone::Normal)],
        ObjectRef::new(Kind::Pod, namespace.clone(), name.clone()),
    );
    let failures = probe_failures(pod, events);
    let spec = pod.spec.as_ref();
    let containers = spec.into_iter().flat_map(|s| {
        let init = s.init_containers.iter().flatten().map(|c| (c, true));
        init.chain(s.containers.iter().map(|c| (c, false)))
    });
    let pod_grace = spec.and_then(|s| s.termination_grace_period_seconds);
    for (container, init) in containers {
        let probes = container_probes(container);
        if init && probes.is_empty() {
            continue;
        }
        let title = if init { "Init container" } else { "Container" };
        doc.heading(format!("{title} {}", container.name));
        if probes.is_empty() {
            doc.text("no probes", Tone::Muted);
        } else {
            let rows = probes
                .iter()
                .map(|p| {
                    let grace = match p.termination_grace {
                        Some(g) => (format!("{g}s"), Tone::Normal),
                        None => (
                            pod_grace.map_or("30s (pod)".into(), |g| format!("{g}s (pod)")),
                            Tone::Muted,
                        ),
                    };
                    (
                        vec![
                            (p.kind.word().to_lowercase(), Tone::Normal),
                            (p.handler.clone(), Tone::Normal),
                            (format!("{}s", p.initial_delay), Tone::Normal),
                            (format!("{}s", p.period), Tone::Normal),
                            (format!("{}s", p.timeout), Tone::Normal),
                            (p.success.to_string(), Tone::Normal),
                            (p.failure.to_string(), Tone::Normal),
                            grace,
                        ],
                        None,
                    )
                })
                .collect();
            doc.table(
                &[
                    "PROBE", "HANDLER", "DELAY", "PERIOD", "TIMEOUT", "SUCCESS", "FAILURE", "GRACE",
                ],
                rows,
            );
        }
        for mistake in mistakes(container) {
            doc.text(format!("! {mistake}"), Tone::Warning);
        }
        let mine: Vec<&ProbeFailures> = failures
            .iter()
            .filter(|f| f.container == container.name)
            .collect();
        if !mine.is_empty() {
            doc.text("Recent failures:", Tone::Muted);
            let rows = mine
                .iter()
                .map(|f| {
                    (
                        vec![
                            (
                                f.kind.map_or("probe", |k| k.word()).to_lowercase(),
                                Tone::Normal,
                            ),
                            (f.count.to_string(), Tone::Bad),
                            (age_since(f.last, now), Tone::Normal),
                            (f.last_message.clone(), Tone::Bad),
                        ],
                        None,
                    )
                })
                .collect();
            doc.table(&["PROBE", "COUNT", "LAST", "MESSAGE"], rows);
        }
    }
    let orphans: Vec<&ProbeFailures> = failures
        .iter()
        .filter(|f| {
            !spec.into_iter().any(|s| {
                s.containers
                    .iter()
                    .chain(s.init_containers.iter().flatten())
                    .any(|c| c.name == f.container)
            })
        })
        .collect();
    if !orphans.is_empty() {
        doc.heading("Failures not attributed to a container");
        for f in orphans {
            doc.text(
                format!(
                    "{}x {} ago: {}",
                    f.count,
                    age_since(f.last, now),
                    f.last_message
                ),
                Tone::Bad,
            );
        }
    }
    doc
}

/// [`probes_doc`] for the cached pod `namespace/name` with the cached events;
/// `None` when the pod is not cached.
pub fn probes_doc_in(stores: &Stores, namespace: &str, name: &str, now: Timestamp) -> Option<Doc> {
    let pod = stores.pod(namespace, name)?;
    let events = stores.events.state();
    let events: Vec<&Event> = events
        .iter()
        .map(|e| e.as_ref())
        .filter(|e| e.metadata.namespace.as_deref() == Some(namespace))
        .collect();
    Some(probes_doc(&pod, &events, now))
}

#[cfg(test)]
mod tests;
