//! The metadata the API server owns and fills in on every write: the type is read
//! from `kind`/`apiVersion` (and stripped: bodies are stored untyped), a missing
//! namespace defaults, names are generated from `generateName`, uid and
//! creationTimestamp are set once and kept by updates, and resourceVersion is the
//! revision of the write.

use serde_json::{Map, Value};

use super::object::{self, IdentitySource};
use super::resources::{self, Resource};
use kubesight_model::clock::Clock;

/// Why a write (`Simulator::apply`) refused an object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("the object is not a JSON object with metadata")]
    NotAnObject,
    #[error("the simulator does not serve {kind:?} in {api_version:?}")]
    UnknownType { api_version: String, kind: String },
    #[error("metadata.name or metadata.generateName is required")]
    MissingName,
}

/// Finds the resource from `kind`/`apiVersion` and strips both: bodies are stored
/// without them.
pub fn split_type(mut value: Value) -> Result<(&'static Resource, Value), ApplyError> {
    let map = value.as_object_mut().ok_or(ApplyError::NotAnObject)?;
    let kind = take_string(map, "kind");
    let api_version = take_string(map, "apiVersion");
    let resource = resources::for_type(&api_version, &kind)
        .ok_or(ApplyError::UnknownType { api_version, kind })?;
    Ok((resource, value))
}

fn take_string(map: &mut Map<String, Value>, field: &str) -> String {
    match map.remove(field) {
        Some(Value::String(s)) => s,
        _ => String::new(),
    }
}

pub fn storage_key_of(resource: &Resource, body: &Value) -> String {
    let namespace = effective_namespace(resource, body);
    object::storage_key(resource, &namespace, object::name(body))
}

/// The namespace an object is stored in: `default` when a namespaced object
/// names none (as a request to the default namespace would), none when
/// cluster-scoped.
fn effective_namespace(resource: &Resource, body: &Value) -> String {
    match object::namespace(body) {
        _ if !resource.namespaced => String::new(),
        "" => "default".to_string(),
        namespace => namespace.to_string(),
    }
}

/// Completes the metadata the server owns (namespace, uid, creationTimestamp) and
/// returns the storage key. An update keeps the stored uid and timestamp.
pub fn stamp_identity(
    resource: &Resource,
    body: &mut Value,
    previous: Option<&Value>,
    identities: &mut IdentitySource,
    now: &str,
) -> Result<String, ApplyError> {
    let namespace = effective_namespace(resource, body);
    let key = storage_key_of(resource, body);
    let kept = |field: &str| {
        previous
            .and_then(|p| p.get("metadata"))
            .and_then(|m| m.get(field))
            .cloned()
    };
    let kept_uid = kept("uid");
    let kept_created = kept("creationTimestamp");
    let meta = object::metadata_mut(body).ok_or(ApplyError::NotAnObject)?;
    if object_name_is_empty(meta) {
        return Err(ApplyError::MissingName);
    }
    if namespace.is_empty() {
        meta.remove("namespace");
    } else {
        meta.insert("namespace".into(), Value::String(namespace));
    }
    if let Some(uid) = kept_uid {
        meta.insert("uid".into(), uid);
    } else if !has_string(meta, "uid") {
        meta.insert("uid".into(), Value::String(identities.uid()));
    }
    if let Some(created) = kept_created {
        meta.insert("creationTimestamp".into(), created);
    } else if !has_string(meta, "creationTimestamp") {
        meta.insert("creationTimestamp".into(), Value::String(now.to_string()));
    }
    Ok(key)
}

fn object_name_is_empty(meta: &Map<String, Value>) -> bool {
    !has_string(meta, "name")
}

fn has_string(meta: &Map<String, Value>, field: &str) -> bool {
    meta.get(field)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
}

/// `generateName` plus a random suffix, as the server names such objects; a
/// suffix already `taken` is drawn again.
pub fn generate_name(
    resource: &Resource,
    body: &Value,
    identities: &mut IdentitySource,
    taken: impl Fn(&str) -> bool,
) -> Result<String, ApplyError> {
    let base = body
        .get("metadata")
        .and_then(|m| m.get("generateName"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or(ApplyError::MissingName)?;
    let namespace = effective_namespace(resource, body);
    loop {
        let candidate = format!("{base}{}", identities.name_suffix());
        if !taken(&object::storage_key(resource, &namespace, &candidate)) {
            return Ok(candidate);
        }
    }
}

/// `metadata.generation`, as the registry strategies keep it: 1 on create, one
/// more whenever an update changes the spec.
pub fn stamp_generation(resource: &Resource, body: &mut Value, previous: Option<&Value>) {
    if !resource.tracks_generation {
        return;
    }
    let generation = match previous {
        None => body
            .get("metadata")
            .and_then(|m| m.get("generation"))
            .and_then(Value::as_i64)
            .unwrap_or(1),
        Some(previous) => {
            let before = previous
                .get("metadata")
                .and_then(|m| m.get("generation"))
                .and_then(Value::as_i64)
                .unwrap_or(1);
            if previous.get("spec") == body.get("spec") {
                before
            } else {
                before + 1
            }
        }
    };
    if let Some(meta) = object::metadata_mut(body) {
        meta.insert("generation".into(), Value::from(generation));
    }
}

pub fn set_resource_version(body: &mut Value, revision: u64) {
    if let Some(meta) = object::metadata_mut(body) {
        meta.insert(
            "resourceVersion".into(),
            Value::String(revision.to_string()),
        );
    }
}

/// RFC 3339 at second precision, as metav1.Time serialises.
pub fn timestamp(clock: &Clock) -> String {
    clock.now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
