//! `kubectl drain`'s flags, with kubectl's defaults.

use std::time::Duration;

use serde::Serialize;

use crate::selector::Selector;

/// `--dry-run`: none, client (print only) or server (send with `dryRun=All`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DryRun {
    #[default]
    None,
    Client,
    Server,
}

/// The options of a drain, as `kubectl drain` takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainOptions {
    /// `--ignore-daemonsets`
    pub ignore_daemonsets: bool,
    /// `--delete-emptydir-data`
    pub delete_emptydir_data: bool,
    /// `--force`: also delete pods no controller manages, and orphaned DaemonSet pods.
    pub force: bool,
    /// `--grace-period`; kubectl's -1 (the pod's own) is `None`.
    pub grace_period: Option<i64>,
    /// `--timeout`; kubectl's 0 (wait forever) is `None`.
    pub timeout: Option<Duration>,
    /// `--pod-selector`: only pods it selects are considered at all.
    pub pod_selector: Option<Selector>,
    /// `--disable-eviction`: delete instead of evict, bypassing budgets.
    pub disable_eviction: bool,
    /// `--skip-wait-for-delete-timeout` in seconds; 0 (kubectl's default) never skips.
    pub skip_wait_for_delete_timeout: u64,
    /// `--dry-run`
    pub dry_run: DryRun,
    /// kubesight's pacing (not kubectl flags): evictions in flight at once, and
    /// nodes drained at once when several are marked.
    pub max_concurrent_evictions: usize,
    pub max_concurrent_nodes: usize,
}

impl Default for DrainOptions {
    fn default() -> Self {
        DrainOptions {
            ignore_daemonsets: false,
            delete_emptydir_data: false,
            force: false,
            grace_period: None,
            timeout: None,
            pod_selector: None,
            disable_eviction: false,
            skip_wait_for_delete_timeout: 0,
            dry_run: DryRun::None,
            max_concurrent_evictions: 10,
            max_concurrent_nodes: 1,
        }
    }
}

/// A duration as Go's `time.Duration.String` prints whole seconds: `1h2m3s`, `5m0s`, `30s`.
pub fn go_duration(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

/// A parsed selector written back as `labels.Selector.String()` does.
pub fn selector_string(selector: &Selector) -> String {
    selector.to_kubernetes_string()
}

impl DrainOptions {
    /// The flags that differ from kubectl's defaults, as one would type them.
    pub fn flags(&self) -> Vec<String> {
        let mut flags = Vec::new();
        if self.ignore_daemonsets {
            flags.push("--ignore-daemonsets".into());
        }
        if self.delete_emptydir_data {
            flags.push("--delete-emptydir-data".into());
        }
        if self.force {
            flags.push("--force".into());
        }
        if let Some(g) = self.grace_period {
            flags.push(format!("--grace-period={g}"));
        }
        if let Some(t) = self.timeout {
            flags.push(format!("--timeout={}", go_duration(t)));
        }
        if let Some(s) = &self.pod_selector {
            flags.push(format!("--pod-selector={}", selector_string(s)));
        }
        if self.disable_eviction {
            flags.push("--disable-eviction".into());
        }
        if self.skip_wait_for_delete_timeout > 0 {
            flags.push(format!(
                "--skip-wait-for-delete-timeout={}",
                self.skip_wait_for_delete_timeout
            ));
        }
        let defaults = DrainOptions::default();
        if self.max_concurrent_evictions != defaults.max_concurrent_evictions {
            flags.push(format!(
                "--max-concurrent-evictions={}",
                self.max_concurrent_evictions
            ));
        }
        if self.max_concurrent_nodes != defaults.max_concurrent_nodes {
            flags.push(format!(
                "--max-concurrent-nodes={}",
                self.max_concurrent_nodes
            ));
        }
        match self.dry_run {
            DryRun::None => {}
            DryRun::Client => flags.push("--dry-run=client".into()),
            DryRun::Server => flags.push("--dry-run=server".into()),
        }
        flags
    }
}
