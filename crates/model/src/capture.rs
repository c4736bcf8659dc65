//! A snapshot of what the cache holds, as one YAML `kind: List` that `--snapshot`
//! loads again: every kind it holds, in a stable order, without managedFields, with
//! Secret values replaced by `<redacted>`. A header says when it was taken, so
//! `--now` renders it as the live source showed it then.

use jiff::Timestamp;
use serde_json::Value;

use crate::cluster::{Kind, Stores};

/// What a capture wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    pub yaml: String,
    pub objects: usize,
}

/// Captures every object of `stores` (in `namespace` only, when given) at `at`.
pub fn capture(stores: &Stores, namespace: Option<&str>, at: Timestamp) -> Capture {
    let mut items = String::new();
    let mut objects = 0;
    for kind in Kind::ALL {
        let mut values = Vec::new();
        stores.for_each_value(*kind, |value| {
            let keep = match namespace {
                Some(only) => !kind.namespaced() || namespace_of(&value) == only,
                None => true,
            };
            if keep {
                let key = (
                    namespace_of(&value).to_string(),
                    name_of(&value).to_string(),
                );
                values.push((key, item_yaml(clean(value))));
            }
        });
        // Stores are unordered; the file is sorted by kind, namespace and name,
        // so two captures of one state are the same bytes.
        values.sort();
        objects += values.len();
        for (_, value) in values {
            items.push_str(&value);
        }
    }
    // Objects of the other kinds (from files), sorted by type, namespace, name.
    let mut others: Vec<((String, String, String, String), String)> = stores
        .others
        .all()
        .iter()
        .filter(|value| {
            namespace.is_none_or(|only| {
                let ns = namespace_of(value);
                ns.is_empty() || ns == only
            })
        })
        .map(|value| {
            let text = |field: &str| value[field].as_str().unwrap_or_default().to_string();
            let key = (
                text("apiVersion"),
                text("kind"),
                namespace_of(value).to_string(),
                name_of(value).to_string(),
            );
            (key, item_yaml(clean(value.clone())))
        })
        .collect();
    others.sort();
    objects += others.len();
    for (_, value) in others {
        items.push_str(&value);
    }
    let mut yaml = format!(
        "# kubesight snapshot: {objects} objects, captured at {at}.\n\
         # Render it as it was then: kubesight --snapshot FILE --now {at}\n\
         apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:"
    );
    if items.is_empty() {
        yaml.push_str(" []\n");
    } else {
        yaml.push('\n');
        yaml.push_str(&items);
    }
    Capture { yaml, objects }
}

fn namespace_of(value: &Value) -> &str {
    value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn name_of(value: &Value) -> &str {
    value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// managedFields dropped; a Secret's values redacted.
fn clean(mut value: Value) -> Value {
    if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.remove("managedFields");
    }
    if value.get("kind").and_then(Value::as_str) == Some("Secret") {
        for field in ["data", "stringData"] {
            if let Some(entries) = value.get_mut(field).and_then(Value::as_object_mut) {
                for entry in entries.values_mut() {
                    *entry = Value::String("<redacted>".into());
                }
            }
        }
        // `kubectl apply` keeps the values again in this annotation.
        if let Some(applied) = value
            .pointer_mut("/metadata/annotations")
            .and_then(Value::as_object_mut)
            .and_then(|a| a.get_mut("kubectl.kubernetes.io/last-applied-configuration"))
        {
            *applied = Value::String("<redacted>".into());
        }
    }
    value
}

/// One list item, indented under `items:`.
fn item_yaml(value: Value) -> String {
    let text = serde_saphyr::to_string(&value).unwrap_or_default();
    let mut item = String::with_capacity(text.len() + 64);
    for (index, line) in text.lines().enumerate() {
        item.push_str(if index == 0 { "- " } else { "  " });
        item.push_str(line);
        item.push('\n');
    }
    item
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::snapshot::{Snapshot, load_text};

    #[test]
    fn a_capture_loads_again_as_the_same_objects() {
        let demo = crate::demo::load().expect("the demo loads");
        let total = demo.objects.total();
        let stores = Stores::from_objects(demo.objects);
        let at: Timestamp = "2026-11-23T12:00:00Z".parse().expect("an instant");
        let captured = capture(&stores, None, at);
        assert_eq!(captured.objects, total);
        assert!(captured.yaml.starts_with(&format!(
            "# kubesight snapshot: {total} objects, captured at 2026-11-23T12:00:00Z.\n"
        )));
        assert!(
            total > 250,
            "every kind of the demo, not only the cached ones"
        );
        let mut again = Snapshot::default();
        load_text(
            std::path::Path::new("capture.yaml"),
            &captured.yaml,
            &mut again,
        )
        .expect("the capture loads");
        assert!(again.malformed.is_empty(), "{:?}", again.malformed);
        assert_eq!(again.objects.total(), total);
        // The same bytes for the same state.
        assert_eq!(capture(&stores, None, at).yaml, captured.yaml);
    }

    #[test]
    fn one_namespace_keeps_cluster_scoped_kinds() {
        let demo = crate::demo::load().expect("the demo loads");
        let stores = Stores::from_objects(demo.objects);
        let captured = capture(&stores, Some("shop"), Timestamp::UNIX_EPOCH);
        let mut again = Snapshot::default();
        load_text(std::path::Path::new("c.yaml"), &captured.yaml, &mut again).expect("loads");
        assert!(!again.objects.nodes.is_empty());
        assert!(!again.objects.pods.is_empty());
        assert!(
            again
                .objects
                .pods
                .iter()
                .all(|p| p.metadata.namespace.as_deref() == Some("shop"))
        );
    }

    #[test]
    fn secrets_are_redacted_and_managed_fields_dropped() {
        let secret = clean(json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "db", "managedFields": [{"manager": "kubectl"}]},
            "data": {"password": "aHVudGVyMg=="},
            "stringData": {"user": "admin"}
        }));
        assert_eq!(
            secret,
            json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "db"},
                "data": {"password": "<redacted>"},
                "stringData": {"user": "<redacted>"}
            })
        );
    }
}
