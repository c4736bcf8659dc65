//! The built-in demo cluster: a realistic snapshot compiled into the binary, so
//! `kubesight --demo` works on a fresh laptop with no cluster at all.

use std::path::Path;

use jiff::Timestamp;

use crate::rfc3339::is_time_field;
use crate::snapshot::{Snapshot, SnapshotError, load_text};

pub const DEMO_PATH: &str = "demo/cluster.yaml";
pub const DEMO_YAML: &str = include_str!("../../../demo/cluster.yaml");
/// The instant the demo snapshot depicts; its timestamps are relative to it.
pub const CAPTURED_AT: &str = "2026-11-23T12:00:00Z";

pub fn captured_at() -> Timestamp {
    CAPTURED_AT.parse().unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn load() -> Result<Snapshot, SnapshotError> {
    let mut snapshot = Snapshot::default();
    load_text(Path::new(DEMO_PATH), DEMO_YAML, &mut snapshot)?;
    Ok(snapshot)
}

fn shift_times(value: &mut serde_json::Value, by: jiff::SignedDuration) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if let (true, serde_json::Value::String(text)) = (is_time_field(key), &*field) {
                    if let Some(shifted) = text
                        .parse::<Timestamp>()
                        .ok()
                        .and_then(|t| t.checked_add(by).ok())
                    {
                        *field = serde_json::Value::String(shifted.to_string());
                        continue;
                    }
                }
                shift_times(field, by);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|item| shift_times(item, by)),
        _ => {}
    }
}

/// The demo cluster moved in time so that it was captured at `now`: every age,
/// restart and event reads the same as in the snapshot. The live demo starts from
/// this, so a demo run today looks like a cluster observed today.
pub fn rebased(now: Timestamp) -> Result<crate::cluster::Objects, SnapshotError> {
    // By whole seconds: times keep the precision they were recorded with
    // (metav1.Time has seconds; MicroTime keeps its own fraction).
    let by = jiff::SignedDuration::from_secs(now.duration_since(captured_at()).as_secs());
    let mut text = String::new();
    for document in serde_saphyr::from_multiple::<Option<serde_json::Value>>(DEMO_YAML)
        .map_err(|e| SnapshotError {
            path: DEMO_PATH.into(),
            line: crate::yaml_error::place(&e).map(|(l, _)| l),
            column: crate::yaml_error::place(&e).map(|(_, c)| c),
            message: crate::yaml_error::message(&e),
        })?
        .into_iter()
        .flatten()
    {
        let mut document = document;
        shift_times(&mut document, by);
        text.push_str(&serde_json::to_string(&document).unwrap_or_default());
        text.push('\n');
    }
    let mut snapshot = Snapshot::default();
    load_text(Path::new("demo/cluster.json"), &text, &mut snapshot)?;
    Ok(snapshot.objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebasing_keeps_every_age() {
        let now: Timestamp = "2027-03-01T08:30:00Z".parse().unwrap();
        let objects = rebased(now).unwrap();
        let original = load().unwrap().objects;
        assert_eq!(objects.total(), original.total());
        let age = |pod: &k8s_openapi::api::core::v1::Pod, at: Timestamp| {
            crate::age::age_since(pod.metadata.creation_timestamp.as_ref().map(|t| t.0), at)
        };
        for (moved, kept) in objects.pods.iter().zip(&original.pods) {
            assert_eq!(moved.metadata.name, kept.metadata.name);
            assert_eq!(age(moved, now), age(kept, captured_at()));
            let restarts = |p: &k8s_openapi::api::core::v1::Pod, at| {
                let s = crate::pod::summarize(&p.into());
                crate::pod::format_restarts(s.restarts, s.last_restart, at)
            };
            assert_eq!(restarts(moved, now), restarts(kept, captured_at()));
        }
    }
}
