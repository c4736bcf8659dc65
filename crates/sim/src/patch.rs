//! PATCH of one object, as the API server's patch handler answers it: the patch
//! is applied to the stored object under the store's lock; a
//! `metadata.resourceVersion` the patch sets is a precondition (409, `wire/42`);
//! the result is validated (422, `wire/43`); status is left as stored, since the
//! main resource of a kind with a status subresource ignores status changes;
//! `dryRun=All` answers without storing; an unchanged object is not rewritten.

use http::Response;
use serde_json::Value;

use super::patch_apply::{self, PatchType};
use super::resources::Resource;
use super::response::{self, Body};
use super::status::Status;
use super::store::{ModifyError, Store};
use super::validate::validate_update;
use super::write_request::WriteRequest;

pub fn respond(
    store: &Store,
    resource: &'static Resource,
    namespace: &str,
    name: &str,
    request: &WriteRequest<'_>,
) -> Response<Body> {
    let Some(patch_type) = PatchType::from_content_type(request.content_type) else {
        return response::status(&Status::unsupported_patch_type());
    };
    let patch: Value = match serde_json::from_slice(request.body) {
        Ok(patch) => patch,
        Err(error) => {
            return response::status(&Status::bad_request(format!(
                "error decoding patch: {error}"
            )));
        }
    };
    let patched = |current: &Value| patched_object(resource, name, patch_type, current, &patch);
    let outcome = if request.dry_run() {
        match store.get(resource, namespace, name) {
            Some(current) => patched(&current)
                .map(|object| Some(super::object::with_type(resource, &object)))
                .map_err(ModifyError::Refused),
            None => Ok(None),
        }
    } else {
        store.modify(resource, namespace, name, patched)
    };
    match outcome {
        Ok(Some(object)) => response::json(
            200,
            response::JSON,
            serde_json::to_vec(&object).unwrap_or_default(),
        ),
        Ok(None) => response::status(&Status::not_found(resource, name)),
        Err(ModifyError::Refused(status)) => response::status(&status),
        Err(ModifyError::Invalid(error)) => {
            response::status(&Status::bad_request(error.to_string()))
        }
    }
}

/// `current` with `patch` applied, checked as the update that follows it is.
fn patched_object(
    resource: &'static Resource,
    name: &str,
    patch_type: PatchType,
    current: &Value,
    patch: &Value,
) -> Result<Value, Status> {
    let mut patched =
        patch_apply::apply(patch_type, current, patch).map_err(Status::bad_request)?;
    if !patched.is_object() {
        return Err(Status::bad_request("the patched object is not an object"));
    }
    let meta = |object: &Value, field: &str| {
        object
            .get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    if meta(&patched, "name") != name {
        return Err(Status::bad_request(format!(
            "the name of the object ({}) does not match the name on the URL ({name})",
            meta(&patched, "name")
        )));
    }
    if meta(&patched, "namespace") != meta(current, "namespace") {
        return Err(Status::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        ));
    }
    // The resourceVersion left in the patched object is the update's
    // precondition: one the patch set must be the stored one.
    if meta(&patched, "resourceVersion") != meta(current, "resourceVersion") {
        return Err(Status::conflict(
            resource,
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        ));
    }
    // Kinds with a status subresource reset status on updates of the main
    // resource (their strategies' PrepareForUpdate).
    if let Some(map) = patched.as_object_mut() {
        match current.get("status") {
            Some(status) => map.insert("status".into(), status.clone()),
            None => map.remove("status"),
        };
    }
    validate_update(resource, &patched)?;
    Ok(patched)
}
