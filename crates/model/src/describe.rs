//! `kubectl describe` for any kind: the metadata, then every other top-level
//! field (spec, status, data…) as indented key/values, then the object's
//! events. The kinds with a view of their own (pods, workloads) have richer
//! documents; this one reads anything, custom resources included. A Secret's
//! values are never shown: only their sizes, as describe prints them.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Event;
use serde_json::Value;

use crate::age::age_since;
use crate::doc::{Cell, Doc};
use crate::events::describe_events;
use crate::table::Tone;

/// The describe document of `object`; `events` may be every cached event.
pub fn describe_doc<'a>(
    object: &Value,
    events: impl IntoIterator<Item = &'a Event>,
    now: Timestamp,
) -> Doc {
    let text = |pointer: &str| {
        object
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let kind = text("/kind");
    let namespace = text("/metadata/namespace");
    let name = text("/metadata/name");
    let scoped = if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    };
    let mut doc = Doc::new(format!("describe {kind} {scoped}"));
    doc.heading(format!("{kind} {scoped}"));
    let pairs = |pointer: &str, separator: &str| -> Vec<Cell> {
        object
            .pointer(pointer)
            .and_then(|v| serde_json::from_value::<BTreeMap<String, String>>(v.clone()).ok())
            .unwrap_or_default()
            .into_iter()
            // Describe leaves out what `kubectl apply` keeps (the whole object again).
            .filter(|(k, _)| k != "kubectl.kubernetes.io/last-applied-configuration")
            .map(|(k, v)| (format!("{k}{separator}{v}"), Tone::Normal))
            .collect()
    };
    let created = text("/metadata/creationTimestamp");
    let created = match created.parse::<Timestamp>() {
        Ok(at) => (
            format!("{created} ({} ago)", age_since(Some(at), now)),
            Tone::Normal,
        ),
        Err(_) => ("<unknown>".to_string(), Tone::Muted),
    };
    let owners: Vec<Cell> = object
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|o| {
            let controller = if o["controller"] == true {
                " (controller)"
            } else {
                ""
            };
            (
                format!(
                    "{}/{}{controller}",
                    o["kind"].as_str().unwrap_or_default(),
                    o["name"].as_str().unwrap_or_default()
                ),
                Tone::Normal,
            )
        })
        .collect();
    let mut header = vec![("Name", vec![(name.to_string(), Tone::Normal)])];
    if !namespace.is_empty() {
        header.push(("Namespace", vec![(namespace.to_string(), Tone::Normal)]));
    }
    header.extend([
        ("Labels", pairs("/metadata/labels", "=")),
        ("Annotations", pairs("/metadata/annotations", ": ")),
        ("Created", vec![created]),
        ("Owners", owners),
    ]);
    doc.field_lists(&header);

    let secret = kind == "Secret" && text("/apiVersion") == "v1";
    if let Some(fields) = object.as_object() {
        for (field, value) in fields {
            if matches!(field.as_str(), "apiVersion" | "kind" | "metadata") {
                continue;
            }
            doc.heading(title_case(field));
            if secret && matches!(field.as_str(), "data" | "stringData") {
                secret_sizes(&mut doc, value);
            } else {
                write_value(&mut doc, value, 0);
            }
        }
    }
    let uid = text("/metadata/uid");
    let mut own: Vec<&Event> = events
        .into_iter()
        .filter(|e| {
            let involved = &e.involved_object;
            match involved.uid.as_deref() {
                Some(event_uid) if !event_uid.is_empty() && !uid.is_empty() => event_uid == uid,
                _ => {
                    involved.kind.as_deref() == Some(kind)
                        && involved.namespace.as_deref().unwrap_or("") == namespace
                        && involved.name.as_deref() == Some(name)
                }
            }
        })
        .collect();
    own.sort_by_key(|e| e.last_timestamp.as_ref().map(|t| t.0));
    describe_events(&mut doc, &own, now);
    doc
}

/// `data` → `Data`, `spec` → `Spec`.
fn title_case(field: &str) -> String {
    let mut chars = field.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A Secret's keys with their sizes, as `kubectl describe secret` prints
/// them (`password:  16 bytes`), never the values.
fn secret_sizes(doc: &mut Doc, value: &Value) {
    let Some(entries) = value.as_object() else {
        return;
    };
    let sizes: Vec<(String, Cell)> = entries
        .iter()
        .map(|(key, encoded)| {
            let bytes = encoded
                .as_str()
                .map(|s| s.trim_end_matches('=').len() * 3 / 4)
                .unwrap_or_default();
            (key.clone(), (format!("{bytes} bytes"), Tone::Muted))
        })
        .collect();
    let refs: Vec<(&str, Cell)> = sizes.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    doc.fields(&refs);
}

/// A value as indented `key: value` lines, lists as `- ` items.
fn write_value(doc: &mut Doc, value: &Value, depth: usize) {
    let indent = "  ".repeat(depth);
    match value {
        Value::Object(map) if map.is_empty() => doc.text(format!("{indent}<none>"), Tone::Muted),
        Value::Object(map) => {
            for (key, item) in map {
                match item {
                    Value::Object(inner) if !inner.is_empty() => {
                        doc.text(format!("{indent}{key}:"), Tone::Muted);
                        write_value(doc, item, depth + 1);
                    }
                    Value::Array(items) if !items.is_empty() => {
                        doc.text(format!("{indent}{key}:"), Tone::Muted);
                        write_value(doc, item, depth + 1);
                    }
                    scalar => doc.line(vec![
                        crate::doc::Span::new(format!("{indent}{key}: "), Tone::Muted),
                        crate::doc::Span::new(scalar_text(scalar), Tone::Normal),
                    ]),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(_) | Value::Array(_) => {
                        doc.text(format!("{indent}-"), Tone::Muted);
                        write_value(doc, item, depth + 1);
                    }
                    scalar => doc.text(format!("{indent}- {}", scalar_text(scalar)), Tone::Normal),
                }
            }
        }
        scalar => doc.text(format!("{indent}{}", scalar_text(scalar)), Tone::Normal),
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "<none>".into(),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-11-23T12:00:00Z".parse().expect("an instant")
    }

    #[test]
    fn any_kind_reads_as_key_values_with_its_metadata() {
        let ingress = json!({
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "web", "namespace": "shop", "uid": "u1",
                "creationTimestamp": "2026-11-23T11:00:00Z", "labels": {"app": "web"},
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{...}"}},
            "spec": {"ingressClassName": "nginx",
                "rules": [{"host": "shop.example.com", "http": {"paths": [{"path": "/"}]}}]},
            "status": {"loadBalancer": {}}
        });
        let text = describe_doc(&ingress, [], now()).to_text();
        assert!(
            text.starts_with("Ingress shop/web\nName:        web\nNamespace:   shop\n"),
            "{text}"
        );
        assert!(
            text.contains("Labels:      app=web\nAnnotations: <none>\n"),
            "{text}"
        );
        assert!(
            text.contains("Created:     2026-11-23T11:00:00Z (60m ago)"),
            "{text}"
        );
        assert!(
            text.contains("Spec\ningressClassName: nginx\nrules:\n  -\n    host: shop.example.com\n    http:\n      paths:\n        -\n          path: /\n"),
            "{text}"
        );
        assert!(text.contains("Status\nloadBalancer: {}\n"), "{text}");
        assert!(text.ends_with("Events\n<none>\n"), "{text}");
    }

    #[test]
    fn a_secret_shows_sizes_never_values() {
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": "db", "namespace": "shop"},
            "data": {"password": "aHVudGVyMg=="}});
        let text = describe_doc(&secret, [], now()).to_text();
        assert!(text.contains("Data\npassword: 7 bytes\n"), "{text}");
        assert!(
            !text.contains("aHVudGVyMg") && !text.contains("hunter2"),
            "{text}"
        );
    }
}
