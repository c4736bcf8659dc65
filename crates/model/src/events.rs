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
mod tests;
