//! Editing an object's labels or annotations: the edit itself (set / remove
//! keys), its validation with the API server's rules and messages, and the JSON
//! merge patch that carries it with the object's resourceVersion as a
//! precondition. The editor view, the conflict diff and the selector impact
//! warnings live in the submodules.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::validation::{label_value_errors, qualified_name_errors};

mod editor;
mod impact;

#[cfg(test)]
mod tests;

pub use editor::{
    ConflictDiff, EditTarget, EntryRow, EntryState, LabelEditor, conflict_diff, conflict_doc,
    label_editor_doc, problems_lines,
};
pub use impact::{ControllerSelector, ServiceSelector, controller_selector, selector_impact};

/// `TotalAnnotationSizeLimitB` (`apimachinery/pkg/api/validation/objectmeta.go`):
/// the sum of every annotation's key and value length, in bytes.
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// Which map of the object's metadata an edit changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelField {
    Labels,
    Annotations,
}

impl LabelField {
    /// The metadata field name, as in the patch and in the API server's messages.
    pub fn json_name(self) -> &'static str {
        match self {
            LabelField::Labels => "labels",
            LabelField::Annotations => "annotations",
        }
    }

    /// The field path the API server names in its errors.
    pub fn path(self) -> &'static str {
        match self {
            LabelField::Labels => "metadata.labels",
            LabelField::Annotations => "metadata.annotations",
        }
    }

    /// Singular noun for messages ("label", "annotation").
    pub fn noun(self) -> &'static str {
        match self {
            LabelField::Labels => "label",
            LabelField::Annotations => "annotation",
        }
    }
}

/// What happens to one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeOp {
    Set(String),
    Remove,
}

/// One key's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    pub op: ChangeOp,
}

/// A set of changes to one metadata map; at most one change per key (the
/// editor replaces an earlier change of the same key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelEdit {
    pub field: LabelField,
    pub changes: Vec<Change>,
}

impl LabelEdit {
    /// An edit with no changes yet.
    pub fn new(field: LabelField) -> Self {
        LabelEdit {
            field,
            changes: Vec::new(),
        }
    }

    /// Sets `key` to `value`, replacing any earlier change of `key`.
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.put(key.into(), ChangeOp::Set(value.into()));
    }

    /// Removes `key`, replacing any earlier change of `key`.
    pub fn remove(&mut self, key: impl Into<String>) {
        self.put(key.into(), ChangeOp::Remove);
    }

    /// Drops the pending change of `key`, if any.
    pub fn revert(&mut self, key: &str) {
        self.changes.retain(|c| c.key != key);
    }

    /// The pending change of `key`.
    pub fn change_of(&self, key: &str) -> Option<&ChangeOp> {
        self.changes.iter().find(|c| c.key == key).map(|c| &c.op)
    }

    fn put(&mut self, key: String, op: ChangeOp) {
        match self.changes.iter_mut().find(|c| c.key == key) {
            Some(change) => change.op = op,
            None => self.changes.push(Change { key, op }),
        }
    }

    /// `current` with the changes applied: what the object's map becomes.
    pub fn apply(&self, current: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut out = current.clone();
        for change in &self.changes {
            match &change.op {
                ChangeOp::Set(value) => {
                    out.insert(change.key.clone(), value.clone());
                }
                ChangeOp::Remove => {
                    out.remove(&change.key);
                }
            }
        }
        out
    }

    /// Whether applying the edit to `current` changes nothing.
    pub fn is_noop_for(&self, current: &BTreeMap<String, String>) -> bool {
        &self.apply(current) == current
    }
}

/// How serious a problem is: errors block the request, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong with, or worth knowing about, an edit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    fn error(message: String) -> Self {
        Problem {
            severity: Severity::Error,
            message,
        }
    }

    fn warning(message: String) -> Self {
        Problem {
            severity: Severity::Warning,
            message,
        }
    }
}

/// Whether any problem blocks the request.
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.severity == Severity::Error)
}

/// `field.Invalid(path, value, detail)` as `field.Error.Error()` prints it, the
/// value quoted as Go's `%q` does.
fn invalid(field: LabelField, value: &str, detail: &str) -> String {
    format!("{}: Invalid value: {value:?}: {detail}", field.path())
}

/// The edit checked as the API server would check the resulting object, for the
/// keys the edit sets (the others are already stored, hence valid), plus
/// warnings for reserved prefixes. Errors carry the server's own messages:
/// `ValidateLabels` / `ValidateAnnotations` in
/// `apimachinery/pkg/api/validation/objectmeta.go`.
pub fn validate(edit: &LabelEdit, current: &BTreeMap<String, String>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for change in &edit.changes {
        if let ChangeOp::Set(value) = &change.op {
            match edit.field {
                LabelField::Labels => {
                    for msg in qualified_name_errors(&change.key) {
                        problems.push(Problem::error(invalid(edit.field, &change.key, &msg)));
                    }
                    for msg in label_value_errors(value) {
                        problems.push(Problem::error(invalid(edit.field, value, &msg)));
                    }
                }
                LabelField::Annotations => {
                    // Annotation keys are case-insensitive: the server checks the
                    // lower-cased key and reports the key as given.
                    for msg in qualified_name_errors(&change.key.to_lowercase()) {
                        problems.push(Problem::error(invalid(edit.field, &change.key, &msg)));
                    }
                }
            }
        }
        if is_reserved(&change.key) {
            problems.push(Problem::warning(format!(
                "{} {:?}: the kubernetes.io/ and k8s.io/ prefixes are reserved for Kubernetes core components",
                edit.field.noun(),
                change.key
            )));
        }
    }
    if edit.field == LabelField::Annotations {
        let size = annotations_size(&edit.apply(current));
        if size > TOTAL_ANNOTATION_SIZE_LIMIT {
            // `field.TooLong(fldPath, "", TotalAnnotationSizeLimitB)`: TooLong
            // prints no value (`field/errors.go`, `ErrorBody`).
            problems.push(Problem::error(format!(
                "{}: Too long: may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes",
                edit.field.path()
            )));
        }
    }
    problems
}

/// `ValidateAnnotationsSize`: the byte lengths of every key and value, summed.
pub fn annotations_size(annotations: &BTreeMap<String, String>) -> usize {
    annotations.iter().map(|(k, v)| k.len() + v.len()).sum()
}

/// Whether `key`'s prefix is kubernetes.io or k8s.io or a subdomain of either.
/// The docs reserve these prefixes for core components ("Syntax and character
/// set" in concepts/overview/working-with-objects/labels and annotations); the
/// API server's NodeRestriction admission tests them this way
/// (`plugin/pkg/admission/noderestriction/admission.go`, `isKubernetesLabel`).
pub fn is_reserved(key: &str) -> bool {
    let Some((prefix, _)) = key.split_once('/') else {
        return false;
    };
    let prefix = prefix.to_ascii_lowercase();
    ["kubernetes.io", "k8s.io"]
        .iter()
        .any(|domain| prefix == *domain || prefix.ends_with(&format!(".{domain}")))
}

/// The JSON merge patch for `edit`: set keys carry their value, removed keys
/// `null`; a non-empty `resource_version` makes the write conditional on the
/// object being unchanged (the server answers 409 otherwise).
pub fn merge_patch(edit: &LabelEdit, resource_version: &str) -> Value {
    let mut entries = Map::new();
    for change in &edit.changes {
        let value = match &change.op {
            ChangeOp::Set(value) => Value::String(value.clone()),
            ChangeOp::Remove => Value::Null,
        };
        entries.insert(change.key.clone(), value);
    }
    let mut metadata = Map::new();
    if !resource_version.is_empty() {
        metadata.insert("resourceVersion".into(), json!(resource_version));
    }
    metadata.insert(edit.field.json_name().into(), Value::Object(entries));
    json!({ "metadata": metadata })
}
