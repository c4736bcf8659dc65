//! The label and annotation editor's actions: opening it, asking before
//! applying, and taking in what the server answered.

use crate::app::docs::{self, DocKind};
use crate::app::tasks::TaskResult;
use crate::app::views::Screen;
use crate::app::*;
use crate::cache::Kind;
use crate::model::doc::ObjectRef;

impl App {
    /// `e`: in the editor, type changes; elsewhere, open it for the marked nodes
    /// or the object under the cursor.
    pub(in crate::app) fn edit_key(&mut self) {
        if let Some(Screen::Doc {
            kind: DocKind::Labels(_),
            ..
        }) = self.stack.last()
        {
            self.mode = Mode::EditLabels(Prompt::default());
            return;
        }
        let objects: Vec<ObjectRef> = match self.screen() {
            Screen::Nodes { marked, .. } if !marked.is_empty() => marked
                .iter()
                .map(|n| ObjectRef::new(Kind::Node, "", n.clone()))
                .collect(),
            _ => self.selected_object().into_iter().collect(),
        };
        let Some(session) = label_editing::LabelSession::open(
            &self.cache.stores,
            &objects,
            crate::model::labels_edit::LabelField::Labels,
        ) else {
            self.flash_error("select an object first".into());
            return;
        };
        if let (Some(namespace), Some(client)) = (session.pod_namespace(), self.client.clone()) {
            self.tasks.spawn(async move {
                let result = crate::ops::labels::service_selectors(&client, &namespace).await;
                TaskResult::Services { namespace, result }
            });
        }
        self.push_doc(DocKind::Labels(Box::new(session)));
    }

    pub(in crate::app) fn ask_apply_labels(&mut self) {
        let Some(Screen::Doc {
            kind: DocKind::Labels(session),
            ..
        }) = self.stack.last()
        else {
            return;
        };
        let editor = &session.editor;
        if !editor.can_apply() {
            let problems = editor.problems();
            let text = if crate::model::labels_edit::has_errors(&problems) {
                "fix the errors shown before applying".to_string()
            } else {
                "nothing to apply: type changes with e".to_string()
            };
            self.flash_error(text);
            return;
        }
        let targets: Vec<(ObjectRef, String)> = editor
            .changed_targets()
            .iter()
            .map(|t| (t.object.clone(), t.resource_version.clone()))
            .collect();
        let edit = editor.edit.clone();
        let warnings = session.impact(&self.cache.stores).len();
        if !self.may_write() {
            return;
        }
        self.mode = Mode::Confirm(Confirm {
            question: format!(
                "change the {} of {} object{}{}?",
                edit.field.json_name(),
                targets.len(),
                if targets.len() == 1 { "" } else { "s" },
                if warnings > 0 {
                    format!(" despite {warnings} warning(s) above")
                } else {
                    String::new()
                }
            ),
            action: Pending::Labels { targets, edit },
        });
    }

    pub(in crate::app) fn on_labels_applied(&mut self, outcomes: Vec<tasks::LabelOutcome>) {
        use crate::app::tasks::LabelOutcome;
        let Some(Screen::Doc {
            kind: DocKind::Labels(session),
            ..
        }) = self.stack.last_mut()
        else {
            return;
        };
        let (mut applied, mut conflicts, mut failures) = (0, 0, Vec::new());
        for outcome in outcomes {
            match outcome {
                LabelOutcome::Applied {
                    object,
                    current,
                    resource_version,
                } => {
                    applied += 1;
                    session.editor.rebase(&object, current, resource_version);
                }
                LabelOutcome::Conflict {
                    object,
                    server,
                    resource_version,
                } => {
                    conflicts += 1;
                    session.record_conflict(&object, server, resource_version);
                }
                LabelOutcome::Failed { object, message } => {
                    failures.push(format!("{}: {message}", docs::describe(&object)));
                }
            }
        }
        if conflicts == 0 && failures.is_empty() {
            // Everything went through: the edit is spent.
            session.editor.edit.changes.clear();
            session.conflicts.clear();
            self.flash = Some(Flash {
                text: format!(
                    "applied to {applied} object{}",
                    if applied == 1 { "" } else { "s" }
                ),
                is_error: false,
            });
        } else {
            let mut parts = Vec::new();
            if applied > 0 {
                parts.push(format!("applied to {applied}"));
            }
            if conflicts > 0 {
                parts.push(format!(
                    "{conflicts} changed on the server meanwhile: your edit is kept, review and press enter to apply again"
                ));
            }
            parts.extend(failures);
            self.flash_error(parts.join("; "));
        }
        self.refresh_all();
    }
}

/// What `apply_many` answers: per object, applied or why not.
type LabelResults = Result<
    Vec<(
        ObjectRef,
        Result<crate::ops::labels::Applied, crate::ops::labels::LabelOpError>,
    )>,
    crate::ops::Refused,
>;

/// The footer message and per-object outcomes of a label edit.
pub(in crate::app) fn labels_result(
    result: LabelResults,
    field: crate::model::labels_edit::LabelField,
) -> TaskResult {
    use crate::app::tasks::LabelOutcome;
    use crate::model::labels_edit::LabelField;
    use crate::ops::labels::LabelOpError;
    let results = match result {
        Ok(results) => results,
        Err(refused) => {
            return TaskResult::Flash {
                text: refused.to_string(),
                is_error: true,
            };
        }
    };
    TaskResult::LabelsApplied(
        results
            .into_iter()
            .map(|(object, outcome)| match outcome {
                Ok(applied) => LabelOutcome::Applied {
                    object,
                    current: match field {
                        LabelField::Labels => applied.labels,
                        LabelField::Annotations => applied.annotations,
                    },
                    resource_version: applied.resource_version,
                },
                Err(LabelOpError::Conflict {
                    server_labels,
                    server_annotations,
                    server_resource_version,
                    ..
                }) => LabelOutcome::Conflict {
                    object,
                    server: match field {
                        LabelField::Labels => server_labels,
                        LabelField::Annotations => server_annotations,
                    },
                    resource_version: server_resource_version,
                },
                Err(error) => LabelOutcome::Failed {
                    object,
                    message: error.to_string(),
                },
            })
            .collect(),
    )
}
