//! The editor's view model: the current entries of one or several marked
//! objects, the pending changes and their problems, drawn as a [`Doc`]; and,
//! after a 409, what changed on the server since the editor opened.

use std::collections::{BTreeMap, BTreeSet};

use crate::doc::{Cell, Doc, ObjectRef, Span};
use crate::table::Tone;

use super::{ChangeOp, LabelEdit, LabelField, Problem, Severity, has_errors, validate};

/// One object being edited, as it was when the editor opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditTarget {
    pub object: ObjectRef,
    /// Its labels or annotations (whichever the edit changes).
    pub current: BTreeMap<String, String>,
    /// The resourceVersion the edit is conditional on.
    pub resource_version: String,
}

/// The editor: the objects, and the edit applied to all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelEditor {
    pub targets: Vec<EditTarget>,
    pub edit: LabelEdit,
}

/// What the pending edit does to one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryState {
    Unchanged,
    Added,
    Changed,
    Removed,
}

/// One row of the editor: a key, its current value(s) and its new value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub key: String,
    /// The current value as shown: the value, or a summary when the marked
    /// objects disagree or not all of them have the key; empty when none has it.
    pub current: String,
    /// The value the edit sets, if it sets one.
    pub new: Option<String>,
    pub state: EntryState,
}

impl LabelEditor {
    /// An editor with no pending change.
    pub fn new(field: LabelField, targets: Vec<EditTarget>) -> Self {
        LabelEditor {
            targets,
            edit: LabelEdit::new(field),
        }
    }

    /// Every key any target has or the edit adds, sorted, with what happens to it.
    pub fn rows(&self) -> Vec<EntryRow> {
        let mut keys: BTreeSet<&str> = self
            .targets
            .iter()
            .flat_map(|t| t.current.keys().map(String::as_str))
            .collect();
        // A removal of a key no object has changes nothing: no row for it.
        keys.extend(
            self.edit
                .changes
                .iter()
                .filter(|c| c.op != ChangeOp::Remove)
                .map(|c| c.key.as_str()),
        );
        keys.into_iter().map(|key| self.row(key)).collect()
    }

    /// `key-`: removes the key from the objects; for a key none of them has
    /// (one only just added here), drops the pending change instead.
    pub fn remove(&mut self, key: &str) {
        if self.targets.iter().any(|t| t.current.contains_key(key)) {
            self.edit.remove(key);
        } else {
            self.edit.revert(key);
        }
    }

    fn row(&self, key: &str) -> EntryRow {
        let values: Vec<&str> = self
            .targets
            .iter()
            .filter_map(|t| t.current.get(key).map(String::as_str))
            .collect();
        let distinct: BTreeSet<&str> = values.iter().copied().collect();
        let total = self.targets.len();
        let current = match (distinct.len(), values.len() == total) {
            (0, _) => String::new(),
            (1, true) => values[0].to_string(),
            (1, false) => format!("{} ({} of {total})", values[0], values.len()),
            (n, true) => format!("({n} values)"),
            (n, false) => format!("({n} values, {} of {total})", values.len()),
        };
        let (new, state) = match self.edit.change_of(key) {
            None => (None, EntryState::Unchanged),
            Some(ChangeOp::Set(value)) => {
                let state = if values.is_empty() {
                    EntryState::Added
                } else if values.len() == total && distinct.len() == 1 && values[0] == value {
                    EntryState::Unchanged
                } else {
                    EntryState::Changed
                };
                (Some(value.clone()), state)
            }
            Some(ChangeOp::Remove) => {
                let state = if values.is_empty() {
                    EntryState::Unchanged
                } else {
                    EntryState::Removed
                };
                (None, state)
            }
        };
        EntryRow {
            key: key.to_string(),
            current,
            new,
            state,
        }
    }

    /// The problems of the edit on every target, each once, errors first.
    pub fn problems(&self) -> Vec<Problem> {
        let mut seen = BTreeSet::new();
        let mut out: Vec<Problem> = Vec::new();
        let empty = BTreeMap::new();
        let currents: Vec<&BTreeMap<String, String>> = if self.targets.is_empty() {
            vec![&empty]
        } else {
            self.targets.iter().map(|t| &t.current).collect()
        };
        for current in currents {
            for problem in validate(&self.edit, current) {
                if seen.insert(problem.message.clone()) {
                    out.push(problem);
                }
            }
        }
        out.sort_by_key(|p| p.severity);
        out
    }

    /// After a conflict: `object`'s base becomes what the server has now, so
    /// the rows show the server's values and the kept edit is re-applied
    /// against `resource_version`. Returns whether `object` is a target.
    pub fn rebase(
        &mut self,
        object: &ObjectRef,
        current: BTreeMap<String, String>,
        resource_version: impl Into<String>,
    ) -> bool {
        match self.targets.iter_mut().find(|t| &t.object == object) {
            Some(target) => {
                target.current = current;
                target.resource_version = resource_version.into();
                true
            }
            None => false,
        }
    }

    /// The targets the edit would change, i.e. those a request is sent for.
    pub fn changed_targets(&self) -> Vec<&EditTarget> {
        self.targets
            .iter()
            .filter(|t| !self.edit.is_noop_for(&t.current))
            .collect()
    }

    /// Whether the edit may be sent: no errors and something to change.
    pub fn can_apply(&self) -> bool {
        !has_errors(&self.problems()) && !self.changed_targets().is_empty()
    }
}

fn object_text(object: &ObjectRef) -> String {
    if object.namespace.is_empty() {
        format!("{} {}", object.kind.name(), object.name)
    } else {
        format!(
            "{} {}/{}",
            object.kind.name(),
            object.namespace,
            object.name
        )
    }
}

fn title_case(field: LabelField) -> &'static str {
    match field {
        LabelField::Labels => "Labels",
        LabelField::Annotations => "Annotations",
    }
}

/// The editor as a document: one row per key (`+` added, `~` changed, `-`
/// removed), the problems, and the objects when several are marked.
pub fn label_editor_doc(editor: &LabelEditor) -> Doc {
    let field = editor.edit.field;
    let title = match editor.targets.as_slice() {
        [one] => format!("{} of {}", title_case(field), object_text(&one.object)),
        targets => {
            let kinds: BTreeSet<&str> = targets.iter().map(|t| t.object.kind.name()).collect();
            let kind = match kinds.len() {
                1 => kinds.iter().next().copied().unwrap_or("object"),
                _ => "object",
            };
            format!(
                "{} of {} {}",
                title_case(field),
                targets.len(),
                plural(kind, targets.len())
            )
        }
    };
    let mut doc = Doc::new(title.clone());
    doc.heading(title);
    let rows = editor.rows();
    if rows.is_empty() {
        doc.text(format!("No {}.", field.json_name()), Tone::Muted);
    } else {
        let table_rows = rows
            .iter()
            .map(|row| {
                let (mark, value, tone): (&str, String, Tone) = match row.state {
                    EntryState::Unchanged => (" ", row.current.clone(), Tone::Normal),
                    EntryState::Added => ("+", row.new.clone().unwrap_or_default(), Tone::Good),
                    EntryState::Changed => (
                        "~",
                        format!(
                            "{} → {}",
                            row.current,
                            row.new.as_deref().unwrap_or_default()
                        ),
                        Tone::Warning,
                    ),
                    EntryState::Removed => ("-", row.current.clone(), Tone::Bad),
                };
                let cells: Vec<Cell> = vec![
                    (mark.to_string(), tone),
                    (row.key.clone(), tone),
                    (value, tone),
                ];
                (cells, None)
            })
            .collect();
        doc.table(&[" ", "KEY", "VALUE"], table_rows);
    }
    let pending = rows
        .iter()
        .filter(|r| r.state != EntryState::Unchanged)
        .count();
    doc.blank();
    let changed = editor.changed_targets().len();
    let summary = match (pending, editor.targets.len()) {
        (0, _) => "No pending changes.".to_string(),
        (n, 1) => format!("{n} pending {}.", plural("change", n)),
        (n, total) => format!(
            "{n} pending {}; {changed} of {total} objects would change.",
            plural("change", n)
        ),
    };
    doc.text(summary, Tone::Muted);
    let problems = editor.problems();
    if !problems.is_empty() {
        doc.heading("Problems");
        problems_lines(&mut doc, &problems);
    }
    if editor.targets.len() > 1 {
        doc.heading("Objects");
        for target in &editor.targets {
            let tone = if editor.edit.is_noop_for(&target.current) {
                Tone::Muted
            } else {
                Tone::Normal
            };
            doc.link(
                vec![Span::new(object_text(&target.object), tone)],
                target.object.clone(),
            );
        }
    }
    doc
}

fn plural(word: &str, n: usize) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// Problems as `error: …` / `warning: …` lines; errors block the request.
pub fn problems_lines(doc: &mut Doc, problems: &[Problem]) {
    for problem in problems {
        let (label, tone) = match problem.severity {
            Severity::Error => ("error: ", Tone::Bad),
            Severity::Warning => ("warning: ", Tone::Warning),
        };
        doc.line(vec![
            Span::new(label, tone),
            Span::new(problem.message.clone(), tone),
        ]);
    }
}

/// What changed in a map between the editor's base and the server's copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConflictDiff {
    /// Keys the server has and the base had not: (key, value).
    pub added: Vec<(String, String)>,
    /// Keys whose value differs: (key, base value, server value).
    pub changed: Vec<(String, String, String)>,
    /// Keys the base had and the server has not: (key, base value).
    pub removed: Vec<(String, String)>,
}

impl ConflictDiff {
    /// Whether the map is the same on both sides.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// Every key the server changed, sorted.
    pub fn keys(&self) -> BTreeSet<&str> {
        self.added
            .iter()
            .map(|(k, _)| k.as_str())
            .chain(self.changed.iter().map(|(k, _, _)| k.as_str()))
            .chain(self.removed.iter().map(|(k, _)| k.as_str()))
            .collect()
    }
}

/// The keys added, changed and removed going from `base` to `server`, sorted.
pub fn conflict_diff(
    base: &BTreeMap<String, String>,
    server: &BTreeMap<String, String>,
) -> ConflictDiff {
    let mut diff = ConflictDiff::default();
    for (key, value) in server {
        match base.get(key) {
            None => diff.added.push((key.clone(), value.clone())),
            Some(old) if old != value => {
                diff.changed.push((key.clone(), old.clone(), value.clone()))
            }
            Some(_) => {}
        }
    }
    for (key, value) in base {
        if !server.contains_key(key) {
            diff.removed.push((key.clone(), value.clone()));
        }
    }
    diff
}

/// After a 409: what changed on the server since the editor opened, the
/// user's edit (kept), and which of the server's changes re-applying would
/// overwrite. Re-applying sends the same edit against `server_resource_version`.
pub fn conflict_doc(
    object: &ObjectRef,
    edit: &LabelEdit,
    base: &BTreeMap<String, String>,
    server: &BTreeMap<String, String>,
    server_resource_version: &str,
) -> Doc {
    let field = edit.field;
    let mut doc = Doc::new(format!("Conflict: {}", object_text(object)));
    doc.heading(format!(
        "{} changed on the server (now resourceVersion {server_resource_version})",
        object_text(object)
    ));
    let diff = conflict_diff(base, server);
    if diff.is_empty() {
        doc.text(
            format!(
                "Its {} are unchanged; another part of the object changed.",
                field.json_name()
            ),
            Tone::Muted,
        );
    }
    for (key, value) in &diff.added {
        doc.text(format!("+ {key}={value}"), Tone::Good);
    }
    for (key, old, new) in &diff.changed {
        doc.text(format!("~ {key}: {old} → {new}"), Tone::Warning);
    }
    for (key, value) in &diff.removed {
        doc.text(format!("- {key}={value}"), Tone::Bad);
    }
    doc.heading("Your edit (kept)");
    for change in &edit.changes {
        match &change.op {
            ChangeOp::Set(value) => doc.text(format!("set {}={value}", change.key), Tone::Normal),
            ChangeOp::Remove => doc.text(format!("remove {}", change.key), Tone::Normal),
        }
    }
    let changed_keys = diff.keys();
    let overwritten: Vec<&str> = edit
        .changes
        .iter()
        .map(|c| c.key.as_str())
        .filter(|k| changed_keys.contains(k))
        .collect();
    doc.blank();
    for key in &overwritten {
        doc.text(
            format!("Re-applying overwrites the server's change of {key}."),
            Tone::Warning,
        );
    }
    doc.text(
        format!("Re-apply to send your edit against resourceVersion {server_resource_version}."),
        Tone::Muted,
    );
    doc
}
