//! Validation of the metadata a write may change — label keys and values,
//! annotation keys, the annotations' total size — with the API server's
//! messages, as `errors.NewInvalid` reports them (`wire/43`).

use serde_json::Value;

use super::resources::Resource;
use super::status::{Status, StatusCause};
use kubesight_model::labels_edit::TOTAL_ANNOTATION_SIZE_LIMIT;
use kubesight_model::validation::{label_value_errors, qualified_name_errors};

/// How many times an update's validation reports each metadata error. A real
/// server validates an updated object's metadata in several passes (the
/// generic `BeforeUpdate`, then the kind's create and update validations), and
/// each pass adds its errors again: `wire/43` shows a pod's bad label key four
/// times. Nodes validate the same way (`ValidateNode` + `ValidateNodeUpdate`);
/// for other kinds (not recorded) two passes is what their strategies run.
fn update_passes(resource: &Resource) -> usize {
    match (resource.group, resource.plural) {
        ("", "pods" | "nodes") => 4,
        _ => 2,
    }
}

/// The 422 for an updated object whose labels or annotations are invalid.
pub fn validate_update(resource: &Resource, object: &Value) -> Result<(), Status> {
    let causes = metadata_causes(object);
    if causes.is_empty() {
        return Ok(());
    }
    let repeated: Vec<StatusCause> = (0..update_passes(resource))
        .flat_map(|_| causes.iter().cloned())
        .collect();
    let name = object
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    Err(Status::invalid(
        resource.group,
        resource.kind,
        name,
        repeated,
    ))
}

/// One pass of `ValidateLabels` and the key check of `ValidateAnnotations`.
fn metadata_causes(object: &Value) -> Vec<StatusCause> {
    let mut causes = Vec::new();
    let meta = object.get("metadata");
    let map_of = |field: &str| meta.and_then(|m| m.get(field)).and_then(Value::as_object);
    for (key, value) in map_of("labels").into_iter().flatten() {
        for message in qualified_name_errors(key) {
            causes.push(invalid("metadata.labels", key, &message));
        }
        let value = value.as_str().unwrap_or_default();
        for message in label_value_errors(value) {
            causes.push(invalid("metadata.labels", value, &message));
        }
    }
    let mut annotations_size = 0;
    for (key, value) in map_of("annotations").into_iter().flatten() {
        // Annotation keys are checked lower-cased, as `ValidateAnnotations` does.
        for message in qualified_name_errors(&key.to_lowercase()) {
            causes.push(invalid("metadata.annotations", key, &message));
        }
        annotations_size += key.len() + value.as_str().map_or(0, str::len);
    }
    // `ValidateAnnotationsSize`: keys and values together, in bytes; reported
    // as `field.TooLong`, whose text omits the value
    // (apimachinery `pkg/util/validation/field/errors.go`).
    if annotations_size > TOTAL_ANNOTATION_SIZE_LIMIT {
        causes.push(StatusCause {
            cause_type: "FieldValueTooLong",
            message: format!("Too long: may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes"),
            field: "metadata.annotations",
        });
    }
    causes
}

/// `field.Invalid`: the value quoted as Go's `%q` quotes a string.
fn invalid(field: &'static str, value: &str, detail: &str) -> StatusCause {
    StatusCause {
        cause_type: "FieldValueInvalid",
        message: format!("Invalid value: {value:?}: {detail}"),
        field,
    }
}
