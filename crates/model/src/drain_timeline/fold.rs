//! Folding events into the timeline: each event moves a pod (or a node) to its
//! next stage and appends to its history.

use jiff::Timestamp;

use super::{NodeStage, PodTimeline, Replacement, Stage, Step, Timeline};
use crate::drain_event::{DrainEvent, DrainEventKind, PodKey};

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

    /// After the drain stopped (cancelled, timed out) nothing reports on the
    /// pods it had the server remove, so the cache does: a pod no longer
    /// there, or whose name a pod created after the removal now holds (a
    /// StatefulSet's replacement), is gone. `created` gives the creation time
    /// of the pod of that name in the cache, `None` when there is none.
    pub fn settle_after_end(
        &mut self,
        at: Timestamp,
        created: impl Fn(&PodKey) -> Option<Timestamp>,
    ) {
        if self.summary.is_none() {
            return;
        }
        let gone: Vec<(PodKey, bool)> = self
            .pods
            .iter()
            .filter_map(|p| {
                let removed_at = p.history.iter().find_map(|(at, step)| match step {
                    Step::Stage(Stage::Accepted { .. } | Stage::Terminating { .. }) => Some(*at),
                    _ => None,
                })?;
                let eviction = !p.history.iter().any(|(_, step)| {
                    matches!(step, Step::Stage(Stage::Accepted { eviction: false }))
                });
                let waiting = matches!(p.stage, Stage::Accepted { .. } | Stage::Terminating { .. });
                let still_there = created(&p.pod).is_some_and(|c| c <= removed_at);
                (waiting && !still_there).then(|| (p.pod.clone(), eviction))
            })
            .collect();
        for (pod, eviction) in gone {
            self.set_stage(&pod, at, Stage::Gone { eviction });
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
