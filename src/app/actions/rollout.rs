//! The rollout view's actions: opening a workload's rollout, marking and
//! diffing revisions, and asking before an undo.

use crate::app::docs::{self, DocKind};
use crate::app::views::Screen;
use crate::app::*;
use crate::model::doc::ObjectRef;

impl App {
    /// The rollout of `target`, or of the workload that controls the object under
    /// the cursor (a pod's Deployment, StatefulSet or DaemonSet).
    pub(in crate::app) fn open_rollout(&mut self, target: Option<ObjectRef>) {
        let Some(object) = target.or_else(|| self.selected_object()) else {
            return;
        };
        match targets::workload_of(&self.cache.stores, &object) {
            Some(workload) => self.push_doc(DocKind::Rollout {
                target: workload,
                marked: None,
                diff: None,
            }),
            None => self.flash_error(format!(
                "{} has no rollout history: not a Deployment, StatefulSet or DaemonSet, nor controlled by one",
                docs::describe(&object)
            )),
        }
    }

    /// The revision on the cursor line of a rollout document.
    pub(in crate::app) fn revision_under_cursor(&self) -> Option<i64> {
        match self.screen() {
            Screen::Doc {
                kind: DocKind::Rollout { .. },
                view,
            } => view
                .doc
                .lines
                .get(view.selected)
                .and_then(docs::revision_on_line),
            _ => None,
        }
    }

    /// Diffs the marked revision (or the current one) against the one under the
    /// cursor.
    pub(in crate::app) fn diff_revisions(&mut self) {
        let Some(selected) = self.revision_under_cursor() else {
            self.flash_error("move the cursor to a revision in the history first".into());
            return;
        };
        let current = match self.screen() {
            Screen::Doc { view, .. } => view.doc.lines.iter().find_map(|l| {
                let revision = docs::revision_on_line(l)?;
                (l.spans.get(1).map(|s| s.text.trim()) == Some("*")).then_some(revision)
            }),
            _ => None,
        };
        if let Screen::Doc {
            kind: DocKind::Rollout { marked, diff, .. },
            ..
        } = self.screen_mut()
        {
            let from = marked.or(current).unwrap_or(selected);
            *diff = Some((from, selected));
            self.refresh_all();
            // The diff is at the end of the document: show it.
            if let Screen::Doc { view, .. } = self.screen_mut()
                && let Some(at) = view
                    .doc
                    .lines
                    .iter()
                    .position(|l| l.heading && l.text().starts_with("Diff"))
            {
                view.selected = at;
                view.offset = at;
            }
        }
    }

    /// `u`: rolls back to the revision under the cursor or, with the cursor
    /// in a diff (where `d` puts it), to the revision diffed against.
    pub(in crate::app) fn ask_undo(&mut self) {
        let diffed = match self.screen() {
            Screen::Doc {
                kind: DocKind::Rollout { diff, .. },
                ..
            } => diff.map(|(_, to)| to),
            _ => None,
        };
        let Some(revision) = self.revision_under_cursor().or(diffed) else {
            self.flash_error("move the cursor to the revision to roll back to".into());
            return;
        };
        let Some(target) = (match self.screen() {
            Screen::Doc { kind, .. } => kind.subject().cloned(),
            _ => None,
        }) else {
            return;
        };
        if self.readonly {
            self.flash_error("refused: kubesight is running with --readonly".into());
            return;
        }
        if self.client.is_none() {
            self.flash_error(
                "a snapshot cannot be changed: connect to a cluster to roll back".into(),
            );
            return;
        }
        self.mode = Mode::Confirm(Confirm {
            question: format!(
                "roll {} back to revision {revision}?",
                docs::describe(&target)
            ),
            action: Pending::Undo { target, revision },
        });
    }
}
