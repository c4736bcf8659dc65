//! The label and annotation editor on screen: what it edits, the changes typed
//! in kubectl's `key=value` / `key-` syntax, and what the server answered.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::cache::{Kind, Stores};
use crate::model::doc::{Doc, ObjectRef};
use crate::model::labels_edit::{
    ControllerSelector, EditTarget, LabelEditor, LabelField, ServiceSelector, conflict_doc,
    controller_selector, label_editor_doc, selector_impact,
};
use crate::model::table::Tone;

/// The editor's state beyond the edit itself.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelSession {
    pub editor: LabelEditor,
    /// The Services of the edited pods' namespace, once listed (a pod's label
    /// change may make it match one); the error when they could not be listed.
    pub services: Option<Result<Vec<ServiceSelector>, String>>,
    /// What the server had when an apply met a conflict, shown until re-applied.
    pub conflicts: Vec<Doc>,
}

/// The labels (or annotations) and resourceVersion of a cached object.
fn current_of(stores: &Stores, object: &ObjectRef, field: LabelField) -> Option<EditTarget> {
    let value = stores.get_value(object.kind, &object.namespace, &object.name)?;
    let map: BTreeMap<String, String> = value
        .pointer(match field {
            LabelField::Labels => "/metadata/labels",
            LabelField::Annotations => "/metadata/annotations",
        })
        .and_then(|m| serde_json::from_value(m.clone()).ok())
        .unwrap_or_default();
    let resource_version = value
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Some(EditTarget {
        object: object.clone(),
        current: map,
        resource_version,
    })
}

impl LabelSession {
    /// An editor for `objects` as the cache has them now.
    pub fn open(stores: &Stores, objects: &[ObjectRef], field: LabelField) -> Option<Self> {
        let targets: Vec<EditTarget> = objects
            .iter()
            .filter_map(|o| current_of(stores, o, field))
            .collect();
        (!targets.is_empty()).then(|| LabelSession {
            editor: LabelEditor::new(field, targets),
            services: None,
            conflicts: Vec::new(),
        })
    }

    /// The same objects, the other field (labels ↔ annotations), no changes.
    pub fn switch_field(&self, stores: &Stores) -> Option<Self> {
        let field = match self.editor.edit.field {
            LabelField::Labels => LabelField::Annotations,
            LabelField::Annotations => LabelField::Labels,
        };
        let objects: Vec<ObjectRef> = self
            .editor
            .targets
            .iter()
            .map(|t| t.object.clone())
            .collect();
        let mut next = LabelSession::open(stores, &objects, field)?;
        next.services = self.services.clone();
        Some(next)
    }

    /// The namespace whose Services matter: the edited pods'.
    pub fn pod_namespace(&self) -> Option<String> {
        self.editor
            .targets
            .iter()
            .find(|t| t.object.kind == Kind::Pod)
            .map(|t| t.object.namespace.clone())
    }

    /// What the label change does to each edited pod's controller, budgets and
    /// Services.
    pub fn impact(&self, stores: &Stores) -> Vec<String> {
        if self.editor.edit.field != LabelField::Labels {
            return Vec::new();
        }
        let pdbs = stores.pod_disruption_budgets.state();
        let pdbs: Vec<_> = pdbs.iter().map(|p| p.as_ref()).collect();
        let services = match &self.services {
            Some(Ok(services)) => services.as_slice(),
            _ => &[],
        };
        let mut warnings = Vec::new();
        for target in &self.editor.targets {
            if target.object.kind != Kind::Pod {
                continue;
            }
            let Some(pod) = stores.pod(&target.object.namespace, &target.object.name) else {
                continue;
            };
            let after = self.editor.edit.apply(&target.current);
            let controller: Option<ControllerSelector> = controller_selector(&pod, stores);
            // Each warning names its pod already.
            warnings.extend(selector_impact(
                &pod,
                &after,
                controller.as_ref(),
                &pdbs,
                services,
            ));
        }
        warnings
    }

    /// The editor document: entries, problems, what the change would do, and
    /// any conflict the last apply met.
    pub fn doc(&self, stores: &Stores) -> Doc {
        let mut doc = label_editor_doc(&self.editor);
        let impact = self.impact(stores);
        if !impact.is_empty() {
            doc.heading("Before applying");
            for warning in impact {
                doc.text(warning, Tone::Warning);
            }
        }
        if self.pod_namespace().is_some() && self.editor.edit.field == LabelField::Labels {
            match &self.services {
                None => doc.text("Services: listing…", Tone::Muted),
                Some(Err(e)) => doc.text(
                    format!(
                        "Services could not be listed, so matches with them are not checked: {e}"
                    ),
                    Tone::Muted,
                ),
                Some(Ok(_)) => {}
            }
        }
        for conflict in &self.conflicts {
            doc.lines.push(Default::default());
            doc.lines.extend(conflict.lines.iter().cloned());
        }
        doc.heading("Keys");
        doc.text(
            "e: type changes as kubectl label does (key=value, key-) · space: labels ↔ annotations · enter: apply (asks first) · esc: discard",
            Tone::Muted,
        );
        doc
    }

    /// After a 409: the object's base becomes the server's, the edit stays, and
    /// what changed there is shown.
    pub fn record_conflict(
        &mut self,
        object: &ObjectRef,
        server: BTreeMap<String, String>,
        resource_version: String,
    ) {
        let base = self
            .editor
            .targets
            .iter()
            .find(|t| &t.object == object)
            .map(|t| t.current.clone())
            .unwrap_or_default();
        self.conflicts.push(conflict_doc(
            object,
            &self.editor.edit,
            &base,
            &server,
            &resource_version,
        ));
        self.editor.rebase(object, server, resource_version);
    }
}

/// Parses `key=value key2- key3=` (kubectl label's syntax) into the edit.
pub fn parse_changes(input: &str, editor: &mut LabelEditor) -> Result<usize, String> {
    let mut count = 0;
    for token in input.split_whitespace() {
        if let Some((key, value)) = token.split_once('=') {
            editor.edit.set(key, value);
        } else if let Some(key) = token.strip_suffix('-') {
            editor.remove(key);
        } else {
            return Err(format!(
                "{token:?}: expected key=value to set, or key- to remove"
            ));
        }
        count += 1;
    }
    if count == 0 {
        return Err("type key=value to set, key- to remove".to_string());
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::labels_edit::ChangeOp;

    #[test]
    fn kubectl_label_syntax() {
        let mut editor = LabelEditor::new(
            LabelField::Labels,
            vec![crate::model::labels_edit::EditTarget {
                object: crate::model::doc::ObjectRef::new(crate::cache::Kind::Pod, "ns", "p"),
                current: [("old".to_string(), "1".to_string())].into(),
                resource_version: "1".into(),
            }],
        );
        assert_eq!(parse_changes("tier=web old- empty=", &mut editor), Ok(3));
        assert_eq!(
            editor.edit.change_of("tier"),
            Some(&ChangeOp::Set("web".into()))
        );
        assert_eq!(editor.edit.change_of("old"), Some(&ChangeOp::Remove));
        assert_eq!(
            editor.edit.change_of("empty"),
            Some(&ChangeOp::Set(String::new()))
        );
        assert_eq!(
            parse_changes("tier", &mut editor),
            Err("\"tier\": expected key=value to set, or key- to remove".to_string())
        );
    }
}
