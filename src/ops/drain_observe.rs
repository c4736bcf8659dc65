//! What the pod watch says about the drained pods, as pure state changes:
//! a pod is gone when it is absent or its name belongs to a new uid (kubectl's
//! `waitForDelete`); a replacement is a new pod of the same controller.

use std::collections::{HashMap, HashSet};

use crate::cache::pod::Pod;
use jiff::Timestamp;

use super::drain::PodToEvict;
use super::drain_requests;
use super::pod_watch::Snapshot;
use crate::model::drain_event::DrainEventKind;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Stage {
    Waiting,
    Requesting,
    Blocked,
    /// The server accepted removal; the pod may still exist.
    Accepted,
    Gone,
    AlreadyGone,
    Failed(String),
    /// Server dry run: the eviction or delete would be accepted.
    WouldGo,
    /// Server dry run: a budget would block it.
    WouldBlock,
}

impl Stage {
    pub(super) fn is_final(&self) -> bool {
        matches!(
            self,
            Stage::Gone
                | Stage::AlreadyGone
                | Stage::Failed(_)
                | Stage::WouldGo
                | Stage::WouldBlock
        )
    }
}

pub(super) struct Entry {
    pub(super) pod: PodToEvict,
    pub(super) stage: Stage,
    /// When the server accepted removal: replacements are pods created since.
    pub(super) accepted_at: Option<Timestamp>,
    pub(super) terminating_reported: bool,
    pub(super) replacement: Option<Replacement>,
}

pub(super) struct Replacement {
    pub(super) name: String,
    pub(super) scheduled_reported: bool,
    pub(super) ready_reported: bool,
}

/// Folds the watch snapshot into the entries: terminating, gone (absent or a
/// new uid under the name), replacements. Returns the events to report and
/// whether any pod is newly gone.
pub(super) fn fold(
    entries: &mut [Entry],
    snapshot: &Snapshot,
    job_uids: &HashSet<String>,
    eviction: bool,
) -> (Vec<DrainEventKind>, bool) {
    let mut events = Vec::new();
    let mut changed = false;
    {
        // Pods by controller uid, built once per check: the replacement search
        // must not scan a large namespace once per drained pod.
        let wanted: HashSet<&str> = entries
            .iter()
            .filter(|e| e.replacement.is_none())
            .filter_map(|e| e.pod.controller.as_ref().map(|c| c.uid.as_str()))
            .collect();
        let mut by_controller: HashMap<&str, Vec<&Pod>> = HashMap::new();
        if !wanted.is_empty() {
            for pod in snapshot.pods() {
                if let Some(uid) = controller_uid(pod).filter(|u| wanted.contains(u)) {
                    by_controller.entry(uid).or_default().push(pod);
                }
            }
        }
        let mut claimed: HashSet<String> = entries
            .iter()
            .filter_map(|e| e.replacement.as_ref().map(|r| r.name.clone()))
            .collect();
        for entry in entries.iter_mut() {
            if !snapshot.is_ready(&entry.pod.namespace) {
                continue;
            }
            if entry.stage == Stage::Accepted {
                let key = entry.pod.key();
                match snapshot.get(&entry.pod.namespace, &entry.pod.name) {
                    Some(current) if current.metadata.uid.as_deref() == Some(&entry.pod.uid) => {
                        if !entry.terminating_reported
                            && let Some((deletion, grace)) = drain_requests::deletion_of(current)
                        {
                            entry.terminating_reported = true;
                            events.push(DrainEventKind::Terminating {
                                pod: key,
                                deletion,
                                grace_seconds: grace,
                            });
                        }
                    }
                    // Absent, or the name now belongs to a new pod.
                    _ => {
                        events.push(DrainEventKind::Gone { pod: key, eviction });
                        entry.stage = Stage::Gone;
                        changed = true;
                    }
                }
            }
            if matches!(entry.stage, Stage::Accepted | Stage::Gone) {
                let found = Found {
                    job_uids,
                    by_controller: &by_controller,
                };
                track_replacement(&found, entry, snapshot, &mut claimed, &mut events);
            }
        }
    }
    (events, changed)
}

/// A replacement is a pod of the same controller, not one of the drained
/// pods, created no earlier than the second the removal was accepted
/// (creation timestamps have whole seconds), and not already claimed by
/// another evicted pod.
struct Found<'a> {
    job_uids: &'a HashSet<String>,
    by_controller: &'a HashMap<&'a str, Vec<&'a Pod>>,
}

fn track_replacement(
    found: &Found<'_>,
    entry: &mut Entry,
    snapshot: &Snapshot,
    claimed: &mut HashSet<String>,
    events: &mut Vec<DrainEventKind>,
) {
    let (Some(controller), Some(accepted_at)) = (&entry.pod.controller, entry.accepted_at) else {
        return;
    };
    let since = accepted_at.as_second();
    if entry.replacement.is_none() {
        let candidates = found.by_controller.get(controller.uid.as_str());
        let candidate = candidates.into_iter().flatten().find(|pod| {
            let name = pod.metadata.name.as_deref().unwrap_or_default();
            pod.metadata.namespace.as_deref() == Some(entry.pod.namespace.as_str())
                && pod.metadata.deletion_timestamp.is_none()
                && !pod
                    .metadata
                    .uid
                    .as_ref()
                    .is_some_and(|u| found.job_uids.contains(u))
                && !claimed.contains(name)
                && pod
                    .metadata
                    .creation_timestamp
                    .as_ref()
                    .is_none_or(|t| t.0.as_second() >= since)
        });
        if let Some(name) = candidate.and_then(|p| p.metadata.name.clone()) {
            claimed.insert(name.clone());
            entry.replacement = Some(Replacement {
                name,
                scheduled_reported: false,
                ready_reported: false,
            });
        }
    }
    let key = entry.pod.key();
    let Some(replacement) = entry.replacement.as_mut() else {
        return;
    };
    let Some(current) = snapshot.get(&entry.pod.namespace, &replacement.name) else {
        return;
    };
    let node = current
        .spec
        .as_ref()
        .and_then(|s| s.node_name.clone())
        .unwrap_or_default();
    if !replacement.scheduled_reported && !node.is_empty() {
        replacement.scheduled_reported = true;
        events.push(DrainEventKind::ReplacementScheduled {
            pod: key.clone(),
            replacement: replacement.name.clone(),
            node,
        });
    }
    if replacement.scheduled_reported && !replacement.ready_reported && is_ready(current) {
        replacement.ready_reported = true;
        events.push(DrainEventKind::ReplacementReady {
            pod: key,
            replacement: replacement.name.clone(),
        });
    }
}

fn controller_uid(pod: &Pod) -> Option<&str> {
    pod.metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map(|o| o.uid.as_str())
}

/// `podutil.IsPodReady`: the Ready condition is True.
fn is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::drain_event::PodKey;

    fn pod(name: &str, uid: &str, extra: serde_json::Value) -> Pod {
        let mut value = json!({
            "metadata": {"name": name, "namespace": "shop", "uid": uid,
                "creationTimestamp": "2026-11-23T12:00:05Z",
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                    "name": "web", "uid": "rs-uid", "controller": true}]},
            "spec": {"containers": [{"name": "main", "image": "nginx"}]},
        });
        if let (Some(target), Some(more)) = (value.as_object_mut(), extra.as_object()) {
            for (k, v) in more {
                match (target.get_mut(k), v) {
                    (Some(serde_json::Value::Object(t)), serde_json::Value::Object(m)) => {
                        t.extend(m.clone())
                    }
                    _ => {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        serde_json::from_value(value).expect("a pod")
    }

    fn entry(name: &str, uid: &str) -> Entry {
        let evicted = pod(name, uid, json!({}));
        Entry {
            pod: PodToEvict::from_pod(&evicted).expect("complete"),
            stage: Stage::Accepted,
            accepted_at: Some("2026-11-23T12:00:05.500Z".parse().expect("an instant")),
            terminating_reported: false,
            replacement: None,
        }
    }

    #[test]
    fn terminating_then_gone_then_the_replacement() {
        let uids: HashSet<String> = ["uid-1".to_string()].into();
        let mut entries = vec![entry("web-1", "uid-1")];
        let terminating = pod(
            "web-1",
            "uid-1",
            json!({"metadata": {"deletionTimestamp": "2026-11-23T12:00:35Z",
                                "deletionGracePeriodSeconds": 30}}),
        );
        // An older pod of the same controller is not a replacement.
        let older = pod(
            "web-0",
            "uid-0",
            json!({"metadata": {"creationTimestamp": "2026-11-23T11:00:00Z"},
                   "spec": {"nodeName": "n2"}}),
        );
        let snapshot = Snapshot::listed("shop", vec![terminating, older.clone()]);
        let (events, changed) = fold(&mut entries, &snapshot, &uids, true);
        let key = PodKey::new("shop", "web-1");
        assert_eq!(
            events,
            vec![DrainEventKind::Terminating {
                pod: key.clone(),
                deletion: "2026-11-23T12:00:35Z".parse().expect("an instant"),
                grace_seconds: 30,
            }]
        );
        assert!(!changed);

        let fresh = pod(
            "web-2",
            "uid-2",
            json!({"spec": {"nodeName": "n2"},
                   "status": {"conditions": [{"type": "Ready", "status": "True"}]}}),
        );
        let snapshot = Snapshot::listed("shop", vec![older, fresh]);
        let (events, changed) = fold(&mut entries, &snapshot, &uids, true);
        assert!(changed);
        assert_eq!(
            events,
            vec![
                DrainEventKind::Gone {
                    pod: key.clone(),
                    eviction: true
                },
                DrainEventKind::ReplacementScheduled {
                    pod: key.clone(),
                    replacement: "web-2".into(),
                    node: "n2".into(),
                },
                DrainEventKind::ReplacementReady {
                    pod: key,
                    replacement: "web-2".into()
                },
            ]
        );
        let (events, changed) = fold(&mut entries, &snapshot, &uids, true);
        assert_eq!(
            (events, changed),
            (vec![], false),
            "each step is reported once"
        );
    }

    #[test]
    fn the_same_name_with_a_new_uid_is_gone() {
        let uids: HashSet<String> = ["uid-1".to_string()].into();
        let mut entries = vec![entry("db-0", "uid-1")];
        let snapshot = Snapshot::listed("shop", vec![pod("db-0", "uid-9", json!({}))]);
        let (events, _) = fold(&mut entries, &snapshot, &uids, false);
        assert_eq!(
            events[0],
            DrainEventKind::Gone {
                pod: PodKey::new("shop", "db-0"),
                eviction: false
            }
        );
    }
}
