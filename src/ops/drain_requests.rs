//! The two requests that remove a pod, and what their answers mean, as
//! `k8s.io/kubectl/pkg/drain/drain.go` (`evictPods`, `deletePods`) reads them:
//! 201/200 accepted, 404 already gone, 429 blocked by a PodDisruptionBudget
//! (retry), anything else (e.g. 500 "more than one PodDisruptionBudget") a
//! terminal error carrying the server's message.

use crate::cache::pod::Pod;
use jiff::Timestamp;
use kube::Api;
use kube::Resource;
use kube::api::DeleteParams;
use serde_json::json;

use super::cordon::server_message;

/// How the server answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Accepted; a DELETE also returns the terminating pod's deadline and grace.
    Accepted(Option<(Timestamp, i64)>),
    NotFound,
    Blocked {
        budget: Option<String>,
        message: String,
        detail: String,
    },
    Failed(String),
}

/// kubectl's `makeDeleteOptions`: a grace period only when one is given (a
/// negative one means "the pod's own"), `dryRun: ["All"]` for a server dry run.
fn delete_params(grace_period: Option<i64>, dry_run: bool) -> DeleteParams {
    DeleteParams {
        dry_run,
        grace_period_seconds: grace_period
            .filter(|g| *g >= 0)
            .map(|g| u32::try_from(g).unwrap_or(u32::MAX)),
        ..DeleteParams::default()
    }
}

/// POST `pods/{name}/eviction` with the delete options in the body, as kubectl
/// sends it. Built here rather than with `Api::evict`: kube 5 writes the body's
/// options as `delete_options`, a field the API server does not know, so a
/// grace period and, worse, `dryRun` would be silently dropped.
pub async fn evict(
    client: &kube::Client,
    namespace: &str,
    name: &str,
    grace_period: Option<i64>,
    dry_run: bool,
) -> Answer {
    let mut options = serde_json::Map::new();
    if let Some(grace) = grace_period.filter(|g| *g >= 0) {
        options.insert("gracePeriodSeconds".into(), json!(grace));
    }
    if dry_run {
        options.insert("dryRun".into(), json!(["All"]));
    }
    let body = json!({
        "apiVersion": "policy/v1",
        "kind": "Eviction",
        "metadata": {"name": name, "namespace": namespace},
        "deleteOptions": options,
    });
    let path = format!("{}/{name}/eviction", Pod::url_path(&(), Some(namespace)));
    let request = http::Request::post(path)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(&body).unwrap_or_default());
    let request = match request {
        Ok(request) => request,
        Err(error) => return Answer::Failed(error.to_string()),
    };
    match client.request::<kube::core::Status>(request).await {
        Ok(_) => Answer::Accepted(None),
        Err(error) => classify(&error),
    }
}

/// DELETE the pod (`--disable-eviction`): no budget is consulted.
pub async fn delete(
    client: &kube::Client,
    namespace: &str,
    name: &str,
    grace_period: Option<i64>,
    dry_run: bool,
) -> Answer {
    let api: Api<Pod> = Api::namespaced(client.clone(), namespace);
    match api
        .delete(name, &delete_params(grace_period, dry_run))
        .await
    {
        Ok(either) => Answer::Accepted(either.left().and_then(|pod| deletion_of(&pod))),
        Err(error) => classify(&error),
    }
}

/// When a terminating pod's grace ends, and its grace period.
pub fn deletion_of(pod: &Pod) -> Option<(Timestamp, i64)> {
    let deadline = pod.metadata.deletion_timestamp.as_ref()?.0;
    let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(0);
    Some((deadline, grace))
}

fn classify(error: &kube::Error) -> Answer {
    let kube::Error::Api(status) = error else {
        return Answer::Failed(server_message(error));
    };
    match status.code {
        404 => Answer::NotFound,
        429 => {
            let detail = status
                .details
                .as_ref()
                .and_then(|d| d.causes.iter().find(|c| c.reason == "DisruptionBudget"))
                .map(|c| c.message.clone())
                .unwrap_or_default();
            Answer::Blocked {
                budget: budget_name(&detail),
                message: status.message.clone(),
                detail,
            }
        }
        _ => Answer::Failed(server_message(error)),
    }
}

/// The budget a 429 cause names: the eviction handler writes "The disruption
/// budget %s needs …" or "… %s is still being processed by the server."
/// (`pkg/registry/core/pod/storage/eviction.go`).
fn budget_name(detail: &str) -> Option<String> {
    let rest = detail.strip_prefix("The disruption budget ")?;
    let name = rest.split_whitespace().next()?;
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_read_from_the_cause() {
        assert_eq!(
            budget_name("The disruption budget web-pdb needs 3 healthy pods and has 3 currently"),
            Some("web-pdb".to_string())
        );
        assert_eq!(
            budget_name("The disruption budget db is still being processed by the server."),
            Some("db".to_string())
        );
        assert_eq!(budget_name(""), None);
    }

    #[test]
    fn grace_periods_follow_kubectl() {
        assert_eq!(delete_params(Some(-1), false).grace_period_seconds, None);
        assert_eq!(delete_params(Some(0), false).grace_period_seconds, Some(0));
        assert_eq!(delete_params(None, true).grace_period_seconds, None);
        assert!(delete_params(None, true).dry_run);
    }
}
