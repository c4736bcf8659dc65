//! The drain plan as a [`Doc`]: options, summary, kubectl's own lines, one row
//! per pod, and the capacity pre-check. Its `to_text()` is the plain form
//! `kubesight drain` prints.

use jiff::Timestamp;

use super::options::DrainOptions;
use super::plan::{DrainPlan, Outcome, PodPlan, Verdict};
use crate::cluster::Kind;
use crate::doc::{Cell, Doc, ObjectRef, Span};
use crate::pdb::BudgetFacts;
use crate::table::Tone;

fn verdict_cell(verdict: Verdict) -> Cell {
    match verdict {
        Verdict::Evict => ("evict".into(), Tone::Good),
        Verdict::Skip => ("skip".into(), Tone::Muted),
        Verdict::Blocked => ("blocked".into(), Tone::Warning),
        Verdict::Refused => ("refused".into(), Tone::Bad),
    }
}

fn pdb_cell(pod: &PodPlan) -> String {
    match &pod.pdb {
        Some(check) if !check.matching.is_empty() => check.matching.join(","),
        _ => "-".into(),
    }
}

fn outcome_cell(plan: &DrainPlan) -> Cell {
    let s = &plan.summary;
    match s.outcome {
        Outcome::Completes => ("completes now".into(), Tone::Good),
        Outcome::Blocked => (
            format!(
                "blocked: {} held back by PodDisruptionBudgets (kubectl retries until --timeout)",
                pods(s.blocked)
            ),
            Tone::Warning,
        ),
        Outcome::Refused => {
            let mut why = Vec::new();
            if s.refused > 0 {
                why.push(format!("{} refused", pods(s.refused)));
            }
            if s.refused_nodes > 0 {
                why.push(format!(
                    "{} node{} refused by kubectl",
                    s.refused_nodes,
                    if s.refused_nodes == 1 { "" } else { "s" }
                ));
            }
            (format!("refused: {}", why.join(", ")), Tone::Bad)
        }
    }
}

fn pods(n: usize) -> String {
    format!("{n} pod{}", if n == 1 { "" } else { "s" })
}

/// The drain plan view.
pub fn drain_plan_doc(plan: &DrainPlan, options: &DrainOptions, _now: Timestamp) -> Doc {
    let names: Vec<&str> = plan.nodes.iter().map(|n| n.name.as_str()).collect();
    let mut doc = Doc::new(format!("Drain {}", names.join(", ")));
    doc.heading("Drain plan");
    let mut command = vec!["kubectl drain".to_string()];
    command.extend(names.iter().map(|n| n.to_string()));
    command.extend(options.flags());
    let s = &plan.summary;
    doc.fields(&[
        ("Command", (command.join(" "), Tone::Normal)),
        ("Outcome", outcome_cell(plan)),
        ("Evict", (s.evict.to_string(), Tone::Good)),
        ("Skip", (s.skip.to_string(), Tone::Muted)),
        (
            "Blocked",
            (s.blocked.to_string(), tone_if(s.blocked, Tone::Warning)),
        ),
        (
            "Refused",
            (s.refused.to_string(), tone_if(s.refused, Tone::Bad)),
        ),
    ]);
    for node in &plan.nodes {
        let mut title = format!("Node {}", node.name);
        if !node.found {
            title.push_str(" (not found)");
        } else if node.cordoned {
            title.push_str(" (already cordoned)");
        }
        doc.heading(title);
        if node.found {
            doc.link(
                vec![Span::new(format!("node/{}", node.name), Tone::Normal)],
                ObjectRef::new(Kind::Node, "", &node.name),
            );
        }
        // kubectl stops at the errors before it prints warnings.
        match (node.kubectl_error(), &node.warning) {
            (Some(error), _) => doc.text(error, Tone::Bad),
            (None, Some(warning)) => doc.text(format!("Warning: {warning}"), Tone::Warning),
            (None, None) => {}
        }
        let rows: Vec<_> = plan
            .pods
            .iter()
            .filter(|p| p.node == node.name)
            .map(|p| {
                let verdict = verdict_cell(p.verdict);
                let reason_tone = match p.verdict {
                    Verdict::Evict => Tone::Normal,
                    _ => verdict.1,
                };
                (
                    vec![
                        (p.namespace.clone(), Tone::Normal),
                        (p.name.clone(), Tone::Normal),
                        verdict,
                        (pdb_cell(p), Tone::Normal),
                        // Last: the longest text, which wraps under itself.
                        (p.reason.clone(), reason_tone),
                    ],
                    Some(ObjectRef::new(Kind::Pod, &p.namespace, &p.name)),
                )
            })
            .collect();
        if rows.is_empty() {
            if node.found {
                doc.text("No pods to consider.", Tone::Muted);
            }
        } else {
            doc.table(&["NAMESPACE", "NAME", "VERDICT", "PDB", "REASON"], rows);
        }
    }
    budgets_section(&mut doc, plan);
    capacity_section(&mut doc, plan);
    doc
}

/// The budgets the evicted pods meet, in order of first appearance.
fn budgets_section(doc: &mut Doc, plan: &DrainPlan) {
    let mut seen: Vec<&BudgetFacts> = Vec::new();
    for facts in plan
        .pods
        .iter()
        .filter_map(|p| p.pdb.as_ref()?.budget.as_ref())
    {
        if !seen
            .iter()
            .any(|f| f.namespace == facts.namespace && f.name == facts.name)
        {
            seen.push(facts);
        }
    }
    if seen.is_empty() {
        return;
    }
    doc.heading("PodDisruptionBudgets");
    let rows = seen
        .iter()
        .map(|f| {
            let allowed_tone = if f.disruptions_allowed > 0 {
                Tone::Good
            } else {
                Tone::Warning
            };
            (
                vec![
                    (f.namespace.clone(), Tone::Normal),
                    (f.name.clone(), Tone::Normal),
                    (f.spec_text(), Tone::Normal),
                    (
                        format!("{}/{}", f.current_healthy, f.desired_healthy),
                        Tone::Normal,
                    ),
                    (f.expected_pods.to_string(), Tone::Normal),
                    (f.disruptions_allowed.to_string(), allowed_tone),
                    (f.unhealthy_pod_eviction_policy.clone(), Tone::Normal),
                ],
                Some(ObjectRef::new(
                    Kind::PodDisruptionBudget,
                    &f.namespace,
                    &f.name,
                )),
            )
        })
        .collect();
    doc.table(
        &[
            "NAMESPACE",
            "NAME",
            "SPEC",
            "HEALTHY/DESIRED",
            "EXPECTED",
            "ALLOWED",
            "UNHEALTHY POD POLICY",
        ],
        rows,
    );
}

fn tone_if(n: usize, tone: Tone) -> Tone {
    if n > 0 { tone } else { Tone::Normal }
}

fn capacity_section(doc: &mut Doc, plan: &DrainPlan) {
    let capacity = &plan.capacity;
    doc.heading("Capacity");
    let nodes = if capacity.nodes.is_empty() {
        "<none>".to_string()
    } else {
        capacity.nodes.join(", ")
    };
    doc.fields(&[("Schedulable nodes", (nodes, Tone::Normal))]);
    if capacity.placements.is_empty() {
        doc.text("No pod needs a new node.", Tone::Muted);
        return;
    }
    let misfits = capacity
        .placements
        .iter()
        .filter(|p| p.node.is_none())
        .count();
    if misfits == 0 {
        doc.text(
            format!(
                "All {} recreated pods fit (first fit, largest first).",
                capacity.placements.len()
            ),
            Tone::Good,
        );
    } else {
        doc.text(
            format!(
                "{} of {} recreated pods may not fit.",
                misfits,
                capacity.placements.len()
            ),
            Tone::Warning,
        );
    }
    let rows = capacity
        .placements
        .iter()
        .map(|p| {
            let fit = match (&p.node, &p.reason) {
                (Some(node), _) => (node.clone(), Tone::Good),
                (None, reason) => (
                    format!("nowhere: {}", reason.as_deref().unwrap_or("")),
                    Tone::Bad,
                ),
            };
            (
                vec![
                    (p.namespace.clone(), Tone::Normal),
                    (p.name.clone(), Tone::Normal),
                    (p.requests.clone(), Tone::Normal),
                    fit,
                ],
                Some(ObjectRef::new(Kind::Pod, &p.namespace, &p.name)),
            )
        })
        .collect();
    doc.table(&["NAMESPACE", "NAME", "REQUESTS", "FITS ON"], rows);
}
