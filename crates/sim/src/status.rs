//! `Status` objects, the API server's error bodies, built the way apimachinery's
//! `errors.New*` constructors build them so that messages, reasons and details read
//! exactly as a real server's (`wire/14`, `15`, `21`, `51`). Fields serialise in the
//! Go struct's order.

use serde::Serialize;

use super::resources::Resource;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub message: String,
    /// `""` when the failure has no machine-readable reason.
    pub reason: &'static str,
    details: Option<Box<StatusDetails>>,
    pub code: u16,
    /// `metadata.continue`, set only on an expired continue token's 410.
    continue_token: Option<String>,
    /// `status: Success` rather than `Failure` (evictions, deletions).
    succeeded: bool,
}

/// The wire form: what every Status carries, in the Go struct's field order.
#[derive(Serialize)]
struct WireStatus<'a> {
    kind: &'static str,
    #[serde(rename = "apiVersion")]
    api_version: &'static str,
    metadata: WireMetadata<'a>,
    status: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    message: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a StatusDetails>,
    /// `omitempty` in Go: a deletion's Success Status carries no code.
    #[serde(skip_serializing_if = "is_zero")]
    code: u16,
}

fn is_zero(code: &u16) -> bool {
    *code == 0
}

#[derive(Serialize)]
struct WireMetadata<'a> {
    #[serde(rename = "continue", skip_serializing_if = "Option::is_none")]
    continue_token: Option<&'a str>,
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WireStatus {
            kind: "Status",
            api_version: "v1",
            metadata: WireMetadata {
                continue_token: self.continue_token.as_deref(),
            },
            status: if self.succeeded { "Success" } else { "Failure" },
            message: &self.message,
            reason: self.reason,
            details: self.details.as_deref(),
            code: self.code,
        }
        .serialize(serializer)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct StatusDetails {
    #[serde(skip_serializing_if = "String::is_empty")]
    name: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    group: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    uid: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    causes: Vec<StatusCause>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after_seconds: Option<u32>,
}

/// One field-level reason inside `details.causes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCause {
    #[serde(rename = "reason", skip_serializing_if = "str::is_empty")]
    pub cause_type: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub field: &'static str,
}

impl Status {
    fn failure(code: u16, reason: &'static str, message: String) -> Status {
        Status {
            message,
            reason,
            details: None,
            code,
            continue_token: None,
            succeeded: false,
        }
    }

    /// `metav1.Status{Status: Success}` as a handler returns it; `code` 0 is
    /// left out of the body, as Go's `omitempty` leaves it.
    pub fn success(code: u16) -> Status {
        Status {
            succeeded: true,
            ..Status::failure(code, "", String::new())
        }
    }

    /// What the generic registry answers for a deletion of a kind that does not
    /// return the deleted object: Success with the name, group, resource and uid.
    pub fn deleted(resource: &Resource, name: &str, uid: &str) -> Status {
        Status::success(0).with_details(StatusDetails {
            name: name.to_string(),
            group: resource.group,
            kind: resource.plural.to_string(),
            uid: uid.to_string(),
            ..StatusDetails::default()
        })
    }

    /// `errors.NewConflict` (`wire/42`): `Operation cannot be fulfilled on pods
    /// "web": <why>`.
    pub fn conflict(resource: &Resource, name: &str, why: &str) -> Status {
        Status::failure(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} {name:?}: {why}",
                resource.qualified_name()
            ),
        )
        .with_details(StatusDetails {
            name: name.to_string(),
            group: resource.group,
            kind: resource.plural.to_string(),
            ..StatusDetails::default()
        })
    }

    /// `negotiation.NewUnsupportedMediaTypeError` for a PATCH body type the
    /// patch handler does not accept: no details.
    pub fn unsupported_patch_type() -> Status {
        Status::failure(
            415,
            "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: \
             application/json-patch+json, application/merge-patch+json, \
             application/strategic-merge-patch+json, application/apply-patch+yaml"
                .to_string(),
        )
    }

    /// `errors.NewTooManyRequests(message, 0)` with one `DisruptionBudget` cause,
    /// as the eviction handler builds it (`wire/30`).
    pub fn disruption_budget(cause: String) -> Status {
        Status::failure(
            429,
            "TooManyRequests",
            "Cannot evict pod as it would violate the pod's disruption budget.".to_string(),
        )
        .with_details(StatusDetails {
            causes: vec![StatusCause {
                cause_type: "DisruptionBudget",
                message: cause,
                field: "",
            }],
            ..StatusDetails::default()
        })
    }

    /// `errors.NewForbidden(policy.Resource("poddisruptionbudget"), name, err)`,
    /// as the eviction handler refuses a budget in a state it cannot use.
    pub fn forbidden_budget(name: &str, why: &str) -> Status {
        Status::failure(
            403,
            "Forbidden",
            format!("poddisruptionbudget.policy {name:?} is forbidden: {why}"),
        )
        .with_details(StatusDetails {
            name: name.to_string(),
            group: "policy",
            kind: "poddisruptionbudget".to_string(),
            ..StatusDetails::default()
        })
    }

    /// The Failure Status the eviction handler returns as an object (not an
    /// error), so it has neither reason nor details (`wire/32`).
    pub fn bare_failure(code: u16, message: &str) -> Status {
        Status::failure(code, "", message.to_string())
    }

    fn with_details(mut self, details: StatusDetails) -> Status {
        self.details = Some(Box::new(details));
        self
    }

    /// `errors.NewNotFound`: `pods "nope" not found` (`wire/15`).
    pub fn not_found(resource: &Resource, name: &str) -> Status {
        Status::failure(
            404,
            "NotFound",
            format!("{} {name:?} not found", resource.qualified_name()),
        )
        .with_details(StatusDetails {
            name: name.to_string(),
            group: resource.group,
            kind: resource.plural.to_string(),
            ..StatusDetails::default()
        })
    }

    /// What the server answers for a path it has no handler for.
    pub fn path_not_found() -> Status {
        Status::failure(
            404,
            "NotFound",
            "the server could not find the requested resource".to_string(),
        )
        .with_details(StatusDetails::default())
    }

    /// What the server answers for a method a path has no route for.
    pub fn method_not_allowed() -> Status {
        Status::failure(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource".to_string(),
        )
        .with_details(StatusDetails::default())
    }

    /// `errors.NewBadRequest` (`wire/14`).
    pub fn bad_request(message: impl Into<String>) -> Status {
        Status::failure(400, "BadRequest", message.into())
    }

    /// `errors.NewResourceExpired`: 410 `Expired` (`wire/21`).
    pub fn expired(message: impl Into<String>) -> Status {
        Status::failure(410, "Expired", message.into())
    }

    /// A watch from a resourceVersion older than the history window.
    pub fn too_old_resource_version(requested: u64, oldest: u64) -> Status {
        Status::expired(format!("too old resource version: {requested} ({oldest})"))
    }

    /// An expired continue token: the body carries a fresh token that continues
    /// from the same key at the latest resourceVersion, as etcd3's store answers.
    pub fn continue_expired(fresh_token: String) -> Status {
        let mut status = Status::expired(
            "The provided continue parameter is too old to display a consistent list result. \
             You can start a new list without the continue parameter, or use the continue \
             token in this response to retrieve the remainder of the results. Continuing \
             with the provided token results in an inconsistent list - objects that were \
             created, modified, or deleted between the time the first chunk was returned \
             and now may show up in the list.",
        );
        status.continue_token = Some(fresh_token);
        status
    }

    /// `errors.NewInvalid` for a `group`/`kind` and the field errors found.
    pub fn invalid(
        group: &'static str,
        kind: &str,
        name: &str,
        causes: Vec<StatusCause>,
    ) -> Status {
        let qualified_kind = if group.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}.{group}")
        };
        // `ToAggregate` drops repeated messages, so a cause that validation
        // found several times is named once in the message (`wire/43`).
        let mut errors: Vec<String> = Vec::new();
        for cause in &causes {
            let error = format!("{}: {}", cause.field, cause.message);
            if !errors.contains(&error) {
                errors.push(error);
            }
        }
        let summary = match errors.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        Status::failure(
            422,
            "Invalid",
            format!("{qualified_kind} {name:?} is invalid: {summary}"),
        )
        .with_details(StatusDetails {
            name: name.to_string(),
            group,
            kind: kind.to_string(),
            causes,
            ..StatusDetails::default()
        })
    }

    /// `responsewriters.Forbidden` for a resource request (`wire/51`).
    pub fn forbidden(request: &ForbiddenRequest<'_>) -> Status {
        let Some(resource) = request.resource else {
            return Status::failure(
                403,
                "Forbidden",
                format!(
                    "forbidden: User {:?} cannot {} path {:?}",
                    request.user, request.verb, request.path
                ),
            )
            .with_details(StatusDetails::default());
        };
        let scope = if request.namespace.is_empty() {
            "at the cluster scope".to_string()
        } else {
            format!("in the namespace {:?}", request.namespace)
        };
        let reason = format!(
            "User {:?} cannot {} resource {:?} in API group {:?} {scope}",
            request.user, request.verb, resource.plural, resource.group
        );
        let message = if request.name.is_empty() {
            format!("{} is forbidden: {reason}", resource.qualified_name())
        } else {
            format!(
                "{} {:?} is forbidden: {reason}",
                resource.qualified_name(),
                request.name
            )
        };
        Status::failure(403, "Forbidden", message).with_details(StatusDetails {
            name: request.name.to_string(),
            group: resource.group,
            kind: resource.plural.to_string(),
            ..StatusDetails::default()
        })
    }

    /// `errors.NewInternalError`.
    pub fn internal_error(cause: &str) -> Status {
        Status::failure(
            500,
            "InternalError",
            format!("Internal error occurred: {cause}"),
        )
        .with_details(StatusDetails {
            causes: vec![StatusCause {
                cause_type: "",
                message: cause.to_string(),
                field: "",
            }],
            ..StatusDetails::default()
        })
    }

    /// `storage.NewTooLargeResourceVersionError`: a resourceVersion the server has
    /// not reached within its wait.
    pub fn too_large_resource_version(requested: u64, current: u64) -> Status {
        Status::failure(
            504,
            "Timeout",
            format!("Timeout: Too large resource version: {requested}, current: {current}"),
        )
        .with_details(StatusDetails {
            causes: vec![StatusCause {
                cause_type: "ResourceVersionTooLarge",
                message: "Too large resource version".to_string(),
                field: "",
            }],
            retry_after_seconds: Some(1),
            ..StatusDetails::default()
        })
    }

    /// Any other failure, for fault injection.
    pub fn custom(code: u16, reason: &'static str, message: String) -> Status {
        Status::failure(code, reason, message)
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// Who was refused what, for the 403 message.
#[derive(Debug, Clone, Copy)]
pub struct ForbiddenRequest<'a> {
    pub user: &'a str,
    pub verb: &'a str,
    /// `None` for a non-resource path such as `/version`.
    pub resource: Option<&'static Resource>,
    pub namespace: &'a str,
    pub name: &'a str,
    pub path: &'a str,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::resources;

    fn json_of(status: &Status) -> serde_json::Value {
        serde_json::from_slice(&status.to_json()).unwrap_or_default()
    }

    #[test]
    fn not_found_reads_like_wire_15() {
        let pods = resources::lookup("pods").expect("pods are served");
        assert_eq!(
            json_of(&Status::not_found(pods, "nope")),
            json!({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                   "message":"pods \"nope\" not found","reason":"NotFound",
                   "details":{"name":"nope","kind":"pods"},"code":404})
        );
        let deployments = resources::lookup("deployments").expect("served");
        assert_eq!(
            Status::not_found(deployments, "web").message,
            "deployments.apps \"web\" not found"
        );
    }

    #[test]
    fn forbidden_reads_like_wire_51() {
        let pods = resources::lookup("pods").expect("pods are served");
        let status = Status::forbidden(&ForbiddenRequest {
            user: "nobody",
            verb: "list",
            resource: Some(pods),
            namespace: "",
            name: "",
            path: "/api/v1/pods",
        });
        assert_eq!(
            json_of(&status),
            json!({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                   "message":"pods is forbidden: User \"nobody\" cannot list resource \"pods\" in API group \"\" at the cluster scope",
                   "reason":"Forbidden","details":{"kind":"pods"},"code":403})
        );
    }

    #[test]
    fn fields_serialise_in_go_order() {
        let text = String::from_utf8(Status::too_old_resource_version(1, 1072).to_json())
            .unwrap_or_default();
        assert_eq!(
            text,
            r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (1072)","reason":"Expired","code":410}"#
        );
    }

    #[test]
    fn invalid_lists_every_cause() {
        let status = Status::invalid(
            "meta.k8s.io",
            "ListOptions",
            "",
            vec![StatusCause {
                cause_type: "FieldValueForbidden",
                message: "Forbidden: sendInitialEvents is forbidden for list".to_string(),
                field: "sendInitialEvents",
            }],
        );
        assert_eq!(
            status.message,
            "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"
        );
        assert_eq!(status.code, 422);
    }
}
