//! kubectl's drain filters (`k8s.io/kubectl/pkg/drain/filters.go`), in kubectl's
//! order: skipDeleted, daemonSet, mirrorPod, localStorage, unreplicated. A pod
//! runs through them until one says "do not delete"; the status kubectl keeps is
//! the *last* filter's, so a warning from an earlier filter is dropped when a
//! later one says Okay (kubectl's own TODO in `localStorageFilter`).

use crate::cluster::pod::Pod;
use jiff::Timestamp;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use serde::Serialize;

use super::options::DrainOptions;
use crate::age::whole_seconds_between;

/// filters.go `daemonSetFatal`, verbatim.
pub const DAEMONSET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
/// filters.go `daemonSetWarning`.
pub const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
/// filters.go `localStorageFatal`.
pub const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
/// filters.go `localStorageWarning`.
pub const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
/// filters.go `unmanagedFatal`.
pub const UNMANAGED_FATAL: &str = "Pods that declare no controller (use --force to override)";
/// filters.go `unmanagedWarning`.
pub const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";

/// The annotation the kubelet puts on mirror pods of static pods.
pub const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// `PodDeleteStatus.Reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum KubectlStatus {
    Okay,
    Skip,
    Warning,
    Error,
}

/// Which filter case decided, for our reasons and counts (kubectl itself only
/// keeps the last status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FilterCase {
    /// Nothing stands in the way.
    Plain,
    /// Succeeded or Failed: always deletable, budgets ignored.
    Finished,
    /// Already terminating, not yet past `--skip-wait-for-delete-timeout`.
    Terminating,
    /// Terminating for longer than `--skip-wait-for-delete-timeout`.
    DeletedLongAgo,
    DaemonSetIgnored,
    DaemonSetRefused,
    OrphanedDaemonSetForced,
    OrphanedDaemonSetRefused,
    Mirror,
    EmptyDirDeleted,
    EmptyDirRefused,
    UnmanagedForced,
    UnmanagedRefused,
}

/// The outcome of the filter chain for one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filtered {
    /// Whether kubectl deletes (evicts) the pod.
    pub delete: bool,
    pub status: KubectlStatus,
    /// kubectl's message of the last filter run (empty for Okay/Skip).
    pub message: String,
    /// Every remarkable case met, in filter order; when the chain stopped, the
    /// last one is the filter that stopped it. Never empty.
    pub cases: Vec<FilterCase>,
    /// Names of the pod's emptyDir volumes.
    pub emptydir_volumes: Vec<String>,
}

/// `metav1.GetControllerOf`: the owner reference with `controller: true`.
pub fn controller_of(pod: &Pod) -> Option<&OwnerReference> {
    pod.metadata
        .owner_references
        .as_ref()?
        .iter()
        .find(|r| r.controller == Some(true))
}

fn is_finished(pod: &Pod) -> bool {
    matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// The names of `pod`'s emptyDir volumes (`hasLocalStorage`).
pub fn emptydir_volumes(pod: &Pod) -> Vec<String> {
    pod.spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .into_iter()
        .flatten()
        .filter(|v| v.empty_dir.is_some())
        .map(|v| v.name.clone())
        .collect()
}

struct Step {
    delete: bool,
    status: KubectlStatus,
    message: String,
    case: Option<FilterCase>,
}

fn okay() -> Step {
    Step {
        delete: true,
        status: KubectlStatus::Okay,
        message: String::new(),
        case: None,
    }
}

fn step(delete: bool, status: KubectlStatus, message: &str, case: FilterCase) -> Step {
    Step {
        delete,
        status,
        message: message.to_string(),
        case: Some(case),
    }
}

/// Runs kubectl's filters over `pod`. `daemon_set_exists(namespace, name)`
/// answers kubectl's GET of the controlling DaemonSet.
pub fn filter_pod(
    pod: &Pod,
    options: &DrainOptions,
    daemon_set_exists: &dyn Fn(&str, &str) -> bool,
    now: Timestamp,
) -> Filtered {
    let volumes = emptydir_volumes(pod);
    let filters: [&dyn Fn() -> Step; 5] = [
        &|| skip_deleted(pod, options, now),
        &|| daemon_set(pod, options, daemon_set_exists),
        &|| mirror(pod),
        &|| local_storage(pod, options, !volumes.is_empty()),
        &|| unreplicated(pod, options),
    ];
    let mut last = okay();
    let mut cases = Vec::new();
    for filter in filters {
        last = filter();
        cases.extend(last.case.clone());
        if !last.delete {
            break;
        }
    }
    if cases.is_empty() {
        cases.push(if is_finished(pod) {
            FilterCase::Finished
        } else if pod.metadata.deletion_timestamp.is_some() {
            FilterCase::Terminating
        } else {
            FilterCase::Plain
        });
    }
    Filtered {
        delete: last.delete,
        status: last.status,
        message: last.message,
        cases,
        emptydir_volumes: volumes,
    }
}

/// `skipDeletedFilter`: only with a positive `--skip-wait-for-delete-timeout`,
/// a pod deleted more than that many whole seconds ago is skipped.
fn skip_deleted(pod: &Pod, options: &DrainOptions, now: Timestamp) -> Step {
    let timeout = options.skip_wait_for_delete_timeout;
    if let Some(deleted) = pod.metadata.deletion_timestamp.as_ref()
        && timeout > 0
        && whole_seconds_between(deleted.0, now) > timeout as i64
    {
        return step(false, KubectlStatus::Skip, "", FilterCase::DeletedLongAgo);
    }
    okay()
}

/// `daemonSetFilter`.
fn daemon_set(
    pod: &Pod,
    options: &DrainOptions,
    daemon_set_exists: &dyn Fn(&str, &str) -> bool,
) -> Step {
    let Some(owner) = controller_of(pod) else {
        return okay();
    };
    if owner.kind != "DaemonSet" || owner.api_version != "apps/v1" {
        return okay();
    }
    if is_finished(pod) {
        return okay();
    }
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    if !daemon_set_exists(namespace, &owner.name) {
        // The message is the NotFound error of kubectl's GET.
        let not_found = format!("daemonsets.apps \"{}\" not found", owner.name);
        return if options.force {
            step(
                true,
                KubectlStatus::Warning,
                &not_found,
                FilterCase::OrphanedDaemonSetForced,
            )
        } else {
            step(
                false,
                KubectlStatus::Error,
                &not_found,
                FilterCase::OrphanedDaemonSetRefused,
            )
        };
    }
    if !options.ignore_daemonsets {
        return step(
            false,
            KubectlStatus::Error,
            DAEMONSET_FATAL,
            FilterCase::DaemonSetRefused,
        );
    }
    step(
        false,
        KubectlStatus::Warning,
        DAEMONSET_WARNING,
        FilterCase::DaemonSetIgnored,
    )
}

/// `mirrorPodFilter`.
fn mirror(pod: &Pod) -> Step {
    let mirrored = pod
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(MIRROR_POD_ANNOTATION));
    if mirrored {
        return step(false, KubectlStatus::Skip, "", FilterCase::Mirror);
    }
    okay()
}

/// `localStorageFilter`.
fn local_storage(pod: &Pod, options: &DrainOptions, has_emptydir: bool) -> Step {
    if !has_emptydir || is_finished(pod) {
        return okay();
    }
    if !options.delete_emptydir_data {
        return step(
            false,
            KubectlStatus::Error,
            LOCAL_STORAGE_FATAL,
            FilterCase::EmptyDirRefused,
        );
    }
    step(
        true,
        KubectlStatus::Warning,
        LOCAL_STORAGE_WARNING,
        FilterCase::EmptyDirDeleted,
    )
}

/// `unreplicatedFilter`.
fn unreplicated(pod: &Pod, options: &DrainOptions) -> Step {
    if is_finished(pod) || controller_of(pod).is_some() {
        return okay();
    }
    if options.force {
        return step(
            true,
            KubectlStatus::Warning,
            UNMANAGED_WARNING,
            FilterCase::UnmanagedForced,
        );
    }
    step(
        false,
        KubectlStatus::Error,
        UNMANAGED_FATAL,
        FilterCase::UnmanagedRefused,
    )
}
