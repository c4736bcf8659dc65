//! A drain as it unfolds: the [`DrainEvent`]s of a running drain folded into
//! each pod's current stage and history, the document the TUI shows, and the
//! kubectl-like line the headless `kubesight drain` prints per event.

use jiff::Timestamp;

use super::age::human_duration;
use super::doc::{Cell, Doc, ObjectRef};
use super::table::Tone;
use crate::cache::Kind;
use crate::ops::drain_event::{
    DrainEvent, DrainEventKind, DrainOutcome, DrainSummary, PodKey, go_duration,
};

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

impl Timeline {
    /// An empty timeline, before the `Planned` event.
    pub fn new() -> Self {
        Timeline::default()
    }

    /// The pod's timeline, if the drain includes it.
    pub fn pod(&self, key: &PodKey) -> Option<&PodTimeline> {
        self.pods.iter().find(|p| &p.pod == key)
    }

    /// Folds one event in.
    pub fn apply(&mut self, event: &DrainEvent) {
        let at = event.at;
        match &event.kind {
            DrainEventKind::Planned { pods, dry_run } => {
                self.started = Some(at);
                self.dry_run = *dry_run;
                for (pod, node) in pods {
                    if !self.nodes.iter().any(|(n, _)| n == node) {
                        self.nodes.push((node.clone(), NodeStage::Waiting));
                    }
                    self.pods.push(PodTimeline {
                        pod: pod.clone(),
                        node: node.clone(),
                        stage: Stage::Planned,
                        replacement: None,
                        history: vec![(at, Step::Stage(Stage::Planned))],
                    });
                }
            }
            DrainEventKind::Warning { message } => self.warnings.push(message.clone()),
            DrainEventKind::Cordoned { node, already, .. } => {
                self.set_node(node, NodeStage::Cordoned { already: *already })
            }
            DrainEventKind::CordonFailed { node, message } => self.set_node(
                node,
                NodeStage::CordonFailed {
                    message: message.clone(),
                },
            ),
            DrainEventKind::NodeDrained { node, .. } => self.set_node(node, NodeStage::Drained),
            DrainEventKind::Evicting { pod, attempt, .. } => {
                self.set_stage(pod, at, Stage::Evicting { attempt: *attempt })
            }
            DrainEventKind::Deleting { pod, .. } => self.set_stage(pod, at, Stage::Deleting),
            DrainEventKind::Blocked {
                pod,
                budget,
                detail,
                retry,
                next_attempt,
                ..
            } => {
                let stage = if self.dry_run {
                    Stage::WouldBlock {
                        budget: budget.clone(),
                        detail: detail.clone(),
                    }
                } else {
                    Stage::Blocked {
                        budget: budget.clone(),
                        detail: detail.clone(),
                        retry: *retry,
                        next_attempt: *next_attempt,
                    }
                };
                self.set_stage(pod, at, stage);
            }
            DrainEventKind::Accepted {
                pod,
                eviction,
                dry_run,
            } => {
                let stage = if *dry_run {
                    Stage::WouldGo {
                        eviction: *eviction,
                    }
                } else {
                    Stage::Accepted {
                        eviction: *eviction,
                    }
                };
                self.set_stage(pod, at, stage);
            }
            DrainEventKind::Terminating {
                pod,
                deletion,
                grace_seconds,
            } => self.set_stage(
                pod,
                at,
                Stage::Terminating {
                    deletion: *deletion,
                    grace_seconds: *grace_seconds,
                },
            ),
            DrainEventKind::Gone { pod, eviction } => {
                self.set_stage(
                    pod,
                    at,
                    Stage::Gone {
                        eviction: *eviction,
                    },
                );
            }
            DrainEventKind::AlreadyGone { pod } => self.set_stage(pod, at, Stage::AlreadyGone),
            DrainEventKind::Failed { pod, message } => self.set_stage(
                pod,
                at,
                Stage::Failed {
                    message: message.clone(),
                },
            ),
            DrainEventKind::ReplacementScheduled {
                pod,
                replacement,
                node,
            } => {
                if let Some(p) = self.pods.iter_mut().find(|p| &p.pod == pod) {
                    p.replacement = Some(Replacement {
                        name: replacement.clone(),
                        node: node.clone(),
                        ready: false,
                    });
                    p.history.push((
                        at,
                        Step::ReplacementScheduled {
                            name: replacement.clone(),
                            node: node.clone(),
                        },
                    ));
                }
            }
            DrainEventKind::ReplacementReady { pod, replacement } => {
                if let Some(p) = self.pods.iter_mut().find(|p| &p.pod == pod) {
                    if let Some(r) = p.replacement.as_mut().filter(|r| &r.name == replacement) {
                        r.ready = true;
                    }
                    p.history.push((
                        at,
                        Step::ReplacementReady {
                            name: replacement.clone(),
                        },
                    ));
                }
            }
            DrainEventKind::TimedOut { remaining, .. } => {
                self.stop_waiting(remaining, at, "timed out")
            }
            DrainEventKind::Cancelled { remaining } => {
                self.stop_waiting(remaining, at, "cancelled")
            }
            DrainEventKind::Summary(summary) => self.summary = Some(summary.clone()),
        }
    }

    fn set_node(&mut self, node: &str, stage: NodeStage) {
        match self.nodes.iter_mut().find(|(n, _)| n == node) {
            Some(entry) => entry.1 = stage,
            None => self.nodes.push((node.to_string(), stage)),
        }
    }

    /// The drain stopped: pods it had not yet got the server to remove stay;
    /// those already evicted or deleted go on terminating and keep their stage.
    fn stop_waiting(&mut self, remaining: &[(PodKey, String)], at: Timestamp, why: &'static str) {
        for (pod, _) in remaining {
            let untouched = self.pod(pod).is_some_and(|p| {
                matches!(
                    p.stage,
                    Stage::Planned
                        | Stage::Evicting { .. }
                        | Stage::Deleting
                        | Stage::Blocked { .. }
                )
            });
            if untouched {
                self.set_stage(pod, at, Stage::LeftInPlace { why });
            }
        }
    }

    fn set_stage(&mut self, pod: &PodKey, at: Timestamp, stage: Stage) {
        if let Some(p) = self.pods.iter_mut().find(|p| &p.pod == pod) {
            p.history.push((at, Step::Stage(stage.clone())));
            p.stage = stage;
        }
    }
}

/// Seconds from `now` until `then`, rounded up, never negative.
fn seconds_until(then: Timestamp, now: Timestamp) -> i64 {
    let millis = then.duration_since(now).as_millis();
    if millis <= 0 {
        0
    } else {
        ((millis + 999) / 1000) as i64
    }
}

fn budget_text(budget: &Option<String>) -> String {
    match budget {
        Some(name) => format!("PDB {name}"),
        None => "a disruption budget".to_string(),
    }
}

/// The stage as the timeline shows it at `now`, with its tone.
pub fn stage_text(stage: &Stage, now: Timestamp) -> (String, Tone) {
    match stage {
        Stage::Planned => ("planned".to_string(), Tone::Muted),
        Stage::Evicting { attempt: 1 } => ("evicting".to_string(), Tone::Progressing),
        Stage::Evicting { attempt } => (format!("evicting (attempt {attempt})"), Tone::Progressing),
        Stage::Deleting => ("deleting".to_string(), Tone::Progressing),
        Stage::Blocked {
            budget,
            retry,
            next_attempt,
            ..
        } => (
            format!(
                "blocked by {} (retry {retry}, next in {}s)",
                budget_text(budget),
                seconds_until(*next_attempt, now)
            ),
            Tone::Warning,
        ),
        Stage::Accepted { eviction: true } => (
            "evicted, awaiting termination".to_string(),
            Tone::Progressing,
        ),
        Stage::Accepted { eviction: false } => (
            "deleted, awaiting termination".to_string(),
            Tone::Progressing,
        ),
        Stage::Terminating {
            deletion,
            grace_seconds,
        } => (
            format!(
                "terminating ({}s of {grace_seconds}s grace left)",
                seconds_until(*deletion, now)
            ),
            Tone::Progressing,
        ),
        Stage::Gone { .. } => ("gone".to_string(), Tone::Good),
        Stage::AlreadyGone => ("already gone".to_string(), Tone::Good),
        Stage::Failed { message } => (format!("failed: {message}"), Tone::Bad),
        Stage::WouldGo { eviction: true } => {
            ("would be evicted (server dry run)".to_string(), Tone::Good)
        }
        Stage::WouldGo { eviction: false } => {
            ("would be deleted (server dry run)".to_string(), Tone::Good)
        }
        Stage::LeftInPlace { why } => (format!("left in place: drain {why}"), Tone::Muted),
        Stage::WouldBlock { budget, .. } => (
            format!(
                "would be blocked by {} (server dry run)",
                budget_text(budget)
            ),
            Tone::Warning,
        ),
    }
}

fn step_text(step: &Step, now: Timestamp) -> String {
    match step {
        Step::Stage(stage) => stage_text(stage, now).0,
        Step::ReplacementScheduled { name, node } => {
            format!("replacement {name} scheduled on node {node}")
        }
        Step::ReplacementReady { name } => format!("replacement {name} Ready"),
    }
}

fn replacement_cell(replacement: &Option<Replacement>) -> Cell {
    match replacement {
        None => (String::new(), Tone::Muted),
        Some(r) if r.ready => (format!("{} Ready on {}", r.name, r.node), Tone::Good),
        Some(r) => (
            format!("{} scheduled on {}", r.name, r.node),
            Tone::Progressing,
        ),
    }
}

fn node_cell(stage: &NodeStage) -> Cell {
    match stage {
        NodeStage::Waiting => ("waiting".to_string(), Tone::Muted),
        NodeStage::Cordoned { already: false } => ("cordoned".to_string(), Tone::Progressing),
        NodeStage::Cordoned { already: true } => {
            ("already cordoned".to_string(), Tone::Progressing)
        }
        NodeStage::CordonFailed { message } => (format!("cordon failed: {message}"), Tone::Bad),
        NodeStage::Drained => ("drained".to_string(), Tone::Good),
    }
}

fn outcome_text(summary: &DrainSummary) -> Cell {
    match summary.outcome {
        DrainOutcome::Completed if summary.failed.is_empty() && summary.remaining.is_empty() => {
            ("completed".to_string(), Tone::Good)
        }
        DrainOutcome::Completed => ("completed with errors".to_string(), Tone::Bad),
        DrainOutcome::TimedOut => ("timed out".to_string(), Tone::Bad),
        DrainOutcome::Cancelled => ("cancelled (nodes stay cordoned)".to_string(), Tone::Warning),
    }
}

/// The drain's document: nodes, one row per pod with its stage and
/// replacement, each pod's history (offsets from the start), and the summary.
pub fn timeline_doc(timeline: &Timeline, now: Timestamp) -> Doc {
    let names: Vec<&str> = timeline.nodes.iter().map(|(n, _)| n.as_str()).collect();
    let mut title = format!("Drain {}", names.join(", "));
    if timeline.dry_run {
        title.push_str(" (server dry run)");
    }
    let mut doc = Doc::new(title);
    doc.heading("Nodes");
    let rows = timeline
        .nodes
        .iter()
        .map(|(node, stage)| {
            (
                vec![(node.clone(), Tone::Normal), node_cell(stage)],
                Some(ObjectRef::new(Kind::Node, "", node.clone())),
            )
        })
        .collect();
    doc.table(&["NODE", "STATE"], rows);
    for warning in &timeline.warnings {
        doc.text(format!("Warning: {warning}"), Tone::Warning);
    }
    doc.heading("Pods");
    let rows = timeline
        .pods
        .iter()
        .map(|p| {
            (
                vec![
                    (p.pod.to_string(), Tone::Normal),
                    (p.node.clone(), Tone::Muted),
                    stage_text(&p.stage, now),
                    replacement_cell(&p.replacement),
                ],
                Some(ObjectRef::new(
                    Kind::Pod,
                    p.pod.namespace.clone(),
                    p.pod.name.clone(),
                )),
            )
        })
        .collect();
    doc.table(&["POD", "NODE", "STAGE", "REPLACEMENT"], rows);
    doc.heading("History");
    let start = timeline.started;
    for p in &timeline.pods {
        doc.link(
            vec![super::doc::Span::new(p.pod.to_string(), Tone::Normal)],
            ObjectRef::new(Kind::Pod, p.pod.namespace.clone(), p.pod.name.clone()),
        );
        for (at, step) in &p.history {
            let offset = start.map(|s| at.duration_since(s).as_secs()).unwrap_or(0);
            doc.text(
                format!("  +{:<6}{}", human_duration(offset), step_text(step, *at)),
                Tone::Muted,
            );
        }
    }
    if let Some(summary) = &timeline.summary {
        doc.heading("Summary");
        let count = |n: usize| (n.to_string(), Tone::Normal);
        doc.fields(&[
            ("Outcome", outcome_text(summary)),
            ("Evicted", count(summary.evicted)),
            ("Deleted", count(summary.deleted)),
            ("Already gone", count(summary.already_gone)),
            ("Failed", count(summary.failed.len())),
            ("Remaining", count(summary.remaining.len())),
            ("Elapsed", (go_duration(summary.elapsed), Tone::Normal)),
        ]);
        for (pod, message) in &summary.failed {
            doc.text(format!("failed {pod}: {message}"), Tone::Bad);
        }
    }
    doc
}

fn dry(dry_run: bool) -> &'static str {
    if dry_run { " (server dry run)" } else { "" }
}

/// Pending pods per node, the way kubectl reports a drain that stopped with an
/// error (`There are pending pods in node …`, then `pod/NAME` lines).
fn pending_lines(reason: &str, remaining: &[(PodKey, String)]) -> String {
    let mut nodes: Vec<&str> = Vec::new();
    for (_, node) in remaining {
        if !nodes.contains(&node.as_str()) {
            nodes.push(node);
        }
    }
    let mut lines = Vec::new();
    for node in nodes {
        lines.push(format!(
            "There are pending pods in node {node:?} when an error occurred: {reason}"
        ));
        for (pod, _) in remaining.iter().filter(|(_, n)| n == node) {
            lines.push(format!("pod/{}", pod.name));
        }
    }
    if lines.is_empty() {
        lines.push(format!("error: {reason}"));
    }
    lines.join("\n")
}

/// The headless `kubesight drain` line for an event, in kubectl's words where
/// kubectl prints one (`k8s.io/kubectl/pkg/cmd/drain/drain.go` and
/// `pkg/drain/drain.go`). Timeouts and cancellations list pending pods on
/// following lines, as kubectl does.
pub fn event_line(event: &DrainEvent) -> String {
    match &event.kind {
        DrainEventKind::Planned { pods, dry_run } => {
            format!("draining {} pods{}", pods.len(), dry(*dry_run))
        }
        DrainEventKind::Warning { message } => format!("Warning: {message}"),
        DrainEventKind::Cordoned {
            node,
            already,
            dry_run,
        } => {
            let already = if *already { "already " } else { "" };
            format!("node/{node} {already}cordoned{}", dry(*dry_run))
        }
        DrainEventKind::CordonFailed { node, message } => {
            format!("error: unable to cordon node {node:?}: {message}")
        }
        DrainEventKind::Evicting { pod, dry_run, .. } => {
            format!("evicting pod {pod}{}", dry(*dry_run))
        }
        DrainEventKind::Deleting { pod, .. } => format!("deleting pod {pod}"),
        DrainEventKind::Blocked {
            pod,
            message,
            retry_after,
            ..
        } if !retry_after.is_zero() => format!(
            "error when evicting pods/{:?} -n {:?} (will retry after {}): {message}",
            pod.name,
            pod.namespace,
            go_duration(*retry_after)
        ),
        DrainEventKind::Blocked { pod, message, .. } => format!(
            "error when evicting pods/{:?} -n {:?}: {message}",
            pod.name, pod.namespace
        ),
        DrainEventKind::Accepted {
            pod,
            eviction,
            dry_run: true,
        } => {
            let verb = if *eviction { "evicted" } else { "deleted" };
            format!("pod/{} {verb} (server dry run)", pod.name)
        }
        DrainEventKind::Accepted { pod, eviction, .. } => {
            let what = if *eviction { "eviction" } else { "deletion" };
            format!("{what} of pod {pod} accepted")
        }
        DrainEventKind::Terminating {
            pod, grace_seconds, ..
        } => format!(
            "pod/{} terminating (grace period {grace_seconds}s)",
            pod.name
        ),
        DrainEventKind::Gone { pod, eviction } => {
            let verb = if *eviction { "evicted" } else { "deleted" };
            format!("pod/{} {verb}", pod.name)
        }
        DrainEventKind::AlreadyGone { pod } => format!("pod/{} already gone", pod.name),
        DrainEventKind::Failed { pod, message } => format!(
            "error when evicting pods/{:?} -n {:?}: {message}",
            pod.name, pod.namespace
        ),
        DrainEventKind::ReplacementScheduled {
            pod,
            replacement,
            node,
        } => format!(
            "pod/{}: replacement pod/{replacement} scheduled on node/{node}",
            pod.name
        ),
        DrainEventKind::ReplacementReady { pod, replacement } => {
            format!("pod/{}: replacement pod/{replacement} Ready", pod.name)
        }
        DrainEventKind::NodeDrained { node, dry_run } => {
            format!("node/{node} drained{}", dry(*dry_run))
        }
        DrainEventKind::TimedOut { after, remaining } => pending_lines(
            &format!("global timeout reached: {}", go_duration(*after)),
            remaining,
        ),
        DrainEventKind::Cancelled { remaining } => {
            pending_lines("drain cancelled; nodes stay cordoned", remaining)
        }
        DrainEventKind::Summary(s) => format!(
            "drain {}{} in {}: {} evicted, {} deleted, {} already gone, {} failed, {} remaining",
            match s.outcome {
                DrainOutcome::Completed => "completed",
                DrainOutcome::TimedOut => "timed out",
                DrainOutcome::Cancelled => "cancelled",
            },
            dry(s.dry_run),
            go_duration(s.elapsed),
            s.evicted,
            s.deleted,
            s.already_gone,
            s.failed.len(),
            s.remaining.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn t(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_795_000_000 + seconds).expect("a valid instant")
    }

    fn web() -> PodKey {
        PodKey::new("shop", "web-1")
    }

    fn ev(seconds: i64, kind: DrainEventKind) -> DrainEvent {
        DrainEvent {
            at: t(seconds),
            kind,
        }
    }

    fn blocked(seconds: i64, retry: u32, after: u64) -> DrainEvent {
        ev(
            seconds,
            DrainEventKind::Blocked {
                pod: web(),
                budget: Some("web-pdb".into()),
                message: "Cannot evict pod as it would violate the pod's disruption budget.".into(),
                detail: "The disruption budget web-pdb needs 3 healthy pods and has 3 currently"
                    .into(),
                retry,
                retry_after: Duration::from_secs(after),
                next_attempt: t(seconds + after as i64),
            },
        )
    }

    fn story() -> Vec<DrainEvent> {
        vec![
            ev(
                0,
                DrainEventKind::Planned {
                    pods: vec![(web(), "n1".into())],
                    dry_run: false,
                },
            ),
            ev(
                0,
                DrainEventKind::Cordoned {
                    node: "n1".into(),
                    already: false,
                    dry_run: false,
                },
            ),
            ev(
                0,
                DrainEventKind::Evicting {
                    pod: web(),
                    attempt: 1,
                    dry_run: false,
                },
            ),
            blocked(0, 1, 1),
            ev(
                1,
                DrainEventKind::Evicting {
                    pod: web(),
                    attempt: 2,
                    dry_run: false,
                },
            ),
            blocked(1, 2, 2),
            ev(
                3,
                DrainEventKind::Evicting {
                    pod: web(),
                    attempt: 3,
                    dry_run: false,
                },
            ),
            ev(
                3,
                DrainEventKind::Accepted {
                    pod: web(),
                    eviction: true,
                    dry_run: false,
                },
            ),
            ev(
                3,
                DrainEventKind::Terminating {
                    pod: web(),
                    deletion: t(33),
                    grace_seconds: 30,
                },
            ),
            ev(
                4,
                DrainEventKind::ReplacementScheduled {
                    pod: web(),
                    replacement: "web-2".into(),
                    node: "n2".into(),
                },
            ),
            ev(
                33,
                DrainEventKind::Gone {
                    pod: web(),
                    eviction: true,
                },
            ),
            ev(
                35,
                DrainEventKind::ReplacementReady {
                    pod: web(),
                    replacement: "web-2".into(),
                },
            ),
            ev(
                35,
                DrainEventKind::NodeDrained {
                    node: "n1".into(),
                    dry_run: false,
                },
            ),
        ]
    }

    #[test]
    fn stages_follow_the_events() {
        let mut timeline = Timeline::new();
        let events = story();
        for event in &events[..4] {
            timeline.apply(event);
        }
        let pod = timeline.pod(&web()).expect("the pod");
        assert_eq!(
            stage_text(&pod.stage, t(0)).0,
            "blocked by PDB web-pdb (retry 1, next in 1s)"
        );
        for event in &events[4..9] {
            timeline.apply(event);
        }
        let pod = timeline.pod(&web()).expect("the pod");
        assert_eq!(
            stage_text(&pod.stage, t(10)).0,
            "terminating (23s of 30s grace left)"
        );
        for event in &events[9..] {
            timeline.apply(event);
        }
        let pod = timeline.pod(&web()).expect("the pod");
        assert_eq!(pod.stage, Stage::Gone { eviction: true });
        assert_eq!(
            pod.replacement,
            Some(Replacement {
                name: "web-2".into(),
                node: "n2".into(),
                ready: true
            })
        );
        assert_eq!(pod.history.len(), 11);
        assert_eq!(timeline.nodes, vec![("n1".to_string(), NodeStage::Drained)]);
    }

    #[test]
    fn the_document_shows_stages_history_and_summary() {
        let mut timeline = Timeline::new();
        for event in story() {
            timeline.apply(&event);
        }
        timeline.apply(&ev(
            35,
            DrainEventKind::Summary(DrainSummary {
                outcome: DrainOutcome::Completed,
                evicted: 1,
                deleted: 0,
                already_gone: 0,
                failed: vec![],
                remaining: vec![],
                elapsed: Duration::from_millis(35_200),
                dry_run: false,
            }),
        ));
        let doc = timeline_doc(&timeline, t(40));
        assert_eq!(
            doc.to_text(),
            "\
Nodes
NODE  STATE
n1    drained

Pods
POD         NODE  STAGE  REPLACEMENT
shop/web-1  n1    gone   web-2 Ready on n2

History
shop/web-1
  +0s    planned
  +0s    evicting
  +0s    blocked by PDB web-pdb (retry 1, next in 1s)
  +1s    evicting (attempt 2)
  +1s    blocked by PDB web-pdb (retry 2, next in 2s)
  +3s    evicting (attempt 3)
  +3s    evicted, awaiting termination
  +3s    terminating (30s of 30s grace left)
  +4s    replacement web-2 scheduled on node n2
  +33s   gone
  +35s   replacement web-2 Ready

Summary
Outcome:      completed
Evicted:      1
Deleted:      0
Already gone: 0
Failed:       0
Remaining:    0
Elapsed:      35.2s
"
        );
        assert_eq!(doc.title, "Drain n1");
        assert_eq!(
            doc.lines[2].target,
            Some(ObjectRef::new(Kind::Node, "", "n1"))
        );
    }

    #[test]
    fn lines_match_kubectl() {
        let lines: Vec<String> = story().iter().map(event_line).collect();
        assert_eq!(
            lines,
            vec![
                "draining 1 pods",
                "node/n1 cordoned",
                "evicting pod shop/web-1",
                "error when evicting pods/\"web-1\" -n \"shop\" (will retry after 1s): Cannot evict pod as it would violate the pod's disruption budget.",
                "evicting pod shop/web-1",
                "error when evicting pods/\"web-1\" -n \"shop\" (will retry after 2s): Cannot evict pod as it would violate the pod's disruption budget.",
                "evicting pod shop/web-1",
                "eviction of pod shop/web-1 accepted",
                "pod/web-1 terminating (grace period 30s)",
                "pod/web-1: replacement pod/web-2 scheduled on node/n2",
                "pod/web-1 evicted",
                "pod/web-1: replacement pod/web-2 Ready",
                "node/n1 drained",
            ]
        );
        let timed_out = ev(
            8,
            DrainEventKind::TimedOut {
                after: Duration::from_secs(8),
                remaining: vec![
                    (web(), "n1".into()),
                    (PodKey::new("shop", "web-3"), "n1".into()),
                ],
            },
        );
        assert_eq!(
            event_line(&timed_out),
            "There are pending pods in node \"n1\" when an error occurred: global timeout reached: 8s\npod/web-1\npod/web-3"
        );
        let dry = ev(
            0,
            DrainEventKind::Cordoned {
                node: "node-46".into(),
                already: false,
                dry_run: true,
            },
        );
        assert_eq!(event_line(&dry), "node/node-46 cordoned (server dry run)");
    }

    #[test]
    fn a_dry_run_shows_verdicts() {
        let mut timeline = Timeline::new();
        let db = PodKey::new("shop", "db-0");
        let events = vec![
            ev(
                0,
                DrainEventKind::Planned {
                    pods: vec![(web(), "n1".into()), (db.clone(), "n1".into())],
                    dry_run: true,
                },
            ),
            ev(
                0,
                DrainEventKind::Accepted {
                    pod: web(),
                    eviction: true,
                    dry_run: true,
                },
            ),
            ev(
                0,
                DrainEventKind::Blocked {
                    pod: db.clone(),
                    budget: None,
                    message: "Cannot evict pod as it would violate the pod's disruption budget."
                        .into(),
                    detail: String::new(),
                    retry: 0,
                    retry_after: Duration::ZERO,
                    next_attempt: t(0),
                },
            ),
        ];
        for event in &events {
            timeline.apply(event);
        }
        let texts: Vec<String> = timeline
            .pods
            .iter()
            .map(|p| stage_text(&p.stage, t(1)).0)
            .collect();
        assert_eq!(
            texts,
            [
                "would be evicted (server dry run)",
                "would be blocked by a disruption budget (server dry run)"
            ]
        );
        assert_eq!(
            timeline_doc(&timeline, t(1)).title,
            "Drain n1 (server dry run)"
        );
        assert_eq!(
            event_line(&events[2]),
            "error when evicting pods/\"db-0\" -n \"shop\": Cannot evict pod as it would violate the pod's disruption budget."
        );
    }

    #[test]
    fn a_cancel_leaves_untouched_pods_in_place_and_evicted_ones_terminating() {
        let api = PodKey::new("shop", "api-1");
        let mut timeline = Timeline::new();
        for event in [
            ev(
                0,
                DrainEventKind::Planned {
                    pods: vec![(web(), "n1".into()), (api.clone(), "n1".into())],
                    dry_run: false,
                },
            ),
            ev(
                1,
                DrainEventKind::Terminating {
                    pod: api.clone(),
                    deletion: t(31),
                    grace_seconds: 30,
                },
            ),
            blocked(2, 1, 4),
            ev(
                3,
                DrainEventKind::Cancelled {
                    remaining: vec![(web(), "n1".into()), (api.clone(), "n1".into())],
                },
            ),
        ] {
            timeline.apply(&event);
        }
        let stage = |key: &PodKey| stage_text(&timeline.pod(key).expect("planned").stage, t(3)).0;
        assert_eq!(stage(&web()), "left in place: drain cancelled");
        assert_eq!(stage(&api), "terminating (28s of 30s grace left)");
    }
}
