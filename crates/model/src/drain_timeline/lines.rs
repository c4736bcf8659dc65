//! The headless drain's output: one kubectl-like line per event.

use crate::drain_event::{DrainEvent, DrainEventKind, DrainOutcome, PodKey, go_duration};

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
