//! `POST pods/{name}/eviction`, as the eviction REST handler of
//! `pkg/registry/core/pod/storage/eviction.go` answers it: a pod that is
//! already terminating, or Pending, Succeeded or Failed, is deleted without
//! consulting budgets; otherwise the PodDisruptionBudgets of the pod's
//! namespace that select it decide: none → delete (201 Success, `wire/34`), more
//! than one → 500 (`wire/32`), one → its `status.disruptionsAllowed` is checked
//! and decremented, the pod recorded in `status.disruptedPods`, and the pod
//! deleted; no disruption left → 429 naming the budget (`wire/30`). Unready pods
//! follow the budget's `unhealthyPodEvictionPolicy`. Keeping budget status
//! current over time is the disruption controller's part, not this handler's.

use http::Response;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::{Value, json};

use super::delete::{self, DeleteOptions};
use super::metadata::timestamp;
use super::object;
use super::resources::{self, Resource};
use super::response::{self, Body};
use super::status::Status;
use super::store::{ModifyError, Store};
use super::write_request::WriteRequest;
use kubesight_model::clock::Clock;
use kubesight_model::selector::from_label_selector;

const MORE_THAN_ONE_BUDGET: &str = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

pub fn respond(
    store: &Store,
    clock: &Clock,
    pods: &'static Resource,
    namespace: &str,
    name: &str,
    request: &WriteRequest<'_>,
) -> Response<Body> {
    let eviction = match request.json_body() {
        Ok(body) => body.unwrap_or(Value::Null),
        Err(status) => return response::status(&status),
    };
    if let Some(evicted) = eviction.pointer("/metadata/name").and_then(Value::as_str)
        && evicted != name
    {
        return response::status(&Status::bad_request(
            "name in URL does not match name in Eviction object",
        ));
    }
    let mut options = eviction
        .get("deleteOptions")
        .map(DeleteOptions::from_json)
        .unwrap_or_default();
    options.dry_run |= request.dry_run();
    match evict(store, clock, pods, namespace, name, &options) {
        Ok(()) => response::json(201, response::JSON, Status::success(201).to_json()),
        Err(status) => response::status(&status),
    }
}

fn evict(
    store: &Store,
    clock: &Clock,
    pods: &'static Resource,
    namespace: &str,
    name: &str,
    options: &DeleteOptions,
) -> Result<(), Status> {
    let Some(pod) = store.get(pods, namespace, name) else {
        return Err(Status::not_found(pods, name));
    };
    let delete_pod = || match delete::delete(store, clock, pods, namespace, name, options)? {
        Some(_) => Ok(()),
        None => Err(Status::not_found(pods, name)),
    };
    if can_ignore_budgets(&pod) {
        return delete_pod();
    }
    let Some(budgets) = resources::lookup("poddisruptionbudgets") else {
        return delete_pod();
    };
    let matching: Vec<Value> = store
        .list(budgets, Some(namespace))
        .into_iter()
        .filter(|budget| selects(budget, &pod))
        .collect();
    let budget = match matching.as_slice() {
        [] => return delete_pod(),
        [one] => one,
        _ => return Err(Status::bare_failure(500, MORE_THAN_ONE_BUDGET)),
    };
    if !is_ready(&pod) && unhealthy_pod_may_go(budget) {
        // An unready pod does not count towards the budget: deleting it
        // disrupts nothing, so no disruption is consumed.
        return delete_pod();
    }
    let budget_name = object::name(budget).to_string();
    let now = timestamp(clock);
    let decremented = if options.dry_run {
        check_and_decrement(budget, name, &now, true).map(|_| ())
    } else {
        match store.modify(budgets, namespace, &budget_name, |latest| {
            check_and_decrement(latest, name, &now, false)
        }) {
            Ok(_) => Ok(()),
            Err(ModifyError::Refused(status)) => Err(status),
            Err(ModifyError::Invalid(error)) => Err(Status::internal_error(&error.to_string())),
        }
    };
    decremented?;
    delete_pod()
}

/// `canIgnorePDB`: a terminating pod, or one not running (Pending, Succeeded,
/// Failed), disrupts nothing more by going.
fn can_ignore_budgets(pod: &Value) -> bool {
    let terminating = pod.pointer("/metadata/deletionTimestamp").is_some();
    let phase = pod.pointer("/status/phase").and_then(Value::as_str);
    terminating || matches!(phase, Some("Pending" | "Succeeded" | "Failed"))
}

/// Whether `budget`'s selector selects `pod`. An empty selector selects every
/// pod of the namespace in policy/v1; an unparsable one selects none.
fn selects(budget: &Value, pod: &Value) -> bool {
    let Some(selector) = budget.pointer("/spec/selector") else {
        return false;
    };
    let Ok(selector) = serde_json::from_value::<LabelSelector>(selector.clone()) else {
        return false;
    };
    from_label_selector(&selector).is_ok_and(|s| s.matches(&object::labels(pod)))
}

/// `podutil.IsPodReady`: the `Ready` condition is `True`.
fn is_ready(pod: &Value) -> bool {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| c.get("type") == Some(&json!("Ready")) && c.get("status") == Some(&json!("True")))
}

/// Whether an unready pod may be evicted without consuming a disruption:
/// always with `AlwaysAllow`; with `IfHealthyBudget` (the default) when the
/// budget is currently met.
fn unhealthy_pod_may_go(budget: &Value) -> bool {
    let policy = budget
        .pointer("/spec/unhealthyPodEvictionPolicy")
        .and_then(Value::as_str);
    if policy == Some("AlwaysAllow") {
        return true;
    }
    let current = status_int(budget, "currentHealthy");
    let desired = status_int(budget, "desiredHealthy");
    current >= desired && desired > 0
}

fn status_int(budget: &Value, field: &str) -> i64 {
    budget
        .get("status")
        .and_then(|s| s.get(field))
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// `checkAndDecrement`: the budget's status with one disruption consumed by
/// `pod`, or the 429 saying why none may be.
fn check_and_decrement(
    budget: &Value,
    pod: &str,
    now: &str,
    dry_run: bool,
) -> Result<Value, Status> {
    let name = object::name(budget);
    let generation = budget
        .pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let observed = status_int(budget, "observedGeneration");
    if observed < generation {
        return Err(Status::disruption_budget(format!(
            "The disruption budget {name} is still being processed by the server."
        )));
    }
    let allowed = status_int(budget, "disruptionsAllowed");
    if allowed < 0 {
        return Err(Status::forbidden_budget(
            name,
            "pdb disruptions allowed is negative",
        ));
    }
    if allowed == 0 {
        return Err(Status::disruption_budget(format!(
            "The disruption budget {name} needs {} healthy pods and has {} currently",
            status_int(budget, "desiredHealthy"),
            status_int(budget, "currentHealthy")
        )));
    }
    let mut updated = budget.clone();
    let Some(status) = updated.get_mut("status").and_then(Value::as_object_mut) else {
        return Err(Status::internal_error(
            "the PodDisruptionBudget has no status",
        ));
    };
    status.insert("disruptionsAllowed".into(), json!(allowed - 1));
    if allowed - 1 == 0 {
        set_disruption_allowed_false(status, now, observed);
    }
    if !dry_run {
        let disrupted = status.entry("disruptedPods").or_insert_with(|| json!({}));
        if let Some(disrupted) = disrupted.as_object_mut() {
            disrupted.insert(pod.to_string(), json!(now));
        }
    }
    Ok(updated)
}

/// `UpdateDisruptionAllowedCondition` with no disruption left: the
/// `DisruptionAllowed` condition becomes False/InsufficientPods, its transition
/// time moving only when its status changes (`SetStatusCondition`).
fn set_disruption_allowed_false(
    status: &mut serde_json::Map<String, Value>,
    now: &str,
    observed_generation: i64,
) {
    let conditions = status.entry("conditions").or_insert_with(|| json!([]));
    let Some(conditions) = conditions.as_array_mut() else {
        return;
    };
    let existing = conditions
        .iter_mut()
        .find(|c| c.get("type") == Some(&json!("DisruptionAllowed")));
    match existing {
        Some(condition) => {
            if condition.get("status") != Some(&json!("False")) {
                condition["lastTransitionTime"] = json!(now);
            }
            condition["status"] = json!("False");
            condition["reason"] = json!("InsufficientPods");
            condition["observedGeneration"] = json!(observed_generation);
        }
        None => conditions.push(json!({
            "type": "DisruptionAllowed",
            "status": "False",
            "observedGeneration": observed_generation,
            "lastTransitionTime": now,
            "reason": "InsufficientPods",
            "message": "",
        })),
    }
}
