//! Which ReplicaSet belongs to a template: the `pod-template-hash` the Deployment
//! controller names ReplicaSets by, and template equality that ignores it.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::HASH_LABEL;
use crate::controllers::rng::safe_encode;

/// `EqualIgnoreHash`: the ReplicaSet's template is the Deployment's, apart
/// from the `pod-template-hash` label.
pub(super) fn same_template(replica_set: &Value, template: &Value) -> bool {
    let mut theirs = replica_set
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    if let Some(labels) = theirs
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.remove(HASH_LABEL);
        if labels.is_empty()
            && template.pointer("/metadata/labels").is_none()
            && let Some(meta) = theirs.get_mut("metadata").and_then(Value::as_object_mut)
        {
            meta.remove("labels");
        }
    }
    theirs == *template
}

/// `ComputeHash`: FNV-1a (32-bit) of the template, its decimal rendered in
/// the name-suffix alphabet, as `pod-template-hash` values look.
pub fn template_hash(template: &Value, collisions: u32) -> String {
    let mut text = String::new();
    canonical(template, &mut text);
    if collisions > 0 {
        text.push_str(&collisions.to_string());
    }
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    safe_encode(&hash.to_string())
}

/// JSON with object keys sorted, whatever order the map keeps them in.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, &Value> = map.iter().collect();
            out.push('{');
            for (index, (key, field)) in sorted.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical(field, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}
