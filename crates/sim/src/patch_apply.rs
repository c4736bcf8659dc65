//! The three patch formats a PATCH body may use, applied to an object held as
//! JSON: JSON merge patch (RFC 7386), strategic merge patch (merge patch plus
//! lists merged by their key, for the fields kubesight changes) and JSON patch
//! (RFC 6902).

use serde_json::{Map, Value};

/// Which format a PATCH body is in, from its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    Merge,
    Strategic,
    Json,
}

impl PatchType {
    /// The patch type of a `Content-Type` value (parameters ignored); `None` for
    /// a type the patch handler does not accept.
    pub fn from_content_type(content_type: &str) -> Option<PatchType> {
        let media = content_type.split(';').next().unwrap_or_default().trim();
        match media {
            "application/merge-patch+json" => Some(PatchType::Merge),
            "application/strategic-merge-patch+json" => Some(PatchType::Strategic),
            "application/json-patch+json" => Some(PatchType::Json),
            _ => None,
        }
    }
}

/// `patch` applied to `target`; `Err` with the message the server's 400 or 422
/// carries when the patch cannot be applied.
pub fn apply(patch_type: PatchType, target: &Value, patch: &Value) -> Result<Value, String> {
    match patch_type {
        PatchType::Merge => Ok(merge(target, patch, false)),
        PatchType::Strategic => Ok(merge(target, patch, true)),
        PatchType::Json => json_patch(target, patch),
    }
}

/// Lists a strategic merge patch merges element by element, and the field that
/// identifies an element (the `patchMergeKey` of the Kubernetes types).
fn merge_key(field: &str) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "hostAliases"
        | "resourceClaims" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "ports" => Some("containerPort"),
        "taints" => Some("key"),
        "conditions" => Some("type"),
        "ownerReferences" => Some("uid"),
        _ => None,
    }
}

/// RFC 7386 merge; with `strategic`, keyed lists merge by key and `$patch`
/// directives on maps are honoured.
fn merge(target: &Value, patch: &Value, strategic: bool) -> Value {
    let Value::Object(patch_map) = patch else {
        return patch.clone();
    };
    if strategic && patch_map.get("$patch").and_then(Value::as_str) == Some("replace") {
        let mut replaced = patch_map.clone();
        replaced.remove("$patch");
        return Value::Object(replaced);
    }
    let mut result = match target {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    for (key, value) in patch_map {
        if strategic && key.starts_with('$') {
            continue;
        }
        match value {
            Value::Null => {
                result.remove(key);
            }
            Value::Array(items) if strategic => {
                let merged = match (merge_key(key), result.get(key)) {
                    (Some(merge_key), Some(Value::Array(current))) => {
                        merge_keyed_list(current, items, merge_key)
                    }
                    _ => Value::Array(items.iter().filter(|i| !is_delete(i)).cloned().collect()),
                };
                result.insert(key.clone(), merged);
            }
            _ => {
                let current = result.get(key).cloned().unwrap_or(Value::Null);
                result.insert(key.clone(), merge(&current, value, strategic));
            }
        }
    }
    Value::Object(result)
}

fn is_delete(item: &Value) -> bool {
    item.get("$patch").and_then(Value::as_str) == Some("delete")
}

/// Elements of `patch` merged into `current` by `key`: a matching element is
/// merged, `$patch: delete` removes it, a new one is appended.
fn merge_keyed_list(current: &[Value], patch: &[Value], key: &str) -> Value {
    let mut merged: Vec<Value> = current.to_vec();
    for item in patch {
        let id = item.get(key);
        let position = id.and_then(|id| merged.iter().position(|m| m.get(key) == Some(id)));
        match (position, is_delete(item)) {
            (Some(index), true) => {
                merged.remove(index);
            }
            (None, true) => {}
            (Some(index), false) => merged[index] = merge(&merged[index], item, true),
            (None, false) => merged.push(merge(&Value::Null, item, true)),
        }
    }
    Value::Array(merged)
}

/// RFC 6902: `add`, `remove`, `replace`, `move`, `copy` and `test`.
fn json_patch(target: &Value, patch: &Value) -> Result<Value, String> {
    let Value::Array(operations) = patch else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut document = target.clone();
    for operation in operations {
        let op = operation
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let path = operation
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let value = || {
            operation
                .get("value")
                .cloned()
                .ok_or_else(|| format!("missing value for {op} operation"))
        };
        let from = || {
            operation
                .get("from")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("missing from for {op} operation"))
        };
        match op {
            "add" => add(&mut document, path, value()?)?,
            "remove" => {
                remove(&mut document, path)?;
            }
            "replace" => {
                remove(&mut document, path)?;
                add(&mut document, path, value()?)?;
            }
            "move" => {
                let moved = remove(&mut document, from()?)?;
                add(&mut document, path, moved)?;
            }
            "copy" => {
                let copied = document
                    .pointer(from()?)
                    .cloned()
                    .ok_or_else(|| format!("unable to copy from missing path {path:?}"))?;
                add(&mut document, path, copied)?;
            }
            "test" => {
                if document.pointer(path) != Some(&value()?) {
                    return Err(format!("testing value {path} failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(document)
}

/// The parent of the JSON pointer `path` and its last (unescaped) token.
fn parent<'a>(document: &'a mut Value, path: &str) -> Result<(&'a mut Value, String), String> {
    let (parent_path, last) = path
        .rsplit_once('/')
        .ok_or_else(|| format!("invalid JSON pointer {path:?}"))?;
    let token = last.replace("~1", "/").replace("~0", "~");
    let parent = document
        .pointer_mut(parent_path)
        .ok_or_else(|| format!("doc is missing path: {path:?}"))?;
    Ok((parent, token))
}

fn add(document: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *document = value;
        return Ok(());
    }
    let (parent, token) = parent(document, path)?;
    match parent {
        Value::Object(map) => {
            map.insert(token, value);
            Ok(())
        }
        Value::Array(items) => {
            let index = if token == "-" {
                items.len()
            } else {
                token
                    .parse::<usize>()
                    .ok()
                    .filter(|i| *i <= items.len())
                    .ok_or_else(|| {
                        format!("add operation does not apply: doc is missing path: {path:?}")
                    })?
            };
            items.insert(index, value);
            Ok(())
        }
        _ => Err(format!(
            "add operation does not apply: doc is missing path: {path:?}"
        )),
    }
}

fn remove(document: &mut Value, path: &str) -> Result<Value, String> {
    let missing = || format!("remove operation does not apply: doc is missing path: {path:?}");
    let (parent, token) = parent(document, path)?;
    match parent {
        Value::Object(map) => map.remove(&token).ok_or_else(missing),
        Value::Array(items) => match token.parse::<usize>() {
            Ok(index) if index < items.len() => Ok(items.remove(index)),
            _ => Err(missing()),
        },
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn merge_patch_sets_and_removes_fields() {
        let node = json!({"metadata": {"name": "n", "labels": {"a": "1"}}, "spec": {"unschedulable": true}});
        let patched = apply(
            PatchType::Merge,
            &node,
            &json!({"metadata": {"labels": {"b": "2", "a": null}}, "spec": {"unschedulable": null}}),
        );
        assert_eq!(
            patched,
            Ok(json!({"metadata": {"name": "n", "labels": {"b": "2"}}, "spec": {}}))
        );
    }

    #[test]
    fn merge_patch_replaces_lists_and_strategic_merges_them_by_key() {
        let pod = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}});
        let patch = json!({"spec": {"containers": [{"name": "b", "image": "z"}]}});
        assert_eq!(
            apply(PatchType::Merge, &pod, &patch),
            Ok(json!({"spec": {"containers": [{"name": "b", "image": "z"}]}}))
        );
        assert_eq!(
            apply(PatchType::Strategic, &pod, &patch),
            Ok(
                json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "z"}]}})
            )
        );
        let delete = json!({"spec": {"containers": [{"name": "a", "$patch": "delete"}]}});
        assert_eq!(
            apply(PatchType::Strategic, &pod, &delete),
            Ok(json!({"spec": {"containers": [{"name": "b", "image": "y"}]}}))
        );
    }

    #[test]
    fn json_patch_operations() {
        let node = json!({"metadata": {"labels": {"a/b": "1"}}, "spec": {}});
        let patch = json!([
            {"op": "add", "path": "/spec/unschedulable", "value": true},
            {"op": "remove", "path": "/metadata/labels/a~1b"},
            {"op": "test", "path": "/spec/unschedulable", "value": true},
        ]);
        assert_eq!(
            apply(PatchType::Json, &node, &patch),
            Ok(json!({"metadata": {"labels": {}}, "spec": {"unschedulable": true}}))
        );
        let missing = json!([{"op": "remove", "path": "/spec/nope"}]);
        assert!(apply(PatchType::Json, &node, &missing).is_err());
    }

    #[test]
    fn content_types() {
        assert_eq!(
            PatchType::from_content_type("application/merge-patch+json; charset=utf-8"),
            Some(PatchType::Merge)
        );
        assert_eq!(PatchType::from_content_type("application/json"), None);
    }
}
