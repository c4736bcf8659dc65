//! Reading and writing the few fields controllers care about in JSON objects,
//! never panicking on objects that lack them (objects come from users too).

use jiff::Timestamp;
use serde_json::{Map, Value, json};

pub fn text<'a>(object: &'a Value, pointer: &str) -> Option<&'a str> {
    object.pointer(pointer).and_then(Value::as_str)
}

pub fn int(object: &Value, pointer: &str) -> Option<i64> {
    object.pointer(pointer).and_then(Value::as_i64)
}

pub fn name(object: &Value) -> &str {
    text(object, "/metadata/name").unwrap_or_default()
}

pub fn namespace(object: &Value) -> &str {
    text(object, "/metadata/namespace").unwrap_or_default()
}

pub fn uid(object: &Value) -> &str {
    text(object, "/metadata/uid").unwrap_or_default()
}

pub fn time(object: &Value, pointer: &str) -> Option<Timestamp> {
    text(object, pointer)?.parse().ok()
}

/// metav1.Time's serialisation: RFC 3339 at second precision.
pub fn stamp(now: Timestamp) -> String {
    now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn is_terminating(object: &Value) -> bool {
    object.pointer("/metadata/deletionTimestamp").is_some()
}

pub fn phase(pod: &Value) -> &str {
    text(pod, "/status/phase").unwrap_or_default()
}

pub fn is_terminal(pod: &Value) -> bool {
    matches!(phase(pod), "Succeeded" | "Failed")
}

/// Neither being deleted nor finished: what controllers count as a replica.
pub fn is_active(pod: &Value) -> bool {
    !is_terminating(pod) && !is_terminal(pod)
}

pub fn node_name(pod: &Value) -> &str {
    text(pod, "/spec/nodeName").unwrap_or_default()
}

/// The uid of the object's controlling owner (`ownerReferences[controller]`).
pub fn controller_uid(object: &Value) -> Option<&str> {
    object
        .pointer("/metadata/ownerReferences")?
        .as_array()?
        .iter()
        .find(|owner| owner.get("controller").and_then(Value::as_bool) == Some(true))?
        .get("uid")?
        .as_str()
}

pub fn condition<'a>(object: &'a Value, kind: &str) -> Option<&'a Value> {
    object
        .pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))
}

pub fn condition_is_true(object: &Value, kind: &str) -> bool {
    condition(object, kind)
        .and_then(|c| c.get("status"))
        .and_then(Value::as_str)
        == Some("True")
}

pub fn is_pod_ready(pod: &Value) -> bool {
    condition_is_true(pod, "Ready")
}

/// When a Ready pod became ready, for `minReadySeconds`.
pub fn ready_since(pod: &Value) -> Option<Timestamp> {
    time(condition(pod, "Ready")?, "/lastTransitionTime")
}

pub fn is_pod_available(pod: &Value, min_ready_seconds: i64, now: Timestamp) -> bool {
    if !is_pod_ready(pod) {
        return false;
    }
    if min_ready_seconds <= 0 {
        return true;
    }
    ready_since(pod).is_some_and(|since| {
        since
            .checked_add(jiff::SignedDuration::from_secs(min_ready_seconds))
            .is_ok_and(|available_at| available_at <= now)
    })
}

/// The object's `status`, created when missing; `None` only when the object
/// itself is not a JSON object.
pub fn status_mut(object: &mut Value) -> Option<&mut Map<String, Value>> {
    let map = object.as_object_mut()?;
    let status = map.entry("status").or_insert_with(|| json!({}));
    if !status.is_object() {
        *status = json!({});
    }
    status.as_object_mut()
}

/// Sets one condition as `SetStatusCondition` does: the transition time moves
/// only when the status changes.
pub fn set_condition(
    status: &mut Map<String, Value>,
    kind: &str,
    value: &str,
    reason: &str,
    message: &str,
    now: Timestamp,
) {
    let conditions = status.entry("conditions").or_insert_with(|| json!([]));
    if !conditions.is_array() {
        *conditions = json!([]);
    }
    let Some(conditions) = conditions.as_array_mut() else {
        return;
    };
    let existing = conditions
        .iter_mut()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(kind));
    match existing {
        Some(condition) => {
            if condition.get("status").and_then(Value::as_str) != Some(value) {
                condition["lastTransitionTime"] = json!(stamp(now));
            }
            condition["status"] = json!(value);
            set_or_remove(condition, "reason", reason);
            set_or_remove(condition, "message", message);
        }
        None => {
            let mut condition = json!({
                "type": kind,
                "status": value,
                "lastTransitionTime": stamp(now),
            });
            set_or_remove(&mut condition, "reason", reason);
            set_or_remove(&mut condition, "message", message);
            conditions.push(condition);
        }
    }
}

fn set_or_remove(condition: &mut Value, field: &str, value: &str) {
    if let Some(map) = condition.as_object_mut() {
        if value.is_empty() {
            map.remove(field);
        } else {
            map.insert(field.into(), json!(value));
        }
    }
}
