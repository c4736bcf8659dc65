//! What a running drain reports: plain data, no I/O, so the pure timeline model
//! (`model::drain_timeline`) and the headless printer can consume it.

use std::time::Duration;

use jiff::Timestamp;

/// A pod by namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PodKey {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub name: String,
}

impl PodKey {
    /// A key from namespace and name.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        PodKey {
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

impl std::fmt::Display for PodKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// One progress report, stamped with the injected clock's time.
#[derive(Debug, Clone, PartialEq)]
pub struct DrainEvent {
    /// When it happened, from the drain's injected clock.
    pub at: Timestamp,
    /// What happened.
    pub kind: DrainEventKind,
}

/// How a drain ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrainOutcome {
    /// Every pod is gone (or, in a server dry run, every verdict is in).
    Completed,
    /// The `--timeout` passed first.
    TimedOut,
    /// The user cancelled.
    Cancelled,
}

/// The last event of every drain.
#[derive(Debug, Clone, PartialEq)]
pub struct DrainSummary {
    /// Completed, timed out or cancelled.
    pub outcome: DrainOutcome,
    /// Pods evicted and gone (server dry run: evictions the server accepted).
    pub evicted: usize,
    /// Pods deleted and gone (with `disable_eviction`).
    pub deleted: usize,
    /// Pods that were already gone when their turn came (404).
    pub already_gone: usize,
    /// Pods that failed terminally (or cordon failures' pods), with the reason.
    pub failed: Vec<(PodKey, String)>,
    /// Pods still on their node when the drain stopped.
    pub remaining: Vec<PodKey>,
    /// Wall time from start to this summary.
    pub elapsed: Duration,
    /// Whether this was a server dry run.
    pub dry_run: bool,
}

/// Every step a drain reports.
#[derive(Debug, Clone, PartialEq)]
pub enum DrainEventKind {
    /// The job starts: the pods it will evict, in order, with their nodes.
    Planned {
        pods: Vec<(PodKey, String)>,
        dry_run: bool,
    },
    /// Something the user must know that changes nothing (PDBs bypassed).
    Warning { message: String },
    /// The node is cordoned (`already`: it was unschedulable before).
    Cordoned {
        node: String,
        already: bool,
        dry_run: bool,
    },
    /// The cordon was refused; this node's pods are left alone.
    CordonFailed { node: String, message: String },
    /// An eviction request (attempt 1, 2, …) is being sent.
    Evicting {
        pod: PodKey,
        attempt: u32,
        dry_run: bool,
    },
    /// A DELETE is being sent (`disable_eviction`).
    Deleting {
        pod: PodKey,
        grace_period: Option<i64>,
    },
    /// 429: a PodDisruptionBudget forbids it now; retry `retry` at `next_attempt`.
    Blocked {
        pod: PodKey,
        budget: Option<String>,
        /// The Status message (what kubectl prints).
        message: String,
        /// The `DisruptionBudget` cause's message ("needs 3 healthy pods …").
        detail: String,
        retry: u32,
        retry_after: Duration,
        next_attempt: Timestamp,
    },
    /// The server accepted the eviction or delete (dry run: would accept it).
    Accepted {
        pod: PodKey,
        eviction: bool,
        dry_run: bool,
    },
    /// The pod is terminating: `deletionTimestamp` is when its grace ends.
    Terminating {
        pod: PodKey,
        deletion: Timestamp,
        grace_seconds: i64,
    },
    /// The pod is gone (deleted, or replaced by a new pod of the same name).
    Gone { pod: PodKey, eviction: bool },
    /// 404 on the eviction or delete: nothing to do.
    AlreadyGone { pod: PodKey },
    /// A terminal error for this pod, with the server's message.
    Failed { pod: PodKey, message: String },
    /// The pod's controller made a replacement, bound to `node`.
    ReplacementScheduled {
        pod: PodKey,
        replacement: String,
        node: String,
    },
    /// That replacement is Ready.
    ReplacementReady { pod: PodKey, replacement: String },
    /// Every pod of this node is gone.
    NodeDrained { node: String, dry_run: bool },
    /// The timeout passed; `remaining` pods (with their nodes) are still there.
    TimedOut {
        after: Duration,
        remaining: Vec<(PodKey, String)>,
    },
    /// The user cancelled; nodes stay cordoned.
    Cancelled { remaining: Vec<(PodKey, String)> },
    /// The end of the drain.
    Summary(DrainSummary),
}

/// A duration as Go's `time.Duration.String()` prints it (kubectl's wording).
pub fn go_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis == 0 {
        return "0s".to_string();
    }
    if millis < 1000 {
        return format!("{millis}ms");
    }
    let total_seconds = duration.as_secs();
    let fraction = {
        let ms = duration.subsec_millis();
        if ms == 0 {
            String::new()
        } else {
            format!(".{ms:03}").trim_end_matches('0').to_string()
        }
    };
    let (hours, minutes, seconds) = (
        total_seconds / 3600,
        (total_seconds / 60) % 60,
        total_seconds % 60,
    );
    if hours > 0 {
        format!("{hours}h{minutes}m{seconds}{fraction}s")
    } else if minutes > 0 {
        format!("{minutes}m{seconds}{fraction}s")
    } else {
        format!("{seconds}{fraction}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_like_go() {
        assert_eq!(go_duration(Duration::from_secs(5)), "5s");
        assert_eq!(go_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(go_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(go_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(go_duration(Duration::from_secs(3600)), "1h0m0s");
        assert_eq!(go_duration(Duration::ZERO), "0s");
    }
}
