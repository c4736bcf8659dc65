//! The ownership tree: every cached object linked to its owners by
//! `metadata.ownerReferences`, drawn as Deployment → ReplicaSet → Pod,
//! CronJob → Job → Pod, StatefulSet → Pod and ControllerRevision, Node → mirror Pod,
//! and whatever else declares owners.
//!
//! An owner reference resolves the way the garbage collector resolves it
//! (kubernetes `pkg/controller/garbagecollector/garbagecollector.go`, `isDangling`):
//! the owner is the object of the referenced kind and name in the dependent's
//! namespace (or cluster-scoped when the kind is), and it must carry the referenced
//! uid. A reference that fails this is dangling: the collector will delete the
//! dependent once it has no other owner.
//!
//! Drawing: roots (objects with no owner in view) grouped by namespace, children
//! by kind then name. `─` connects a controller edge, `┄` a plain owner edge;
//! `▸ Kind/name (+N)` is a collapsed object hiding N descendants. An object with
//! two owners expands under the first and reads "shown above" under the second,
//! which keeps bad data (cycles, lattices) linear; duplicate uids are flagged and
//! collapse together.

mod chain;
mod graph;
mod inventory;

use std::collections::{BTreeMap, HashSet};

use jiff::Timestamp;

use crate::cluster::Kind;

use super::age::age_since;
use super::doc::{Cell, Doc, ObjectRef};
use super::table::Tone;

pub use chain::{ChainLink, owner_chain, write_chain};
pub use graph::OwnerProblem;
use graph::{Graph, is_controller_made};
pub use inventory::{Entry, Inventory, Tracked, cached_kind};

/// One object line of an [`OwnerTree`], for collapsing and expanding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeLine {
    /// The uid to add to or remove from the collapsed set.
    pub uid: String,
    /// Direct dependents drawn (or hidden) under this line; 0 means a leaf.
    pub children: usize,
    /// Whether its dependents are hidden.
    pub collapsed: bool,
}

/// The ownership tree view model: the document the doc screen draws, plus per
/// document line (same length as `doc.lines`) the object that line draws, when
/// it has a uid. Toggling collapse on a line means inserting or removing
/// `lines[i].uid` in the collapsed set and building the tree again.
#[derive(Debug, Clone, Default)]
pub struct OwnerTree {
    /// What the doc screen draws.
    pub doc: Doc,
    /// Per line of `doc`: the object drawn there, if it has a uid.
    pub lines: Vec<Option<TreeLine>>,
}

impl OwnerTree {
    /// The uid Enter-to-toggle acts on at `line`: only lines with dependents.
    pub fn toggle_uid(&self, line: usize) -> Option<&str> {
        match self.lines.get(line)? {
            Some(l) if l.children > 0 => Some(l.uid.as_str()),
            _ => None,
        }
    }
}

/// The tree containing `target`: up through its owners to the roots, then down to
/// everything those roots own. `None` when the object is not in the inventory.
pub fn tree_for(
    inventory: &Inventory,
    target: &ObjectRef,
    collapsed: &HashSet<String>,
    now: Timestamp,
) -> Option<OwnerTree> {
    let graph = Graph::new(inventory);
    let start = graph.entries.iter().position(|e| {
        e.kind == target.kind && e.namespace == target.namespace && e.name == target.name
    })?;
    let mut scope = vec![false; graph.entries.len()];
    let mut ancestors = vec![false; graph.entries.len()];
    graph.ancestors_into([start], &mut ancestors);
    // Everything under every ancestor is everything under the roots; and when the
    // owners form a cycle there is no root, yet this still finds them all.
    for (ancestor, _) in ancestors.iter().enumerate().filter(|(_, a)| **a) {
        graph.descendants_into(ancestor, &mut scope);
    }
    let title = format!(
        "Owners: {} {}",
        target.kind.name(),
        qualified(&target.namespace, &target.name)
    );
    Some(render(&graph, &scope, collapsed, now, title))
}

/// Every ownership tree whose objects live in `namespace` (all namespaces when
/// `None`), with the cluster-scoped owners (nodes of mirror pods) they hang from.
pub fn namespace_forest(
    inventory: &Inventory,
    namespace: Option<&str>,
    collapsed: &HashSet<String>,
    now: Timestamp,
) -> OwnerTree {
    let graph = Graph::new(inventory);
    let n = graph.entries.len();
    let mut scope = vec![false; n];
    let wanted = (0..n)
        .filter(|&i| graph.drawn[i] && namespace.is_none_or(|ns| graph.entries[i].namespace == ns));
    // One shared visited set: each object's owners are walked once, not once per
    // dependent (50k pods share a few thousand owners).
    graph.ancestors_into(wanted, &mut scope);
    let title = match namespace {
        Some(ns) => format!("Owners: namespace {ns}"),
        None => "Owners: all namespaces".to_string(),
    };
    render(&graph, &scope, collapsed, now, title)
}

fn qualified(namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    }
}

struct Row {
    cells: Vec<Cell>,
    target: ObjectRef,
    line: Option<TreeLine>,
}

fn render(
    graph: &Graph,
    scope: &[bool],
    collapsed: &HashSet<String>,
    now: Timestamp,
    title: String,
) -> OwnerTree {
    let n = graph.entries.len();
    // Roots: in scope with no owner in scope. Then, for objects only reachable
    // through an ownership cycle, the first of each such group stands in as root.
    let mut roots: Vec<(usize, bool)> = (0..n)
        .filter(|&i| scope[i] && !graph.parents[i].iter().any(|&p| scope[p]))
        .map(|i| (i, false))
        .collect();
    let mut reached = vec![false; n];
    for &(r, _) in &roots {
        mark_reach(graph, r, scope, &mut reached);
    }
    for i in 0..n {
        if scope[i] && !reached[i] {
            roots.push((i, true));
            mark_reach(graph, i, scope, &mut reached);
        }
    }
    let mut sections: BTreeMap<(bool, &str), Vec<(usize, bool)>> = BTreeMap::new();
    for &(r, cyclic) in &roots {
        let ns = graph.entries[r].namespace.as_str();
        sections
            .entry((ns.is_empty(), ns))
            .or_default()
            .push((r, cyclic));
    }
    for list in sections.values_mut() {
        list.sort();
    }

    let mut tree = OwnerTree {
        doc: Doc::new(title),
        lines: Vec::new(),
    };
    if sections.is_empty() {
        tree.doc
            .text("No owned or owning objects here.", Tone::Muted);
        tree.lines.push(None);
        return tree;
    }
    let mut expanded = vec![false; n];
    let mut plain_edges = false;
    for ((cluster_scoped, ns), list) in sections {
        let before = tree.doc.lines.len();
        if cluster_scoped {
            tree.doc.heading("Cluster-scoped owners");
        } else {
            tree.doc.heading(format!("Namespace {ns}"));
            if let Some(heading) = tree.doc.lines.last_mut() {
                heading.target = Some(ObjectRef::new(Kind::Namespace, "", ns));
            }
        }
        let mut rows = Vec::new();
        for (root, cyclic) in list {
            walk(
                graph,
                root,
                cyclic,
                scope,
                collapsed,
                now,
                &mut expanded,
                &mut plain_edges,
                &mut rows,
            );
        }
        let (cells, lines): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .map(|r| ((r.cells, Some(r.target)), r.line))
            .unzip();
        tree.doc
            .table(&["NAME", "READY", "STATUS", "AGE", "NOTES"], cells);
        let added = tree.doc.lines.len() - before;
        tree.lines
            .extend(std::iter::repeat_n(None, added - lines.len()));
        tree.lines.extend(lines);
    }
    if plain_edges {
        tree.doc.blank();
        tree.doc
            .text("─ controller   ┄ owner, not controller", Tone::Muted);
        tree.lines.extend([None, None]);
    }
    tree
}

fn mark_reach(graph: &Graph, start: usize, scope: &[bool], reached: &mut [bool]) {
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut reached[i], true) {
            continue;
        }
        stack.extend(graph.in_scope_children(i, scope).iter().map(|&(c, _)| c));
    }
}

/// One pending line of the depth-first walk.
struct Pending {
    node: usize,
    /// Index into the trail of the line above it in the tree.
    parent: Option<usize>,
    /// Connector drawn before the name, and the prefix its own children extend.
    connector: String,
    child_prefix: String,
    cyclic_root: bool,
}

#[allow(clippy::too_many_arguments)]
fn walk(
    graph: &Graph,
    root: usize,
    cyclic_root: bool,
    scope: &[bool],
    collapsed: &HashSet<String>,
    now: Timestamp,
    expanded: &mut [bool],
    plain_edges: &mut bool,
    rows: &mut Vec<Row>,
) {
    // Explicit stack, so that a long chain in bad data cannot overflow ours; the
    // trail links each drawn line to its parent line to detect cycles.
    let mut trail: Vec<(usize, Option<usize>)> = Vec::new();
    let mut stack = vec![Pending {
        node: root,
        parent: None,
        connector: String::new(),
        child_prefix: String::new(),
        cyclic_root,
    }];
    while let Some(p) = stack.pop() {
        let entry = graph.entries[p.node];
        let children = graph.in_scope_children(p.node, scope);
        let is_collapsed =
            !entry.uid.is_empty() && collapsed.contains(&entry.uid) && !children.is_empty();
        let mut notes: Vec<(String, Tone)> = Vec::new();
        let repeat = expanded[p.node];
        if repeat {
            let mut up = p.parent;
            let mut on_path = false;
            while let Some(t) = up {
                if trail[t].0 == p.node {
                    on_path = true;
                    break;
                }
                up = trail[t].1;
            }
            notes.push(if on_path {
                ("cycle: owns its own owner".to_string(), Tone::Bad)
            } else {
                ("shown above".to_string(), Tone::Muted)
            });
        }
        if p.cyclic_root {
            notes.push(("owners form a cycle".to_string(), Tone::Bad));
        }
        if graph.duplicate[p.node] {
            notes.push(("duplicate uid".to_string(), Tone::Bad));
        }
        for problem in &graph.problems[p.node] {
            notes.push(match problem {
                OwnerProblem::Dangling { kind, name } => {
                    (format!("dangling owner {kind}/{name}"), Tone::Warning)
                }
                OwnerProblem::NotWatched { kind, name } => {
                    (format!("owner {kind}/{name} not watched"), Tone::Muted)
                }
            });
        }
        if is_controller_made(entry.kind)
            && !entry.owners.iter().any(|o| o.controller == Some(true))
        {
            notes.push(("orphan: no controller".to_string(), Tone::Warning));
        }
        let expand = !repeat && !is_collapsed;
        let marker = if is_collapsed { "▸ " } else { "" };
        let hidden = if is_collapsed {
            format!(" (+{})", graph.hidden_count(p.node, scope))
        } else {
            String::new()
        };
        let name = format!(
            "{}{marker}{}/{}{hidden}",
            p.connector,
            entry.kind.name(),
            entry.name
        );
        let note_tone = notes
            .iter()
            .map(|(_, t)| *t)
            .max_by_key(|t| severity(*t))
            .unwrap_or(Tone::Normal);
        let note_text = notes
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>()
            .join("; ");
        rows.push(Row {
            cells: vec![
                (name, Tone::Normal),
                entry.ready.clone(),
                entry.status.clone(),
                (age_since(entry.created, now), Tone::Muted),
                (note_text, note_tone),
            ],
            target: entry.object_ref(),
            line: (!entry.uid.is_empty()).then(|| TreeLine {
                uid: entry.uid.clone(),
                children: children.len(),
                collapsed: is_collapsed,
            }),
        });
        trail.push((p.node, p.parent));
        let here = trail.len() - 1;
        if !expand {
            continue;
        }
        expanded[p.node] = true;
        let last = children.len().saturating_sub(1);
        for (k, &(child, controller)) in children.iter().enumerate().rev() {
            if !controller {
                *plain_edges = true;
            }
            let is_last = k == last;
            let branch = if is_last { "└" } else { "├" };
            let line = if controller { "─ " } else { "┄ " };
            stack.push(Pending {
                node: child,
                parent: Some(here),
                connector: format!("{}{branch}{line}", p.child_prefix),
                child_prefix: format!("{}{}", p.child_prefix, if is_last { "   " } else { "│  " }),
                cyclic_root: false,
            });
        }
    }
}

fn severity(tone: Tone) -> u8 {
    match tone {
        Tone::Bad => 3,
        Tone::Warning => 2,
        Tone::Muted => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests;
