//! The timeline as the TUI shows it: stage words with their tones, ticking
//! countdowns, and the drain's document.

use jiff::Timestamp;

use super::{NodeStage, Replacement, Stage, Step, Timeline};
use crate::age::human_duration;
use crate::cluster::Kind;
use crate::doc::{Cell, Doc, ObjectRef};
use crate::drain_event::{DrainOutcome, DrainSummary, go_duration};
use crate::table::Tone;

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
            vec![crate::doc::Span::new(p.pod.to_string(), Tone::Normal)],
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
