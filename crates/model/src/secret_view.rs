//! A Secret on screen: never its values unless the user asks (`x`), and then
//! decoded. Its YAML shows the keys with their values withheld, the
//! last-applied annotation (which repeats them) included.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::doc::Doc;
use super::table::Tone;

pub const WITHHELD: &str = "<withheld: x shows the values decoded>";

/// Whether `object` is a core Secret.
pub fn is_secret(object: &Value) -> bool {
    object.get("kind").and_then(Value::as_str) == Some("Secret")
        && object.get("apiVersion").and_then(Value::as_str) == Some("v1")
}

/// `object` with a Secret's values withheld (other objects as they are).
pub fn withhold_values(object: &Value) -> Value {
    let mut object = object.clone();
    if !is_secret(&object) {
        return object;
    }
    for field in ["data", "stringData"] {
        if let Some(entries) = object.get_mut(field).and_then(Value::as_object_mut) {
            for value in entries.values_mut() {
                *value = Value::String(WITHHELD.to_string());
            }
        }
    }
    if let Some(annotations) = object
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
        && let Some(applied) =
            annotations.get_mut("kubectl.kubernetes.io/last-applied-configuration")
    {
        *applied = Value::String(WITHHELD.to_string());
    }
    object
}

/// The Secret's keys with their values decoded, as `kubectl get secret -o
/// jsonpath` and base64 -d would show them; binary values by their size.
pub fn decoded_doc(title: &str, object: &Value) -> Doc {
    let mut doc = Doc::new(title);
    doc.text(
        "# decoded values: shown because x was pressed; esc leaves",
        Tone::Warning,
    );
    doc.fields(&[(
        "Type",
        (
            object
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("Opaque")
                .to_string(),
            Tone::Normal,
        ),
    )]);
    doc.heading("Data");
    let entries = object.get("data").and_then(Value::as_object);
    match entries.filter(|e| !e.is_empty()) {
        None => doc.text("<none>", Tone::Muted),
        Some(entries) => {
            let pairs: Vec<(String, (String, Tone))> = entries
                .iter()
                .map(|(key, value)| (key.clone(), decode(value)))
                .collect();
            let refs: Vec<(&str, (String, Tone))> =
                pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            doc.fields(&refs);
        }
    }
    doc
}

fn decode(value: &Value) -> (String, Tone) {
    let Some(text) = value.as_str() else {
        return ("<not a string>".into(), Tone::Bad);
    };
    match STANDARD.decode(text) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => (text, Tone::Normal),
            Err(e) => (
                format!("<{} bytes of binary data>", e.into_bytes().len()),
                Tone::Muted,
            ),
        },
        Err(_) => ("<not base64>".into(), Tone::Bad),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn secret() -> Value {
        json!({"apiVersion": "v1", "kind": "Secret",
               "metadata": {"name": "db", "namespace": "shop", "annotations": {
                   "kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"password\":\"aHVudGVyMg==\"}}"}},
               "type": "Opaque",
               "data": {"password": "aHVudGVyMg==", "cert": "/w=="}})
    }

    #[test]
    fn values_are_withheld_annotation_included() {
        let shown = withhold_values(&secret()).to_string();
        assert!(!shown.contains("aHVudGVyMg=="), "{shown}");
        assert!(shown.contains(WITHHELD));
        assert!(shown.contains("\"password\""), "the keys stay");
        let config_map = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}});
        assert_eq!(withhold_values(&config_map), config_map);
    }

    #[test]
    fn decoded_values_text_and_binary() {
        let text = decoded_doc("Secret shop/db", &secret()).to_text();
        assert!(text.contains("password: hunter2"), "{text}");
        assert!(
            text.contains("cert:     <1 bytes of binary data>"),
            "{text}"
        );
    }
}
