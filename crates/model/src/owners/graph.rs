//! The ownerReferences graph by uid, resolved as the garbage collector resolves it.

use std::collections::{HashMap, HashSet};

use crate::cluster::Kind;

use super::inventory::{Entry, Inventory, cached_kind, is_namespaced};

/// What is wrong with one owner reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerProblem {
    /// The owner's kind is cached but no such object exists: the garbage
    /// collector's dangling reference.
    Dangling { kind: String, name: String },
    /// The owner's kind is not one kubesight watches, so it cannot be checked.
    NotWatched { kind: String, name: String },
}

/// The kinds a controller creates: one of these with no controller reference is an
/// orphan nothing will replace or roll (kubectl drain's "not managed by a
/// controller" test, `metav1.GetControllerOf(pod) == nil`, applied to every
/// controller-made kind).
pub(super) fn is_controller_made(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Pod | Kind::ReplicaSet | Kind::Job | Kind::ControllerRevision
    )
}

/// Kinds drawn even when they own nothing and have no owner.
fn always_drawn(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Pod
            | Kind::Deployment
            | Kind::ReplicaSet
            | Kind::StatefulSet
            | Kind::DaemonSet
            | Kind::Job
            | Kind::CronJob
            | Kind::ControllerRevision
    )
}

/// Sibling order: the higher-level kinds first, history last.
fn kind_rank(kind: Kind) -> u8 {
    match kind {
        Kind::Deployment => 0,
        Kind::StatefulSet => 1,
        Kind::DaemonSet => 2,
        Kind::CronJob => 3,
        Kind::Job => 4,
        Kind::ReplicaSet => 5,
        Kind::Pod => 6,
        Kind::ControllerRevision => 7,
        Kind::PodDisruptionBudget => 8,
        Kind::Node => 9,
        Kind::Namespace => 10,
        Kind::Event => 11,
    }
}

/// The resolved graph over an inventory.
pub(super) struct Graph<'a> {
    pub(super) entries: Vec<&'a Entry>,
    pub(super) children: Vec<Vec<(usize, bool)>>,
    pub(super) parents: Vec<Vec<usize>>,
    pub(super) problems: Vec<Vec<OwnerProblem>>,
    pub(super) duplicate: Vec<bool>,
    pub(super) drawn: Vec<bool>,
}

impl<'a> Graph<'a> {
    pub(super) fn new(inventory: &'a Inventory) -> Graph<'a> {
        let mut entries: Vec<&Entry> = inventory.entries.iter().collect();
        entries.sort_by(|a, b| {
            (kind_rank(a.kind), &a.name, &a.namespace, &a.uid).cmp(&(
                kind_rank(b.kind),
                &b.name,
                &b.namespace,
                &b.uid,
            ))
        });
        let mut by_uid: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if !e.uid.is_empty() {
                by_uid.entry(e.uid.as_str()).or_default().push(i);
            }
        }
        let n = entries.len();
        let mut children = vec![Vec::new(); n];
        let mut parents = vec![Vec::new(); n];
        let mut problems = vec![Vec::new(); n];
        let duplicate = entries
            .iter()
            .map(|e| by_uid.get(e.uid.as_str()).is_some_and(|v| v.len() > 1))
            .collect();
        for (i, entry) in entries.iter().enumerate() {
            let mut seen = HashSet::new();
            for reference in &entry.owners {
                let kind = cached_kind(&reference.api_version, &reference.kind);
                let owner = kind.and_then(|kind| {
                    let namespace = if is_namespaced(kind) {
                        entry.namespace.as_str()
                    } else {
                        ""
                    };
                    by_uid
                        .get(reference.uid.as_str())?
                        .iter()
                        .copied()
                        .find(|&j| {
                            let o = entries[j];
                            o.kind == kind && o.name == reference.name && o.namespace == namespace
                        })
                });
                match (kind, owner) {
                    (_, Some(j)) => {
                        // A reference listed twice is one edge.
                        if seen.insert(j) {
                            children[j].push((i, reference.controller == Some(true)));
                            parents[i].push(j);
                        }
                    }
                    (Some(_), None) => problems[i].push(OwnerProblem::Dangling {
                        kind: reference.kind.clone(),
                        name: reference.name.clone(),
                    }),
                    (None, None) => problems[i].push(OwnerProblem::NotWatched {
                        kind: reference.kind.clone(),
                        name: reference.name.clone(),
                    }),
                }
            }
        }
        for list in &mut children {
            list.sort_by_key(|&(c, _)| c);
        }
        let drawn = (0..n)
            .map(|i| {
                always_drawn(entries[i].kind)
                    || !entries[i].owners.is_empty()
                    || !children[i].is_empty()
            })
            .collect();
        Graph {
            entries,
            children,
            parents,
            problems,
            duplicate,
            drawn,
        }
    }

    /// Marks `starts` and everything they are owned by, directly or not.
    pub(super) fn ancestors_into(
        &self,
        starts: impl IntoIterator<Item = usize>,
        marked: &mut [bool],
    ) {
        let mut stack: Vec<usize> = starts.into_iter().collect();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut marked[i], true) {
                continue;
            }
            stack.extend(self.parents[i].iter().copied());
        }
    }

    pub(super) fn descendants_into(&self, start: usize, scope: &mut [bool]) {
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut scope[i], true) {
                continue;
            }
            stack.extend(self.children[i].iter().map(|&(c, _)| c));
        }
    }

    pub(super) fn in_scope_children(&self, i: usize, scope: &[bool]) -> Vec<(usize, bool)> {
        self.children[i]
            .iter()
            .copied()
            .filter(|&(c, _)| scope[c])
            .collect()
    }

    pub(super) fn hidden_count(&self, start: usize, scope: &[bool]) -> usize {
        let mut seen = HashSet::new();
        let mut stack: Vec<usize> = self
            .in_scope_children(start, scope)
            .iter()
            .map(|&(c, _)| c)
            .collect();
        while let Some(i) = stack.pop() {
            if i == start || !seen.insert(i) {
                continue;
            }
            stack.extend(self.in_scope_children(i, scope).iter().map(|&(c, _)| c));
        }
        seen.len()
    }
}
