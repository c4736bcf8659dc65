//! Events as kubectl shows them: per object (what `kubectl describe` lists) and
//! per namespace (what `kubectl events` / `kubectl get events -o wide` list).
//!
//! Cells follow kubectl's printers exactly: `printEvent` in kubernetes
//! `pkg/printers/internalversion/printers.go` for COUNT, FIRST SEEN and LAST SEEN,
//! `DescribeEvents` in kubectl `pkg/describe/describe.go` for describe's
//! "5m (x3 over 10m)". Order is `kubectl events`' (kubectl
//! `pkg/cmd/events/events.go`, `SortableEvents`): by series.lastObservedTime, else
//! lastTimestamp, else eventTime, oldest first so the most recent is last. We use
//! that order for describe too: describe sorts by lastTimestamp alone, which puts
//! events.k8s.io-style events (no lastTimestamp) first as if they were oldest.

use std::cmp::Ordering;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Event;

use super::age::age_since;
use super::doc::{Cell, Doc, ObjectRef};
use super::owners::cached_kind;
use super::table::Tone;

fn first_timestamp(event: &Event) -> Option<Timestamp> {
    event.first_timestamp.as_ref().map(|t| t.0)
}

fn last_timestamp(event: &Event) -> Option<Timestamp> {
    event.last_timestamp.as_ref().map(|t| t.0)
}

fn event_time(event: &Event) -> Option<Timestamp> {
    event.event_time.as_ref().map(|t| t.0)
}

fn series_last(event: &Event) -> Option<Option<Timestamp>> {
    event
        .series
        .as_ref()
        .map(|s| s.last_observed_time.as_ref().map(|t| t.0))
}

/// The instant `kubectl events` sorts by; `None` sorts first like Go's zero time.
pub fn sort_time(event: &Event) -> Option<Timestamp> {
    match series_last(event) {
        Some(last) => last,
        None => last_timestamp(event).or_else(|| event_time(event)),
    }
}

/// kubectl get events' COUNT: the series count, else count, and 1 for a
/// singleton event of the new API that has neither.
pub fn count(event: &Event) -> i32 {
    match &event.series {
        Some(series) => series.count.unwrap_or(0),
        None => match event.count.unwrap_or(0) {
            0 => 1,
            n => n,
        },
    }
}

/// kubectl get events' FIRST SEEN: firstTimestamp, else eventTime, else `<unknown>`.
pub fn first_seen(event: &Event, now: Timestamp) -> String {
    age_since(first_timestamp(event).or_else(|| event_time(event)), now)
}

/// kubectl get events' LAST SEEN: series.lastObservedTime for a series, else
/// lastTimestamp, else whatever FIRST SEEN printed.
pub fn last_seen(event: &Event, now: Timestamp) -> String {
    match series_last(event) {
        Some(last) => age_since(last, now),
        None => match last_timestamp(event) {
            Some(t) => age_since(Some(t), now),
            None => first_seen(event, now),
        },
    }
}

/// kubectl describe's Age cell: `5m (x3 over 10m)` for repeated events, else the
/// first-seen age. Describe prefers eventTime for "first", unlike get events.
pub fn describe_age(event: &Event, now: Timestamp) -> String {
    let first = age_since(event_time(event).or_else(|| first_timestamp(event)), now);
    if let Some(series) = &event.series {
        let last = age_since(series.last_observed_time.as_ref().map(|t| t.0), now);
        return format!("{last} (x{} over {first})", series.count.unwrap_or(0));
    }
    match event.count.unwrap_or(0) {
        n if n > 1 => format!(
            "{} (x{n} over {first})",
            age_since(last_timestamp(event), now)
        ),
        _ => first,
    }
}

/// kubectl events' order, with the event's name breaking ties so that equal
/// instants always list the same way.
pub fn compare(a: &Event, b: &Event) -> Ordering {
    sort_time(a)
        .cmp(&sort_time(b))
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

/// Whether `event` is about the object: by uid when both sides have one, by kind,
/// namespace and name otherwise.
pub fn is_about(event: &Event, target: &ObjectRef, uid: Option<&str>) -> bool {
    let involved = &event.involved_object;
    match (involved.uid.as_deref(), uid) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => a == b,
        _ => {
            involved.kind.as_deref() == Some(target.kind.name())
                && involved.namespace.as_deref().unwrap_or("") == target.namespace
                && involved.name.as_deref() == Some(target.name.as_str())
        }
    }
}

/// The events about one object, in kubectl's order.
pub fn object_events<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    target: &ObjectRef,
    uid: Option<&str>,
) -> Vec<&'a Event> {
    let mut found: Vec<&Event> = events
        .into_iter()
        .filter(|e| is_about(e, target, uid))
        .collect();
    found.sort_by(|a, b| compare(a, b));
    found
}

/// The events recorded in a namespace (all namespaces when `None`), in kubectl's
/// order. Node events live in `default`, as the API stores them.
pub fn namespace_events<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    namespace: Option<&str>,
) -> Vec<&'a Event> {
    let mut found: Vec<&Event> = events
        .into_iter()
        .filter(|e| namespace.is_none_or(|ns| e.metadata.namespace.as_deref() == Some(ns)))
        .collect();
    found.sort_by(|a, b| compare(a, b));
    found
}

fn tone(event: &Event) -> Tone {
    if event.type_.as_deref() == Some("Warning") {
        Tone::Warning
    } else {
        Tone::Normal
    }
}

/// The object an event is about, when kubesight can open it.
pub fn involved_ref(event: &Event) -> Option<ObjectRef> {
    let involved = &event.involved_object;
    let kind = cached_kind(
        involved.api_version.as_deref().unwrap_or(""),
        involved.kind.as_deref()?,
    )?;
    Some(ObjectRef::new(
        kind,
        involved.namespace.clone().unwrap_or_default(),
        involved.name.clone()?,
    ))
}

fn message(event: &Event) -> String {
    event.message.as_deref().unwrap_or("").trim().to_string()
}

/// `Kind/name` as `kubectl events` prints OBJECT.
fn object_cell(event: &Event) -> String {
    let involved = &event.involved_object;
    format!(
        "{}/{}",
        involved.kind.as_deref().unwrap_or(""),
        involved.name.as_deref().unwrap_or("")
    )
}

fn rows(
    events: &[&Event],
    now: Timestamp,
    namespace_column: bool,
    object_column: bool,
) -> Vec<(Vec<Cell>, Option<ObjectRef>)> {
    events
        .iter()
        .map(|e| {
            let t = tone(e);
            let mut cells: Vec<Cell> = Vec::new();
            if namespace_column {
                cells.push((e.metadata.namespace.clone().unwrap_or_default(), t));
            }
            cells.push((e.type_.clone().unwrap_or_default(), t));
            cells.push((e.reason.clone().unwrap_or_default(), t));
            if object_column {
                cells.push((object_cell(e), t));
            }
            cells.push((count(e).to_string(), t));
            cells.push((first_seen(e, now), t));
            cells.push((last_seen(e, now), t));
            cells.push((message(e), t));
            (cells, involved_ref(e))
        })
        .collect()
}

/// The events of a namespace (or of all namespaces, with a NAMESPACE column);
/// each row opens the object it is about.
pub fn namespace_events_doc<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    namespace: Option<&str>,
    now: Timestamp,
) -> Doc {
    let events = namespace_events(events, namespace);
    let mut doc = Doc::new(match namespace {
        Some(ns) => format!("Events: namespace {ns}"),
        None => "Events: all namespaces".to_string(),
    });
    if events.is_empty() {
        doc.text(
            match namespace {
                Some(ns) => format!("No events found in {ns} namespace."),
                None => "No events found.".to_string(),
            },
            Tone::Muted,
        );
        return doc;
    }
    let mut header = vec![];
    if namespace.is_none() {
        header.push("NAMESPACE");
    }
    header.extend([
        "TYPE",
        "REASON",
        "OBJECT",
        "COUNT",
        "FIRST SEEN",
        "LAST SEEN",
        "MESSAGE",
    ]);
    doc.table(&header, rows(&events, now, namespace.is_none(), true));
    doc
}

/// The events about one object, as a table without the OBJECT column.
pub fn object_events_doc<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    target: &ObjectRef,
    uid: Option<&str>,
    now: Timestamp,
) -> Doc {
    let events = object_events(events, target, uid);
    let mut doc = Doc::new(format!(
        "Events: {} {}",
        target.kind.name(),
        if target.namespace.is_empty() {
            target.name.clone()
        } else {
            format!("{}/{}", target.namespace, target.name)
        }
    ));
    if events.is_empty() {
        doc.text("<none>", Tone::Muted);
        return doc;
    }
    doc.table(
        &[
            "TYPE",
            "REASON",
            "COUNT",
            "FIRST SEEN",
            "LAST SEEN",
            "MESSAGE",
        ],
        rows(&events, now, false, false),
    );
    doc
}

/// kubectl describe's Events section: TYPE, REASON, AGE ("5m (x3 over 10m)"),
/// FROM (source component, else reporting controller) and MESSAGE prefixed with
/// the field path; `<none>` when there are none. `events` must already be sorted.
pub fn describe_events(doc: &mut Doc, events: &[&Event], now: Timestamp) {
    doc.heading("Events");
    if events.is_empty() {
        doc.text("<none>", Tone::Muted);
        return;
    }
    let rows = events
        .iter()
        .map(|e| {
            let t = tone(e);
            let from = e
                .source
                .as_ref()
                .and_then(|s| s.component.clone())
                .filter(|c| !c.is_empty())
                .or_else(|| e.reporting_component.clone())
                .unwrap_or_default();
            let message = match e.involved_object.field_path.as_deref() {
                Some(path) if !path.is_empty() => format!("{path}: {}", message(e)),
                _ => message(e),
            };
            (
                vec![
                    (e.type_.clone().unwrap_or_default(), t),
                    (e.reason.clone().unwrap_or_default(), t),
                    (describe_age(e, now), t),
                    (from, t),
                    (message, t),
                ],
                None,
            )
        })
        .collect();
    doc.table(&["TYPE", "REASON", "AGE", "FROM", "MESSAGE"], rows);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-11-23T12:00:00Z".parse().expect("valid time")
    }

    fn event(value: serde_json::Value) -> Event {
        serde_json::from_value(value).expect("test event must deserialize")
    }

    fn core(name: &str, count: i32, first: &str, last: &str) -> Event {
        event(json!({
            "metadata": {"name": name, "namespace": "shop"},
            "involvedObject": {"kind": "Pod", "apiVersion": "v1", "namespace": "shop", "name": "web-1", "uid": "u1"},
            "type": "Normal", "reason": "Pulled", "message": format!(" {name} "),
            "count": count, "firstTimestamp": first, "lastTimestamp": last,
            "source": {"component": "kubelet"}
        }))
    }

    #[test]
    fn core_v1_counts_and_ages() {
        let e = core("a", 3, "2026-11-23T11:50:00Z", "2026-11-23T11:55:00Z");
        assert_eq!(count(&e), 3);
        assert_eq!(first_seen(&e, now()), "10m");
        assert_eq!(last_seen(&e, now()), "5m");
        assert_eq!(describe_age(&e, now()), "5m (x3 over 10m)");
        let single = core("b", 1, "2026-11-23T11:59:15Z", "2026-11-23T11:59:15Z");
        assert_eq!(describe_age(&single, now()), "45s");
    }

    #[test]
    fn series_and_event_time_follow_kubectl() {
        // events.k8s.io-style: no first/lastTimestamp, no count; eventTime + series.
        let e = event(json!({
            "metadata": {"name": "s", "namespace": "shop"},
            "involvedObject": {"kind": "Pod", "name": "web-1"},
            "type": "Warning", "reason": "BackOff",
            "eventTime": "2026-11-23T11:00:00.000000Z",
            "series": {"count": 12, "lastObservedTime": "2026-11-23T11:58:00.000000Z"},
            "reportingComponent": "kubelet"
        }));
        assert_eq!(count(&e), 12);
        assert_eq!(first_seen(&e, now()), "60m");
        assert_eq!(last_seen(&e, now()), "2m");
        assert_eq!(describe_age(&e, now()), "2m (x12 over 60m)");
        // A new-API singleton: count 1, LAST SEEN falls back to FIRST SEEN.
        let single = event(json!({
            "metadata": {"name": "n"}, "involvedObject": {},
            "eventTime": "2026-11-23T11:59:00.000000Z"
        }));
        assert_eq!(
            (count(&single), last_seen(&single, now())),
            (1, "60s".to_string())
        );
        // Nothing at all: kubectl's <unknown>.
        let bare = event(json!({"metadata": {"name": "x"}, "involvedObject": {}}));
        assert_eq!(first_seen(&bare, now()), "<unknown>");
        assert_eq!(last_seen(&bare, now()), "<unknown>");
        assert_eq!(describe_age(&bare, now()), "<unknown>");
        // A series without lastObservedTime prints <unknown> for LAST SEEN.
        let odd = event(json!({"metadata": {"name": "o"}, "involvedObject": {},
            "lastTimestamp": "2026-11-23T11:59:00Z", "series": {"count": 2}}));
        assert_eq!(last_seen(&odd, now()), "<unknown>");
    }

    #[test]
    fn sorted_most_recent_last_by_series_then_last_then_event_time() {
        let old = core("old", 1, "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z");
        let new = core("new", 1, "2026-11-23T11:00:00Z", "2026-11-23T11:59:00Z");
        let series = event(
            json!({"metadata": {"name": "series", "namespace": "shop"}, "involvedObject": {},
            "lastTimestamp": "2026-11-23T09:00:00Z",
            "series": {"count": 2, "lastObservedTime": "2026-11-23T11:30:00.000000Z"}}),
        );
        let timeless = event(
            json!({"metadata": {"name": "timeless", "namespace": "shop"}, "involvedObject": {}}),
        );
        let only_event_time = event(
            json!({"metadata": {"name": "et", "namespace": "shop"}, "involvedObject": {},
            "eventTime": "2026-11-23T10:30:00.000000Z"}),
        );
        let all = [new, old, series, timeless, only_event_time];
        let names: Vec<_> = namespace_events(&all, Some("shop"))
            .iter()
            .map(|e| e.metadata.name.clone().unwrap_or_default())
            .collect();
        assert_eq!(names, ["timeless", "old", "et", "series", "new"]);
    }

    #[test]
    fn matches_by_uid_then_by_kind_namespace_name() {
        let target = ObjectRef::new(crate::cache::Kind::Pod, "shop", "web-1");
        let by_uid = core("a", 1, "2026-11-23T11:00:00Z", "2026-11-23T11:00:00Z");
        // Same name, different uid: an earlier pod of that name.
        let mut earlier = by_uid.clone();
        earlier.involved_object.uid = Some("old-uid".into());
        let mut no_uid = by_uid.clone();
        no_uid.involved_object.uid = None;
        let mut other_kind = no_uid.clone();
        other_kind.involved_object.kind = Some("Node".into());
        assert!(is_about(&by_uid, &target, Some("u1")));
        assert!(!is_about(&earlier, &target, Some("u1")));
        assert!(is_about(&no_uid, &target, Some("u1")));
        assert!(is_about(&by_uid, &target, None));
        assert!(!is_about(&other_kind, &target, Some("u1")));
    }

    #[test]
    fn namespace_table_and_describe_section() {
        let warn = event(json!({
            "metadata": {"name": "w", "namespace": "shop"},
            "involvedObject": {"kind": "Pod", "apiVersion": "v1", "namespace": "shop", "name": "web-1",
                "fieldPath": "spec.containers{app}"},
            "type": "Warning", "reason": "Unhealthy", "message": "Readiness probe failed",
            "count": 4, "firstTimestamp": "2026-11-23T11:40:00Z", "lastTimestamp": "2026-11-23T11:58:00Z",
            "source": {"component": "kubelet", "host": "w1"}
        }));
        let normal = core("n", 1, "2026-11-23T11:30:00Z", "2026-11-23T11:30:00Z");
        let doc = namespace_events_doc([&warn, &normal], Some("shop"), now());
        assert_eq!(
            doc.to_text(),
            "TYPE     REASON     OBJECT     COUNT  FIRST SEEN  LAST SEEN  MESSAGE\n\
             Normal   Pulled     Pod/web-1  1      30m         30m        n\n\
             Warning  Unhealthy  Pod/web-1  4      20m         2m         Readiness probe failed\n"
        );
        assert_eq!(doc.lines[2].spans[0].tone, Tone::Warning);
        assert_eq!(doc.lines[1].spans[0].tone, Tone::Normal);
        assert_eq!(
            doc.lines[2].target,
            Some(ObjectRef::new(crate::cache::Kind::Pod, "shop", "web-1"))
        );

        let mut describe = Doc::new("d");
        describe_events(
            &mut describe,
            &namespace_events([&warn, &normal], None),
            now(),
        );
        assert_eq!(
            describe.to_text(),
            "Events\n\
            TYPE     REASON     AGE               FROM     MESSAGE\n\
            Normal   Pulled     30m               kubelet  n\n\
            Warning  Unhealthy  2m (x4 over 20m)  kubelet  spec.containers{app}: Readiness probe failed\n"
        );
    }

    #[test]
    fn demo_events_of_the_default_namespace() {
        let snapshot = crate::demo::load().expect("demo loads");
        let doc = namespace_events_doc(&snapshot.objects.events, Some("default"), now());
        assert_eq!(
            doc.to_text(),
            "TYPE     REASON                     OBJECT                       COUNT  FIRST SEEN  LAST SEEN  MESSAGE\n\
            Normal   NodeNotSchedulable         Node/worker-2                1      3h12m       3h12m      Node worker-2 status is now: NodeNotSchedulable\n\
            Warning  EvictionThresholdMet       Node/worker-1                1      40m         40m        Attempting to reclaim memory\n\
            Normal   NodeHasInsufficientMemory  Node/worker-1                1      40m         40m        Node worker-1 status is now: NodeHasInsufficientMemory\n\
            Normal   Scheduled                  Pod/debug-shell              1      35m         35m        Successfully assigned default/debug-shell to worker-1\n\
            Normal   Pulling                    Pod/debug-shell              1      35m         35m        Pulling image \"nicolaka/netshoot:v0.13\"\n\
            Normal   Pulled                     Pod/debug-shell              1      35m         35m        Successfully pulled image \"nicolaka/netshoot:v0.13\" in 4.127s (4.127s including waiting). Image size: 204175883 bytes.\n\
            Normal   Created                    Pod/debug-shell              1      35m         35m        Created container: debug-shell\n\
            Normal   Started                    Pod/debug-shell              1      35m         35m        Started container debug-shell\n\
            Normal   NodeHasSufficientMemory    Node/worker-1                1      34m         34m        Node worker-1 status is now: NodeHasSufficientMemory\n\
            Normal   NodeNotReady               Node/worker-3                1      24m         24m        Node worker-3 status is now: NodeNotReady\n\
            Normal   Killing                    Pod/hello-2fcjkv646l-xhlwh   1      50s         50s        Stopping container hello\n\
            Normal   SuccessfulDelete           ReplicaSet/hello-2fcjkv646l  1      50s         50s        Deleted pod: hello-2fcjkv646l-xhlwh\n\
            Normal   ScalingReplicaSet          Deployment/hello             1      50s         50s        Scaled down replica set hello-2fcjkv646l from 3 to 2\n"
        );
    }

    #[test]
    fn object_view_keeps_only_that_object_without_object_column() {
        let mine = core("mine", 2, "2026-11-23T11:00:00Z", "2026-11-23T11:30:00Z");
        let mut other = core("other", 1, "2026-11-23T11:00:00Z", "2026-11-23T11:00:00Z");
        other.involved_object.uid = Some("u2".into());
        let target = ObjectRef::new(crate::cache::Kind::Pod, "shop", "web-1");
        let doc = object_events_doc([&mine, &other], &target, Some("u1"), now());
        assert_eq!(doc.title, "Events: Pod shop/web-1");
        assert_eq!(
            doc.to_text(),
            "TYPE    REASON  COUNT  FIRST SEEN  LAST SEEN  MESSAGE\n\
             Normal  Pulled  2      60m         30m        mine\n"
        );
    }
}
