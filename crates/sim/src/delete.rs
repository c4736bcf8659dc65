//! DELETE of one object, as the generic registry answers it. Pods are deleted
//! gracefully: with a grace period above zero (the request's, else the pod's
//! `terminationGracePeriodSeconds`, else 30) the pod stays, marked with
//! `deletionTimestamp` and `deletionGracePeriodSeconds`, and is answered 200
//! (`wire/44`); removing it when the period has passed is the kubelet's part
//! ([`crate::Simulator::finalize_deletions`]). Unscheduled and finished pods
//! and a grace of 0 are removed at once. Other kinds are removed at once and
//! answered with a Success Status, as their registries do not return the
//! deleted object. Preconditions (`uid`, `resourceVersion`) answer 409.

use http::Response;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::object;
use super::protobuf;
use super::resources::Resource;
use super::response::{self, Body};
use super::status::Status;
use super::store::{ModifyError, Store};
use super::write_request::WriteRequest;
use kubesight_model::clock::Clock;

/// The parts of `DeleteOptions` the simulator honours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    pub grace_period_seconds: Option<i64>,
    pub uid: Option<String>,
    pub resource_version: Option<String>,
    pub dry_run: bool,
}

impl DeleteOptions {
    /// From the body (`DeleteOptions` JSON, optional) and the query, the query's
    /// `gracePeriodSeconds` and `dryRun` counting as the body's.
    pub fn from_request(request: &WriteRequest<'_>) -> Result<DeleteOptions, Status> {
        let body = if request.content_type.starts_with(protobuf::MEDIA_TYPE) {
            let decoded = protobuf::delete_options(request.body).ok_or_else(|| {
                Status::bad_request("unable to decode DeleteOptions from protobuf")
            })?;
            Some(decoded)
        } else {
            request.json_body()?
        };
        let mut options = match body {
            Some(body) => DeleteOptions::from_json(&body),
            None => DeleteOptions::default(),
        };
        if let Some(raw) = request.query.get("gracePeriodSeconds") {
            let seconds = raw.parse::<i64>().map_err(|_| {
                Status::bad_request(format!("strconv.ParseInt: parsing {raw:?}: invalid syntax"))
            })?;
            options.grace_period_seconds = Some(seconds);
        }
        options.dry_run |= request.dry_run();
        Ok(options)
    }

    /// From a `DeleteOptions` object, as an eviction's `deleteOptions` carries it.
    pub fn from_json(body: &Value) -> DeleteOptions {
        let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_string);
        let preconditions = body.get("preconditions");
        DeleteOptions {
            grace_period_seconds: body.get("gracePeriodSeconds").and_then(Value::as_i64),
            uid: text(preconditions.and_then(|p| p.get("uid"))),
            resource_version: text(preconditions.and_then(|p| p.get("resourceVersion"))),
            dry_run: body
                .get("dryRun")
                .and_then(Value::as_array)
                .is_some_and(|d| d.iter().any(|v| v == "All")),
        }
    }

    /// `checkPreconditions` of the etcd3 store, as a 409.
    fn check(&self, resource: &Resource, name: &str, current: &Value) -> Result<(), Status> {
        let meta = |field: &str| {
            current
                .get("metadata")
                .and_then(|m| m.get(field))
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        if let Some(uid) = &self.uid
            && uid != meta("uid")
        {
            let why = format!(
                "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                meta("uid")
            );
            return Err(Status::conflict(resource, name, &why));
        }
        if let Some(version) = &self.resource_version
            && version != meta("resourceVersion")
        {
            let why = format!(
                "Precondition failed: ResourceVersion in precondition: {version}, ResourceVersion in object meta: {}",
                meta("resourceVersion")
            );
            return Err(Status::conflict(resource, name, &why));
        }
        Ok(())
    }
}

/// What a deletion did, for the response.
pub enum Deleted {
    /// Removed from the store; its last state.
    Removed(Value),
    /// Marked for graceful deletion, or already so marked: its current state.
    Terminating(Value),
}

pub fn respond(
    store: &Store,
    clock: &Clock,
    resource: &'static Resource,
    namespace: &str,
    name: &str,
    request: &WriteRequest<'_>,
) -> Response<Body> {
    let options = match DeleteOptions::from_request(request) {
        Ok(options) => options,
        Err(status) => return response::status(&status),
    };
    match delete(store, clock, resource, namespace, name, &options) {
        Ok(Some(Deleted::Removed(last))) if !returns_deleted_object(resource) => {
            let uid = last
                .get("metadata")
                .and_then(|m| m.get("uid"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let status = Status::deleted(resource, name, uid);
            response::json(200, response::JSON, status.to_json())
        }
        Ok(Some(Deleted::Removed(object) | Deleted::Terminating(object))) => response::json(
            200,
            response::JSON,
            serde_json::to_vec(&object).unwrap_or_default(),
        ),
        Ok(None) => response::status(&Status::not_found(resource, name)),
        Err(status) => response::status(&status),
    }
}

/// Pods and namespaces answer a deletion with the object (their registries set
/// `ReturnDeletedObject`); every other kind with a Success Status.
fn returns_deleted_object(resource: &Resource) -> bool {
    resource.group.is_empty() && matches!(resource.plural, "pods" | "namespaces")
}

/// Deletes one object as DELETE does; `Ok(None)` when there is no such object.
pub fn delete(
    store: &Store,
    clock: &Clock,
    resource: &'static Resource,
    namespace: &str,
    name: &str,
    options: &DeleteOptions,
) -> Result<Option<Deleted>, Status> {
    let Some(current) = store.get(resource, namespace, name) else {
        return Ok(None);
    };
    options.check(resource, name, &current)?;
    let is_pod = resource.group.is_empty() && resource.plural == "pods";
    let grace = if is_pod {
        pod_grace_period(&current, options)
    } else {
        GracePlan::Immediate
    };
    if options.dry_run {
        let shown = match grace {
            GracePlan::Mark { seconds } => Deleted::Terminating(object::with_type(
                resource,
                &marked(&current, clock, seconds),
            )),
            GracePlan::Pending => Deleted::Terminating(object::with_type(resource, &current)),
            GracePlan::Immediate => Deleted::Removed(object::with_type(resource, &current)),
        };
        return Ok(Some(shown));
    }
    match grace {
        GracePlan::Immediate => store
            .delete_if(resource, namespace, name, |latest| {
                options.check(resource, name, latest)
            })
            .map(|last| last.map(Deleted::Removed)),
        GracePlan::Pending => Ok(Some(Deleted::Terminating(object::with_type(
            resource, &current,
        )))),
        GracePlan::Mark { seconds } => {
            let outcome = store.modify(resource, namespace, name, |latest| {
                options.check(resource, name, latest)?;
                Ok(marked(latest, clock, seconds))
            });
            match outcome {
                Ok(object) => Ok(object.map(Deleted::Terminating)),
                Err(ModifyError::Refused(status)) => Err(status),
                Err(ModifyError::Invalid(error)) => Err(Status::internal_error(&error.to_string())),
            }
        }
    }
}

/// What a pod's deletion does, as `BeforeDelete` and the pod strategy's
/// `CheckGracefulDelete` decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GracePlan {
    Immediate,
    /// Set `deletionTimestamp` to now + `seconds` (shortening an earlier one).
    Mark {
        seconds: i64,
    },
    /// Already terminating and the request does not shorten it: nothing to do.
    Pending,
}

fn pod_grace_period(pod: &Value, options: &DeleteOptions) -> GracePlan {
    let meta = pod.get("metadata");
    if meta.and_then(|m| m.get("deletionTimestamp")).is_some() {
        let current = meta
            .and_then(|m| m.get("deletionGracePeriodSeconds"))
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if current == 0 {
            return GracePlan::Immediate;
        }
        // Only a shorter grace period may be asked for once deletion started.
        return match options.grace_period_seconds {
            Some(0) => GracePlan::Immediate,
            Some(seconds) if seconds < current => GracePlan::Mark { seconds },
            _ => GracePlan::Pending,
        };
    }
    let mut seconds = options.grace_period_seconds.unwrap_or_else(|| {
        pod.pointer("/spec/terminationGracePeriodSeconds")
            .and_then(Value::as_i64)
            // The API server defaults the field to 30 on creation.
            .unwrap_or(30)
    });
    let unscheduled = pod
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty);
    let phase = pod.pointer("/status/phase").and_then(Value::as_str);
    if unscheduled || matches!(phase, Some("Succeeded" | "Failed")) {
        seconds = 0;
    }
    match seconds {
        0 => GracePlan::Immediate,
        s if s < 0 => GracePlan::Mark { seconds: 1 },
        s => GracePlan::Mark { seconds: s },
    }
}

/// `pod` marked for deletion `seconds` from now (or from the earlier start
/// when a running graceful deletion is shortened).
fn marked(pod: &Value, clock: &Clock, seconds: i64) -> Value {
    let mut pod = pod.clone();
    let start = deletion_start(&pod).unwrap_or_else(|| clock.now());
    let deadline = start
        .checked_add(SignedDuration::from_secs(seconds))
        .unwrap_or(start);
    if let Some(meta) = object::metadata_mut(&mut pod) {
        meta.insert(
            "deletionTimestamp".into(),
            json!(deadline.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
        );
        meta.insert("deletionGracePeriodSeconds".into(), json!(seconds));
    }
    pod
}

/// When a running graceful deletion was requested: its deadline minus its period.
fn deletion_start(pod: &Value) -> Option<Timestamp> {
    let deadline = deletion_deadline(pod)?;
    let period = pod
        .pointer("/metadata/deletionGracePeriodSeconds")
        .and_then(Value::as_i64)?;
    deadline.checked_sub(SignedDuration::from_secs(period)).ok()
}

/// A pod's `metadata.deletionTimestamp`, parsed.
pub fn deletion_deadline(pod: &Value) -> Option<Timestamp> {
    pod.pointer("/metadata/deletionTimestamp")
        .and_then(Value::as_str)?
        .parse()
        .ok()
}

/// Names of the nodes whose Ready condition is True.
fn ready_node_names(store: &Store) -> std::collections::HashSet<String> {
    let Some(nodes) = super::resources::lookup("nodes") else {
        return Default::default();
    };
    store
        .list(nodes, None)
        .iter()
        .filter(|node| {
            node.pointer("/status/conditions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        })
        .map(|node| object::name(node).to_string())
        .collect()
}

/// Removes every pod whose graceful deletion has expired by `now`, as the
/// kubelet confirms a terminated pod with a deletion of grace 0. Returns
/// `namespace/name` of the pods removed.
pub fn finalize_deletions(store: &Store, pods: &'static Resource, now: Timestamp) -> Vec<String> {
    let ready_nodes = ready_node_names(store);
    let mut removed = Vec::new();
    for pod in store.list(pods, None) {
        let expired = deletion_deadline(&pod).is_some_and(|deadline| deadline <= now);
        if !expired {
            continue;
        }
        // Only a running kubelet confirms a deletion: a pod on a lost node stays
        // (kubectl shows it Unknown or Terminating) until the node returns or
        // someone force-deletes it with grace 0.
        let node = pod
            .pointer("/spec/nodeName")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !node.is_empty() && !ready_nodes.contains(node) {
            continue;
        }
        let (namespace, name) = (object::namespace(&pod), object::name(&pod));
        let still_expired = |latest: &Value| {
            if deletion_deadline(latest).is_some_and(|deadline| deadline <= now) {
                Ok(())
            } else {
                Err(())
            }
        };
        if let Ok(Some(_)) = store.delete_if(pods, namespace, name, still_expired) {
            removed.push(format!("{namespace}/{name}"));
        }
    }
    removed
}
