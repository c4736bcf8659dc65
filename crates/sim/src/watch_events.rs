//! The lines of a watch stream: `{"type":…,"object":…}` and a newline, as in `wire/20`
//! to `22`, and which event (if any) one stored change becomes for a watcher with a
//! selection, following the watch cache: an object that starts matching arrives as
//! ADDED, one that stops matching leaves as DELETED.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use super::filter::Filter;
use super::object::TypedObject;
use super::resources::Resource;
use super::status::Status;
use super::store::{Change, ChangeType};

#[derive(Serialize)]
struct Event<'a, T: Serialize> {
    #[serde(rename = "type")]
    event_type: &'a str,
    object: T,
}

fn line(event: &impl Serialize) -> Bytes {
    let mut bytes = serde_json::to_vec(event).unwrap_or_default();
    bytes.push(b'\n');
    Bytes::from(bytes)
}

/// An ADDED, MODIFIED or DELETED line carrying the object with its type.
pub fn object_line(event_type: &str, resource: &Resource, body: &Value) -> Bytes {
    let api_version = resource.api_version();
    line(&Event {
        event_type,
        object: TypedObject {
            kind: resource.kind,
            api_version: &api_version,
            body,
        },
    })
}

/// An ERROR line carrying a Status (`wire/21`).
pub fn error_line(status: &Status) -> Bytes {
    line(&Event {
        event_type: "ERROR",
        object: status,
    })
}

/// A BOOKMARK: an empty object of the resource's kind that carries only the
/// revision the watch has reached. The one that closes the initial events is
/// annotated as such, with the empty list the events stand for (`wire/20`).
pub fn bookmark_line(resource: &Resource, revision: u64, ends_initial_events: bool) -> Bytes {
    let annotations = if ends_initial_events {
        format!(
            r#","annotations":{{"k8s.io/initial-events-end":"true","kubernetes.io/initial-events-list-blueprint":"{}"}}"#,
            list_blueprint(resource)
        )
    } else {
        String::new()
    };
    let body = if resource.bookmark_body.is_empty() {
        String::new()
    } else {
        format!(",{}", resource.bookmark_body)
    };
    let text = format!(
        "{{\"type\":\"BOOKMARK\",\"object\":{{\"kind\":\"{}\",\"apiVersion\":\"{}\",\"metadata\":{{\"resourceVersion\":\"{revision}\",\"creationTimestamp\":null{annotations}}}{body}}}}}\n",
        resource.kind,
        resource.api_version()
    );
    Bytes::from(text)
}

/// The empty typed list, JSON-encoded then base64'd, as the server annotates it.
fn list_blueprint(resource: &Resource) -> String {
    STANDARD.encode(format!(
        "{{\"kind\":\"{}\",\"apiVersion\":\"{}\",\"metadata\":{{}},\"items\":null}}\n",
        resource.list_kind(),
        resource.api_version()
    ))
}

/// The line `change` becomes for a watcher selecting with `filter`, if any.
pub fn render(change: &Change, filter: &Filter) -> Option<Bytes> {
    let now_selected = change.change_type != ChangeType::Deleted && filter.matches(&change.object);
    let was_selected = change
        .previous
        .as_deref()
        .is_some_and(|previous| filter.matches(previous));
    let resource = change.resource;
    match (now_selected, was_selected) {
        (false, false) => None,
        (true, true) => Some(shared_line(change)),
        (true, false) if change.change_type == ChangeType::Added => Some(shared_line(change)),
        (true, false) => Some(object_line("ADDED", resource, &change.object)),
        (false, true) if change.change_type == ChangeType::Deleted => Some(shared_line(change)),
        (false, true) => {
            // Left the selection: its previous content, at this change's revision.
            let mut last = change.previous.as_deref().cloned().unwrap_or_default();
            if let Some(meta) = last.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.insert(
                    "resourceVersion".into(),
                    Value::String(change.revision.to_string()),
                );
            }
            Some(object_line("DELETED", resource, &last))
        }
    }
}

/// The change as it happened, encoded once for every watcher that sees it so.
fn shared_line(change: &Change) -> Bytes {
    change
        .encoded_line(|| object_line(change.change_type.as_str(), change.resource, &change.object))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::query::{ListOptions, Query};
    use crate::resources;

    fn pods() -> &'static Resource {
        resources::lookup("pods").unwrap_or(&resources::RESOURCES[0])
    }

    fn pod(app: &str, rv: &str) -> Arc<Value> {
        Arc::new(
            json!({"metadata": {"name": "p", "namespace": "ns", "resourceVersion": rv,
                                     "labels": {"app": app}}}),
        )
    }

    fn web_only() -> Filter {
        ListOptions::from_query(&Query::parse("labelSelector=app%3Dweb"), false)
            .and_then(|o| Filter::new(&o, pods(), None))
            .unwrap_or_default()
    }

    fn event(line: Option<Bytes>) -> (String, String) {
        let value: Value = line
            .and_then(|l| serde_json::from_slice(&l).ok())
            .unwrap_or_default();
        (
            value["type"].as_str().unwrap_or_default().to_string(),
            value["object"]["metadata"]["resourceVersion"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    }

    fn change(change_type: ChangeType, object: Arc<Value>, previous: Option<Arc<Value>>) -> Change {
        Change::new(5, pods(), "ns/p".into(), change_type, object, previous)
    }

    #[test]
    fn objects_entering_and_leaving_a_selection() {
        let filter = web_only();
        let entered = change(ChangeType::Modified, pod("web", "5"), Some(pod("db", "4")));
        assert_eq!(
            event(render(&entered, &filter)),
            ("ADDED".into(), "5".into())
        );
        let left = change(ChangeType::Modified, pod("db", "5"), Some(pod("web", "4")));
        assert_eq!(
            event(render(&left, &filter)),
            ("DELETED".into(), "5".into())
        );
        let stayed = change(ChangeType::Modified, pod("web", "5"), Some(pod("web", "4")));
        assert_eq!(
            event(render(&stayed, &filter)),
            ("MODIFIED".into(), "5".into())
        );
        let elsewhere = change(ChangeType::Modified, pod("db", "5"), Some(pod("db", "4")));
        assert_eq!(render(&elsewhere, &filter), None);
        let deleted = change(ChangeType::Deleted, pod("web", "5"), Some(pod("web", "4")));
        assert_eq!(
            event(render(&deleted, &filter)),
            ("DELETED".into(), "5".into())
        );
    }

    #[test]
    fn bookmarks_read_like_wire_20() {
        let end = bookmark_line(pods(), 49917, true);
        assert_eq!(
            std::str::from_utf8(&end).unwrap_or_default(),
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"49917\",\"creationTimestamp\":null,\"annotations\":{\"k8s.io/initial-events-end\":\"true\",\"kubernetes.io/initial-events-list-blueprint\":\"eyJraW5kIjoiUG9kTGlzdCIsImFwaVZlcnNpb24iOiJ2MSIsIm1ldGFkYXRhIjp7fSwiaXRlbXMiOm51bGx9Cg==\"}},\"spec\":{\"containers\":null},\"status\":{}}}\n"
        );
        let periodic = bookmark_line(pods(), 49918, false);
        assert_eq!(
            std::str::from_utf8(&periodic).unwrap_or_default(),
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"49918\",\"creationTimestamp\":null},\"spec\":{\"containers\":null},\"status\":{}}}\n"
        );
    }

    #[test]
    fn errors_read_like_wire_21() {
        assert_eq!(
            error_line(&Status::too_old_resource_version(1, 1072)),
            Bytes::from_static(b"{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version: 1 (1072)\",\"reason\":\"Expired\",\"code\":410}}\n")
        );
    }
}
