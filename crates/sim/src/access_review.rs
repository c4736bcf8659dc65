//! `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews` (`wire/50`):
//! the review echoed back with its status. The simulator has no authorizer, so
//! everything is allowed except what [`super::Faults::deny`] refuses.

use http::Response;
use serde_json::{Value, json};

use super::faults::Faults;
use super::response::{self, Body};
use super::status::Status;
use super::write_request::WriteRequest;

pub const PATH: &str = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

pub fn respond(faults: &Faults, request: &WriteRequest<'_>) -> Response<Body> {
    let review = match request.json_body() {
        Ok(Some(review)) => review,
        Ok(None) => return response::status(&Status::bad_request("the body is empty")),
        Err(status) => return response::status(&status),
    };
    let attributes = review
        .pointer("/spec/resourceAttributes")
        .cloned()
        .unwrap_or(Value::Null);
    let text = |field: &str| {
        attributes
            .get(field)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let resource = match text("subresource").as_str() {
        "" => text("resource"),
        sub => format!("{}/{sub}", text("resource")),
    };
    let denied = faults.is_denied(&text("verb"), &resource, &text("namespace"));
    let status = if denied {
        json!({"allowed": false, "reason": "denied by the simulator's fault injection"})
    } else {
        json!({"allowed": true})
    };
    let body = json!({
        "kind": "SelfSubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {"creationTimestamp": null},
        "spec": review.get("spec").cloned().unwrap_or(json!({})),
        "status": status,
    });
    response::json(
        201,
        response::JSON,
        serde_json::to_vec(&body).unwrap_or_default(),
    )
}
