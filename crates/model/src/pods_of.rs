//! The pods an object points at, as kubectl's relations find them: a
//! Service's selector (in its namespace), or the pods mounting a claim.

use jiff::Timestamp;

use crate::cluster::Kind;
use crate::cluster::pod::Pod;
use crate::doc::{Doc, ObjectRef};
use crate::pod::{Health, format_restarts, summarize};
use crate::selector::Selector;
use crate::table::Tone;

/// How the pods are picked.
#[derive(Debug, Clone)]
pub enum PodMatch {
    /// A label selector (a Service's).
    Selector(Selector),
    /// Pods with a volume from this PersistentVolumeClaim.
    Claim(String),
}

impl PodMatch {
    fn matches(&self, pod: &Pod) -> bool {
        match self {
            PodMatch::Selector(selector) => {
                let empty = Default::default();
                selector.matches(pod.metadata.labels.as_ref().unwrap_or(&empty))
            }
            PodMatch::Claim(claim) => pod
                .spec
                .as_ref()
                .and_then(|s| s.volumes.as_ref())
                .is_some_and(|volumes| {
                    volumes.iter().any(|v| {
                        v.persistent_volume_claim
                            .as_ref()
                            .is_some_and(|c| &c.claim_name == claim)
                    })
                }),
        }
    }
}

/// The pods of `namespace` that `matcher` picks, with kubectl's READY,
/// STATUS, RESTARTS and AGE; each line opens its pod.
pub fn pods_of_doc<'a>(
    title: &str,
    namespace: &str,
    matcher: &PodMatch,
    pods: impl IntoIterator<Item = &'a Pod>,
    now: Timestamp,
) -> Doc {
    let mut doc = Doc::new(title);
    let mut picked: Vec<&Pod> = pods
        .into_iter()
        .filter(|p| p.metadata.namespace.as_deref() == Some(namespace) && matcher.matches(p))
        .collect();
    picked.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let what = match matcher {
        PodMatch::Selector(selector) => format!("selector {}", selector.to_kubernetes_string()),
        PodMatch::Claim(claim) => format!("mounting claim {claim}"),
    };
    doc.text(
        format!("{} pods in {namespace}, {what}", picked.len()),
        Tone::Muted,
    );
    if picked.is_empty() {
        doc.text("No pods.", Tone::Muted);
        return doc;
    }
    let rows = picked
        .iter()
        .map(|pod| {
            let summary = summarize(pod);
            let tone = match summary.health() {
                Health::Healthy => Tone::Good,
                Health::Progressing => Tone::Progressing,
                Health::Done => Tone::Muted,
                Health::Failing => Tone::Bad,
            };
            let name = pod.metadata.name.clone().unwrap_or_default();
            let created = pod.metadata.creation_timestamp.as_ref().map(|t| t.0);
            (
                vec![
                    (name.clone(), Tone::Normal),
                    (format!("{}/{}", summary.ready, summary.total), tone),
                    (summary.status.clone(), tone),
                    (
                        format_restarts(summary.restarts, summary.last_restart, now),
                        Tone::Normal,
                    ),
                    (crate::age::age_since(created, now), Tone::Muted),
                    (
                        pod.spec
                            .as_ref()
                            .and_then(|s| s.node_name.clone())
                            .unwrap_or_else(|| "<none>".into()),
                        Tone::Muted,
                    ),
                ],
                Some(ObjectRef::new(Kind::Pod, namespace, name)),
            )
        })
        .collect();
    doc.table(
        &["NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE"],
        rows,
    );
    doc
}
