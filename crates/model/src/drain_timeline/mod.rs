//! A drain as it unfolds: the [`DrainEvent`](crate::drain_event::DrainEvent)s of
//! a running drain folded into each pod's current stage and history ([`fold`]),
//! the document the TUI shows ([`view`]), and the kubectl-like line the headless
//! `kubesight drain` prints per event ([`lines`]).

mod fold;
mod lines;
mod view;

use jiff::Timestamp;

use crate::drain_event::{DrainSummary, PodKey};

pub use lines::event_line;
pub use view::{stage_text, timeline_doc};

/// Where one pod stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// In the plan, not yet touched.
    Planned,
    /// An eviction request is in flight (attempt 1, 2, …).
    Evicting { attempt: u32 },
    /// A DELETE is in flight (`disable_eviction`).
    Deleting,
    /// A PodDisruptionBudget refused; retry `retry` is due at `next_attempt`.
    Blocked {
        budget: Option<String>,
        detail: String,
        retry: u32,
        next_attempt: Timestamp,
    },
    /// The server accepted the eviction or delete; termination not yet seen.
    Accepted { eviction: bool },
    /// Terminating until `deletion` (its grace period: `grace_seconds`).
    Terminating {
        deletion: Timestamp,
        grace_seconds: i64,
    },
    /// Gone: deleted, or its name now belongs to a new pod.
    Gone { eviction: bool },
    /// It was gone before its turn (404).
    AlreadyGone,
    /// A terminal error, with the server's message.
    Failed { message: String },
    /// Server dry run: the server would accept it.
    WouldGo { eviction: bool },
    /// Server dry run: a budget would block it.
    WouldBlock {
        budget: Option<String>,
        detail: String,
    },
    /// The drain stopped (cancelled or timed out) with the pod still there.
    LeftInPlace { why: &'static str },
}

/// The replacement a pod's controller made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The new pod's name.
    pub name: String,
    /// The node it was bound to.
    pub node: String,
    /// Whether it is Ready.
    pub ready: bool,
}

/// One step of a pod's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The pod itself moved to this stage.
    Stage(Stage),
    /// Its replacement was bound to `node`.
    ReplacementScheduled { name: String, node: String },
    /// Its replacement became Ready.
    ReplacementReady { name: String },
}

/// One pod's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodTimeline {
    /// The pod.
    pub pod: PodKey,
    /// The node it is drained from.
    pub node: String,
    /// Where it stands now.
    pub stage: Stage,
    /// Its controller's replacement, once seen.
    pub replacement: Option<Replacement>,
    /// Every step, with its time.
    pub history: Vec<(Timestamp, Step)>,
}

/// One node's state in the drain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeStage {
    /// Not cordoned yet.
    Waiting,
    /// Cordoned (`already`: it was unschedulable before).
    Cordoned { already: bool },
    /// The cordon was refused; its pods stay.
    CordonFailed { message: String },
    /// Every pod is gone.
    Drained,
}

/// The whole drain, fed event by event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// When the drain was planned (its first event).
    pub started: Option<Timestamp>,
    /// Whether this is a server dry run.
    pub dry_run: bool,
    /// Each node and its state, in drain order.
    pub nodes: Vec<(String, NodeStage)>,
    /// Each pod's timeline, in plan order.
    pub pods: Vec<PodTimeline>,
    /// Warnings to show above the pods.
    pub warnings: Vec<String>,
    /// The end, once reached.
    pub summary: Option<DrainSummary>,
}

#[cfg(test)]
mod tests;
