//! Reading and stamping the metadata of objects held as JSON, and the order in which
//! a served object's top-level fields are written.

use serde::Serialize;
use serde_json::{Map, Value};

use super::resources::Resource;
use kubesight_model::selector::LabelLookup;

/// `metadata.name`, or `""`.
pub fn name(object: &Value) -> &str {
    meta_str(object, "name")
}

/// `metadata.namespace`, or `""` (cluster-scoped objects).
pub fn namespace(object: &Value) -> &str {
    meta_str(object, "namespace")
}

fn meta_str<'a>(object: &'a Value, field: &str) -> &'a str {
    object
        .get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// `metadata.resourceVersion` as etcd's revision, when it is one.
pub fn resource_version(object: &Value) -> Option<u64> {
    meta_str(object, "resourceVersion").parse().ok()
}

/// The object's `metadata`, created if missing; `None` if the object is not a map
/// or its metadata is not one.
pub fn metadata_mut(object: &mut Value) -> Option<&mut Map<String, Value>> {
    object
        .as_object_mut()?
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

/// Labels of an object, for label selectors.
pub struct ObjectLabels<'a>(Option<&'a Map<String, Value>>);

pub fn labels(object: &Value) -> ObjectLabels<'_> {
    ObjectLabels(
        object
            .get("metadata")
            .and_then(|m| m.get("labels"))
            .and_then(Value::as_object),
    )
}

impl LabelLookup for ObjectLabels<'_> {
    fn label(&self, key: &str) -> Option<&str> {
        self.0?.get(key)?.as_str()
    }
}

/// Where an object lives within its resource, ordered as etcd orders keys under
/// `/registry/<resource>/`: `namespace/name`, or `name` when cluster-scoped.
pub fn storage_key(resource: &Resource, namespace: &str, name: &str) -> String {
    if resource.namespaced {
        format!("{namespace}/{name}")
    } else {
        name.to_string()
    }
}

/// The key prefix of one namespace's objects, or of all of them.
pub fn scope_prefix(resource: &Resource, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) if resource.namespaced => format!("{ns}/"),
        _ => String::new(),
    }
}

/// A served object: `kind` and `apiVersion` first, then the stored body (which
/// keeps neither, as list items carry neither).
#[derive(Serialize)]
pub struct TypedObject<'a> {
    pub kind: &'static str,
    #[serde(rename = "apiVersion")]
    pub api_version: &'a str,
    #[serde(flatten)]
    pub body: &'a Value,
}

/// The stored body with `kind` and `apiVersion` put back, for in-process callers.
pub fn with_type(resource: &Resource, body: &Value) -> Value {
    let mut typed = body.clone();
    if let Some(map) = typed.as_object_mut() {
        map.insert("kind".into(), Value::String(resource.kind.into()));
        map.insert("apiVersion".into(), Value::String(resource.api_version()));
    }
    typed
}

/// Deterministic identities for new objects: uids and `generateName` suffixes come
/// from a counter, so a test run creates the same objects every time.
#[derive(Debug, Default)]
pub struct IdentitySource {
    counter: u64,
}

/// The characters `utilrand.String` draws name suffixes from (no vowels, no
/// look-alikes).
pub(crate) const SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl IdentitySource {
    fn next(&mut self) -> u64 {
        self.counter += 1;
        splitmix64(self.counter)
    }

    /// A version-4-shaped UUID.
    pub fn uid(&mut self) -> String {
        let high = self.next();
        let low = self.next();
        uuid(high, low)
    }

    /// Five characters, as the API server appends to `generateName`.
    pub fn name_suffix(&mut self) -> String {
        name_suffix_from(self.next())
    }
}

/// Five characters of the name-suffix alphabet drawn from `bits`.
pub fn name_suffix_from(mut bits: u64) -> String {
    (0..5)
        .map(|_| {
            let index = (bits % SUFFIX_ALPHABET.len() as u64) as usize;
            bits /= SUFFIX_ALPHABET.len() as u64;
            char::from(SUFFIX_ALPHABET[index])
        })
        .collect()
}

/// A version-4-shaped UUID made of 128 pseudo-random bits.
pub fn uuid(high: u64, low: u64) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0x0fff,
        ((low >> 48) & 0x3fff) | 0x8000,
        low & 0xffff_ffff_ffff
    )
}

/// A well-mixed 64-bit value for each seed (SplitMix64's output function).
pub fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::resources;

    #[test]
    fn uids_look_like_uuids_and_never_repeat() {
        let mut ids = IdentitySource::default();
        let a = ids.uid();
        let b = ids.uid();
        assert_ne!(a, b);
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, vec![8, 4, 4, 4, 12]);
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn name_suffixes_use_the_servers_alphabet() {
        let mut ids = IdentitySource::default();
        let suffix = ids.name_suffix();
        assert_eq!(suffix.len(), 5);
        assert!(suffix.bytes().all(|c| SUFFIX_ALPHABET.contains(&c)));
    }

    #[test]
    fn typed_objects_lead_with_kind_and_api_version() {
        let pods = resources::lookup("pods").unwrap_or(&resources::RESOURCES[0]);
        let body = json!({"metadata": {"name": "a"}, "spec": {}});
        let text = serde_json::to_string(&TypedObject {
            kind: pods.kind,
            api_version: &pods.api_version(),
            body: &body,
        })
        .unwrap_or_default();
        assert_eq!(
            text,
            r#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"},"spec":{}}"#
        );
    }

    #[test]
    fn keys_sort_like_etcd() {
        let pods = resources::lookup("pods").unwrap_or(&resources::RESOURCES[0]);
        // etcd compares "a-b/x" and "a/x" byte by byte: '-' sorts before '/'.
        assert!(storage_key(pods, "a-b", "x") < storage_key(pods, "a", "x"));
        let nodes = resources::lookup("nodes").unwrap_or(&resources::RESOURCES[0]);
        assert_eq!(storage_key(nodes, "ignored", "node-1"), "node-1");
    }
}
