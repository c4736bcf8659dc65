//! The body of a drain task (see `drain.rs` for the semantics). One task, no
//! spawned children: node groups, per-pod eviction loops and the pod watch are
//! futures polled together, so cancelling or timing out is dropping them.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures::future::join_all;
use tokio::sync::{Semaphore, mpsc, watch};

use super::WriteGate;
use super::cordon::{self, CordonOutcome};
use super::drain::{DrainJob, DrainOptions};
use super::drain_observe::{self, Entry, Stage};
use super::drain_requests::{self, Answer};
use super::pod_watch::{self, PodWatch, Snapshot};
use crate::clock::Clock;
use crate::model::drain_event::{DrainEvent, DrainEventKind, DrainOutcome, DrainSummary, PodKey};

struct Ctx {
    client: kube::Client,
    gate: WriteGate,
    clock: Clock,
    options: DrainOptions,
    events: mpsc::UnboundedSender<DrainEvent>,
    entries: Mutex<Vec<Entry>>,
    job_uids: HashSet<String>,
    progress: watch::Sender<u64>,
    evictions: Semaphore,
    nodes: Semaphore,
}

impl Ctx {
    fn emit(&self, kind: DrainEventKind) {
        // A closed receiver means nobody is listening; the drain still finishes.
        let _ = self.events.send(DrainEvent {
            at: self.clock.now(),
            kind,
        });
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn set_stage(&self, index: usize, stage: Stage) {
        if let Some(entry) = self.entries().get_mut(index) {
            entry.stage = stage;
        }
        self.progress.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn dry_run(&self) -> bool {
        self.options.dry_run_server
    }
}

/// One node and the indices (into the job's pods) of its pods.
struct Group {
    node: String,
    cordon: bool,
    pods: Vec<usize>,
}

fn groups(job: &DrainJob) -> Vec<Group> {
    let mut groups: Vec<Group> = job
        .nodes
        .iter()
        .map(|node| Group {
            node: node.clone(),
            cordon: true,
            pods: Vec::new(),
        })
        .collect();
    let mut extra: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, pod) in job.pods.iter().enumerate() {
        match groups.iter_mut().find(|g| g.node == pod.node) {
            Some(group) => group.pods.push(index),
            None => extra.entry(pod.node.clone()).or_default().push(index),
        }
    }
    groups.extend(extra.into_iter().map(|(node, pods)| Group {
        node,
        cordon: false,
        pods,
    }));
    groups
}

pub async fn run(
    client: kube::Client,
    gate: WriteGate,
    clock: Clock,
    job: DrainJob,
    events: mpsc::UnboundedSender<DrainEvent>,
    mut cancelled: watch::Receiver<bool>,
) {
    let started = Instant::now();
    let groups = groups(&job);
    let options = job.options.clone();
    let ctx = Ctx {
        client: client.clone(),
        gate,
        clock,
        events,
        job_uids: job.pods.iter().map(|p| p.uid.clone()).collect(),
        entries: Mutex::new(
            job.pods
                .iter()
                .map(|pod| Entry {
                    pod: pod.clone(),
                    stage: Stage::Waiting,
                    accepted_at: None,
                    terminating_reported: false,
                    replacement: None,
                })
                .collect(),
        ),
        progress: watch::channel(0).0,
        evictions: Semaphore::new(options.max_concurrent_evictions.max(1)),
        nodes: Semaphore::new(options.max_concurrent_nodes.max(1)),
        options,
    };
    ctx.emit(DrainEventKind::Planned {
        pods: job.pods.iter().map(|p| (p.key(), p.node.clone())).collect(),
        dry_run: ctx.dry_run(),
    });
    if ctx.options.disable_eviction {
        ctx.emit(DrainEventKind::Warning {
            message: "eviction is disabled: pods are deleted directly and PodDisruptionBudgets are not checked".to_string(),
        });
    }

    let mut watch = (!ctx.dry_run()).then(|| {
        PodWatch::start(
            &client,
            &pod_watch::namespaces(job.pods.iter().map(|p| p.namespace.as_str())),
        )
    });
    let outcome = {
        let work = join_all(groups.iter().map(|group| drain_node(&ctx, group)));
        let observe = observe(&ctx, watch.as_mut());
        let deadline = async {
            match ctx.options.timeout {
                Some(timeout) => tokio::time::sleep(timeout).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            _ = wait_cancelled(&mut cancelled) => DrainOutcome::Cancelled,
            _ = deadline => DrainOutcome::TimedOut,
            _ = work => DrainOutcome::Completed,
            _ = observe => DrainOutcome::Completed,
        }
    };

    match outcome {
        DrainOutcome::Completed => follow_replacements(&ctx, watch.as_mut(), &mut cancelled).await,
        DrainOutcome::TimedOut => ctx.emit(DrainEventKind::TimedOut {
            after: ctx.options.timeout.unwrap_or_default(),
            remaining: remaining(&ctx),
        }),
        DrainOutcome::Cancelled => ctx.emit(DrainEventKind::Cancelled {
            remaining: remaining(&ctx),
        }),
    }
    let summary = summarize(&ctx, outcome, started.elapsed());
    ctx.emit(DrainEventKind::Summary(summary));
}

async fn wait_cancelled(cancelled: &mut watch::Receiver<bool>) {
    // An error means the handle is gone: nobody can cancel any more.
    if cancelled.wait_for(|c| *c).await.is_err() {
        std::future::pending::<()>().await;
    }
}

async fn drain_node(ctx: &Ctx, group: &Group) {
    let Ok(_permit) = ctx.nodes.acquire().await else {
        return;
    };
    if group.cordon {
        match cordon::set_one(&ctx.client, &ctx.gate, &group.node, true, ctx.dry_run()).await {
            Ok(CordonOutcome::Changed) => ctx.emit(DrainEventKind::Cordoned {
                node: group.node.clone(),
                already: false,
                dry_run: ctx.dry_run(),
            }),
            Ok(CordonOutcome::Unchanged) => ctx.emit(DrainEventKind::Cordoned {
                node: group.node.clone(),
                already: true,
                dry_run: ctx.dry_run(),
            }),
            Ok(CordonOutcome::Failed(message)) => {
                // kubectl stops at a failed cordon: this node's pods stay.
                ctx.emit(DrainEventKind::CordonFailed {
                    node: group.node.clone(),
                    message,
                });
                return;
            }
            Err(refused) => {
                ctx.emit(DrainEventKind::CordonFailed {
                    node: group.node.clone(),
                    message: refused.to_string(),
                });
                return;
            }
        }
    }
    join_all(group.pods.iter().map(|&index| remove_pod(ctx, index))).await;
    let mut progress = ctx.progress.subscribe();
    loop {
        let (all_final, any_failed) = {
            let entries = ctx.entries();
            let stages = group
                .pods
                .iter()
                .filter_map(|&i| entries.get(i))
                .map(|e| &e.stage);
            let stages: Vec<&Stage> = stages.collect();
            (
                stages.iter().all(|s| s.is_final()),
                stages
                    .iter()
                    .any(|s| matches!(s, Stage::Failed(_) | Stage::WouldBlock)),
            )
        };
        if all_final {
            if !any_failed && group.cordon {
                ctx.emit(DrainEventKind::NodeDrained {
                    node: group.node.clone(),
                    dry_run: ctx.dry_run(),
                });
            }
            return;
        }
        if progress.changed().await.is_err() {
            return;
        }
    }
}

/// Sends the eviction (or delete) until the server decides, backing off on
/// 429 without holding a concurrency slot.
async fn remove_pod(ctx: &Ctx, index: usize) {
    let Some(pod) = ctx.entries().get(index).map(|e| e.pod.clone()) else {
        return;
    };
    let key = pod.key();
    let dry_run = ctx.dry_run();
    let eviction = !ctx.options.disable_eviction;
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let answer = {
            let Ok(_slot) = ctx.evictions.acquire().await else {
                return;
            };
            if let Err(refused) = ctx.gate.check() {
                ctx.emit(DrainEventKind::Failed {
                    pod: key.clone(),
                    message: refused.to_string(),
                });
                ctx.set_stage(index, Stage::Failed(refused.to_string()));
                return;
            }
            ctx.set_stage(index, Stage::Requesting);
            let grace = ctx.options.grace_period;
            if eviction {
                ctx.emit(DrainEventKind::Evicting {
                    pod: key.clone(),
                    attempt,
                    dry_run,
                });
                drain_requests::evict(&ctx.client, &pod.namespace, &pod.name, grace, dry_run).await
            } else {
                ctx.emit(DrainEventKind::Deleting {
                    pod: key.clone(),
                    grace_period: grace,
                });
                drain_requests::delete(&ctx.client, &pod.namespace, &pod.name, grace, dry_run).await
            }
        };
        match answer {
            Answer::Accepted(deletion) => {
                ctx.emit(DrainEventKind::Accepted {
                    pod: key.clone(),
                    eviction,
                    dry_run,
                });
                if dry_run {
                    ctx.set_stage(index, Stage::WouldGo);
                    return;
                }
                if let Some((deadline, grace)) = deletion {
                    ctx.emit(DrainEventKind::Terminating {
                        pod: key.clone(),
                        deletion: deadline,
                        grace_seconds: grace,
                    });
                    if let Some(entry) = ctx.entries().get_mut(index) {
                        entry.terminating_reported = true;
                    }
                }
                if let Some(entry) = ctx.entries().get_mut(index) {
                    entry.accepted_at = Some(ctx.clock.now());
                }
                ctx.set_stage(index, Stage::Accepted);
                return;
            }
            Answer::NotFound => {
                ctx.emit(DrainEventKind::AlreadyGone { pod: key.clone() });
                ctx.set_stage(index, Stage::AlreadyGone);
                return;
            }
            Answer::Blocked {
                budget,
                message,
                detail,
            } => {
                let delay = if dry_run {
                    Duration::ZERO
                } else {
                    backoff(&ctx.options, attempt)
                };
                let next_attempt = ctx.clock.now() + delay;
                ctx.emit(DrainEventKind::Blocked {
                    pod: key.clone(),
                    budget,
                    message,
                    detail,
                    retry: if dry_run { 0 } else { attempt },
                    retry_after: delay,
                    next_attempt,
                });
                if dry_run {
                    ctx.set_stage(index, Stage::WouldBlock);
                    return;
                }
                ctx.set_stage(index, Stage::Blocked);
                tokio::time::sleep(delay).await;
            }
            Answer::Failed(message) => {
                ctx.emit(DrainEventKind::Failed {
                    pod: key.clone(),
                    message: message.clone(),
                });
                ctx.set_stage(index, Stage::Failed(message));
                return;
            }
        }
    }
}

/// The wait before retry `retry` (1-based): initial × 2^(retry-1), capped.
fn backoff(options: &DrainOptions, retry: u32) -> Duration {
    let factor = 2u32.saturating_pow(retry.saturating_sub(1).min(20));
    options
        .retry_initial
        .saturating_mul(factor)
        .min(options.retry_cap)
}

/// Folds every watch event into the pods' stages; never returns.
async fn observe(ctx: &Ctx, watch: Option<&mut PodWatch>) {
    let Some(watch) = watch else {
        return std::future::pending().await;
    };
    // Our own progress wakes the check too: a pod removed at once (grace 0,
    // or never started) may vanish from the watch before its eviction was
    // recorded as accepted, and no later watch event would revisit it.
    let mut progress = ctx.progress.subscribe();
    let mut reported: HashSet<String> = HashSet::new();
    loop {
        tokio::select! {
            error = watch.next() => {
                if let Some((namespace, error)) = error
                    && reported.insert(namespace.clone())
                {
                    ctx.emit(DrainEventKind::Warning {
                        message: format!("cannot watch pods in namespace {namespace} (retrying): {error}"),
                    });
                }
            }
            changed = progress.changed() => {
                if changed.is_err() {
                    return std::future::pending().await;
                }
            }
        }
        check(ctx, watch.snapshot());
    }
}

async fn follow_replacements(
    ctx: &Ctx,
    watch: Option<&mut PodWatch>,
    cancelled: &mut watch::Receiver<bool>,
) {
    let Some(watch) = watch else { return };
    if ctx.options.follow_replacements.is_zero() {
        return;
    }
    let until = tokio::time::Instant::now() + ctx.options.follow_replacements;
    while !replacements_settled(ctx) {
        tokio::select! {
            _ = tokio::time::sleep_until(until) => return,
            _ = wait_cancelled(cancelled) => return,
            _ = watch.next() => check(ctx, watch.snapshot()),
        }
    }
}

fn replacements_settled(ctx: &Ctx) -> bool {
    ctx.entries().iter().all(|e| {
        e.pod.controller.is_none()
            || !matches!(e.stage, Stage::Gone)
            || e.replacement.as_ref().is_some_and(|r| r.ready_reported)
    })
}

fn check(ctx: &Ctx, snapshot: &Snapshot) {
    let (events, changed) = {
        let mut entries = ctx.entries();
        drain_observe::fold(
            &mut entries,
            snapshot,
            &ctx.job_uids,
            !ctx.options.disable_eviction,
        )
    };
    for event in events {
        ctx.emit(event);
    }
    if changed {
        ctx.progress.send_modify(|n| *n = n.wrapping_add(1));
    }
}

fn remaining(ctx: &Ctx) -> Vec<(PodKey, String)> {
    ctx.entries()
        .iter()
        .filter(|e| !e.stage.is_final() || e.stage == Stage::WouldBlock)
        .map(|e| (e.pod.key(), e.pod.node.clone()))
        .collect()
}

fn summarize(ctx: &Ctx, outcome: DrainOutcome, elapsed: Duration) -> DrainSummary {
    let entries = ctx.entries();
    let removed = |eviction: bool| {
        entries
            .iter()
            .filter(|e| matches!(e.stage, Stage::Gone | Stage::WouldGo))
            .filter(|_| ctx.options.disable_eviction != eviction)
            .count()
    };
    DrainSummary {
        outcome,
        evicted: removed(true),
        deleted: removed(false),
        already_gone: entries
            .iter()
            .filter(|e| e.stage == Stage::AlreadyGone)
            .count(),
        failed: entries
            .iter()
            .filter_map(|e| match &e.stage {
                Stage::Failed(message) => Some((e.pod.key(), message.clone())),
                _ => None,
            })
            .collect(),
        remaining: entries
            .iter()
            .filter(|e| !e.stage.is_final() || e.stage == Stage::WouldBlock)
            .map(|e| e.pod.key())
            .collect(),
        elapsed,
        dry_run: ctx.dry_run(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_the_cap() {
        let options = DrainOptions::default();
        let waits: Vec<u64> = (1..=7).map(|n| backoff(&options, n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 16, 16]);
        assert_eq!(backoff(&options, u32::MAX), Duration::from_secs(16));
    }
}
