//! Port-forwards as data, and the `:pf` list of the active ones. The ops layer
//! (`ops::portforward`) runs the forwards and reports them as [`ForwardStatus`];
//! this file only describes and draws them, so it stays pure.

use std::fmt;

use jiff::Timestamp;

use crate::cluster::Kind;

use super::age::age_since;
use super::doc::{Cell, Doc, ObjectRef};
use super::table::Tone;

/// Identifies one forward in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ForwardId(pub u64);

/// What a forward was made to: a pod directly, or a pod chosen through a
/// Service or a Deployment (and chosen again when that pod goes away).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardTarget {
    /// One named pod; when it goes, the forward is broken.
    Pod { namespace: String, name: String },
    /// A ready endpoint pod of a Service.
    Service { namespace: String, name: String },
    /// A ready pod of a Deployment's selector.
    Deployment { namespace: String, name: String },
}

impl ForwardTarget {
    /// The namespace of the target.
    pub fn namespace(&self) -> &str {
        match self {
            ForwardTarget::Pod { namespace, .. }
            | ForwardTarget::Service { namespace, .. }
            | ForwardTarget::Deployment { namespace, .. } => namespace,
        }
    }

    /// The name of the pod, Service or Deployment.
    pub fn name(&self) -> &str {
        match self {
            ForwardTarget::Pod { name, .. }
            | ForwardTarget::Service { name, .. }
            | ForwardTarget::Deployment { name, .. } => name,
        }
    }

    /// Whether another pod may take over when the current one goes away.
    pub fn reresolves(&self) -> bool {
        !matches!(self, ForwardTarget::Pod { .. })
    }
}

impl fmt::Display for ForwardTarget {
    /// As kubectl port-forward names it: `pod/web-1`, `svc/web`, `deploy/web`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            ForwardTarget::Pod { .. } => "pod",
            ForwardTarget::Service { .. } => "svc",
            ForwardTarget::Deployment { .. } => "deploy",
        };
        write!(f, "{kind}/{}", self.name())
    }
}

/// The remote port as the user gave it: a number or a port name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemotePort {
    /// A port number (a container port, or a Service port for a Service).
    Number(u16),
    /// A named container port (or a named Service port for a Service).
    Name(String),
}

impl RemotePort {
    /// `80` is a number, anything else a name (as kubectl parses `8080:http`).
    pub fn parse(text: &str) -> RemotePort {
        match text.parse::<u16>() {
            Ok(number) => RemotePort::Number(number),
            Err(_) => RemotePort::Name(text.to_string()),
        }
    }
}

impl fmt::Display for RemotePort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemotePort::Number(number) => write!(f, "{number}"),
            RemotePort::Name(name) => f.write_str(name),
        }
    }
}

/// Whether a forward carries traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// Bound and bridged to a pod that is there.
    Active,
    /// Its pod went away; another is being looked for (Service, Deployment).
    Reconnecting { why: String },
    /// Its pod went away for good (a bare pod): new connections are refused.
    Broken { why: String },
}

/// One forward as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardStatus {
    pub id: ForwardId,
    /// The port bound on 127.0.0.1.
    pub local_port: u16,
    /// The remote port as requested.
    pub remote: RemotePort,
    /// The pod port it resolved to on the current pod.
    pub remote_port: Option<u16>,
    pub target: ForwardTarget,
    /// The pod connections go to now; `None` while none is known.
    pub pod: Option<String>,
    pub open_connections: u64,
    pub total_connections: u64,
    /// Bytes from the pod to local clients.
    pub bytes_in: u64,
    /// Bytes from local clients to the pod.
    pub bytes_out: u64,
    pub health: Health,
    pub started: Timestamp,
    /// The last error the kubelet reported on a connection, if any.
    pub last_error: Option<String>,
}

/// The `:pf` document: one row per forward, toned by health; Enter on a row
/// opens its current pod.
pub fn forwards_doc(forwards: &[ForwardStatus], now: Timestamp) -> Doc {
    let mut doc = Doc::new("Port-forwards");
    if forwards.is_empty() {
        doc.text(
            "No active port-forwards (shift-f on a pod, service or deployment).",
            Tone::Muted,
        );
        return doc;
    }
    let rows = forwards
        .iter()
        .map(|forward| {
            let tone = health_tone(&forward.health);
            let target = forward
                .pod
                .as_ref()
                .map(|pod| format!("{}/{pod}", forward.target.namespace()));
            let cells: Vec<Cell> = vec![
                (format!("127.0.0.1:{}", forward.local_port), Tone::Normal),
                (remote_text(forward), Tone::Normal),
                (target.unwrap_or_else(|| "-".to_string()), Tone::Normal),
                (forward.target.to_string(), Tone::Muted),
                (
                    format!("{}/{}", forward.open_connections, forward.total_connections),
                    Tone::Normal,
                ),
                (
                    format!(
                        "{}/{}",
                        human_bytes(forward.bytes_in),
                        human_bytes(forward.bytes_out)
                    ),
                    Tone::Normal,
                ),
                (health_text(&forward.health), tone),
                (age_since(Some(forward.started), now), Tone::Muted),
            ];
            let link = forward
                .pod
                .as_ref()
                .map(|pod| ObjectRef::new(Kind::Pod, forward.target.namespace(), pod.clone()));
            (cells, link)
        })
        .collect();
    doc.table(
        &[
            "LOCAL",
            "REMOTE",
            "TARGET",
            "VIA",
            "CONNS",
            "BYTES IN/OUT",
            "HEALTH",
            "AGE",
        ],
        rows,
    );
    let errors: Vec<_> = forwards
        .iter()
        .filter_map(|f| f.last_error.as_ref().map(|e| (f.local_port, e)))
        .collect();
    if !errors.is_empty() {
        doc.heading("Last errors");
        for (port, error) in errors {
            doc.text(format!("127.0.0.1:{port}: {error}"), Tone::Warning);
        }
    }
    doc
}

/// `80`, or `http (80)` for a named port once resolved.
fn remote_text(forward: &ForwardStatus) -> String {
    match (&forward.remote, forward.remote_port) {
        (RemotePort::Name(name), Some(port)) => format!("{name} ({port})"),
        (RemotePort::Number(_), Some(port)) => port.to_string(),
        (remote, None) => remote.to_string(),
    }
}

fn health_text(health: &Health) -> String {
    match health {
        Health::Active => "Active".to_string(),
        Health::Reconnecting { why } => format!("Reconnecting: {why}"),
        Health::Broken { why } => format!("Broken: {why}"),
    }
}

fn health_tone(health: &Health) -> Tone {
    match health {
        Health::Active => Tone::Good,
        Health::Reconnecting { .. } => Tone::Progressing,
        Health::Broken { .. } => Tone::Bad,
    }
}

/// Bytes in binary units with one decimal above 1 KiB: `512B`, `1.5KiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes}B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1}{}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a timestamp")
    }

    fn forward(id: u64, target: ForwardTarget, health: Health) -> ForwardStatus {
        ForwardStatus {
            id: ForwardId(id),
            local_port: 8080,
            remote: RemotePort::Number(80),
            remote_port: Some(80),
            target,
            pod: Some("web-1".into()),
            open_connections: 1,
            total_connections: 3,
            bytes_in: 1536,
            bytes_out: 120,
            health,
            started: at("2026-11-23T11:55:00Z"),
            last_error: None,
        }
    }

    #[test]
    fn the_list_shows_every_forward_toned_by_health() {
        let active = forward(
            1,
            ForwardTarget::Service {
                namespace: "shop".into(),
                name: "web".into(),
            },
            Health::Active,
        );
        let mut named = forward(
            2,
            ForwardTarget::Deployment {
                namespace: "shop".into(),
                name: "api".into(),
            },
            Health::Reconnecting {
                why: "pod web-1 was deleted".into(),
            },
        );
        named.local_port = 9090;
        named.remote = RemotePort::Name("http".into());
        named.pod = None;
        named.open_connections = 0;
        named.bytes_in = 3 * 1024 * 1024 + 512 * 1024;
        named.bytes_out = 0;
        let mut broken = forward(
            3,
            ForwardTarget::Pod {
                namespace: "shop".into(),
                name: "db-0".into(),
            },
            Health::Broken {
                why: "pod db-0 was deleted".into(),
            },
        );
        broken.local_port = 5432;
        broken.remote_port = Some(5432);
        broken.remote = RemotePort::Name("pg".into());
        broken.pod = Some("db-0".into());
        broken.last_error = Some("error forwarding port 5432 to pod".into());
        let doc = forwards_doc(&[active, named, broken], at("2026-11-23T12:00:00Z"));
        assert_eq!(
            doc.to_text(),
            "\
LOCAL           REMOTE     TARGET      VIA         CONNS  BYTES IN/OUT  HEALTH                               AGE
127.0.0.1:8080  80         shop/web-1  svc/web     1/3    1.5KiB/120B   Active                               5m
127.0.0.1:9090  http (80)  -           deploy/api  0/3    3.5MiB/0B     Reconnecting: pod web-1 was deleted  5m
127.0.0.1:5432  pg (5432)  shop/db-0   pod/db-0    1/3    1.5KiB/120B   Broken: pod db-0 was deleted         5m

Last errors
127.0.0.1:5432: error forwarding port 5432 to pod
"
        );
        let health_tones: Vec<Tone> = doc.lines[1..4]
            .iter()
            .map(|line| line.spans[6].tone)
            .collect();
        assert_eq!(health_tones, vec![Tone::Good, Tone::Progressing, Tone::Bad]);
        assert_eq!(
            doc.lines[1].target,
            Some(ObjectRef::new(Kind::Pod, "shop", "web-1"))
        );
        assert_eq!(doc.lines[2].target, None);
    }

    #[test]
    fn no_forwards_says_how_to_make_one() {
        let doc = forwards_doc(&[], at("2026-11-23T12:00:00Z"));
        assert_eq!(
            doc.to_text(),
            "No active port-forwards (shift-f on a pod, service or deployment).\n"
        );
    }

    #[test]
    fn remote_ports_parse_as_kubectl_reads_them() {
        assert_eq!(RemotePort::parse("8080"), RemotePort::Number(8080));
        assert_eq!(RemotePort::parse("http"), RemotePort::Name("http".into()));
        assert_eq!(human_bytes(1023), "1023B");
        assert_eq!(human_bytes(1024), "1.0KiB");
    }
}
