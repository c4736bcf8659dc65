//! Opening things: the selected row, an object's documents, its YAML, and
//! copying names and YAML to the clipboard.

use super::doc_view::DocView;
use super::docs::DocKind;
use super::tasks::TaskResult;
use super::views::Screen;
use super::*;
use crate::cache::Kind;
use crate::model::doc::ObjectRef;
use crate::model::table::TableRow;

impl App {
    pub(super) fn open_selected(&mut self) {
        match self.screen() {
            Screen::Nodes { view, .. } => {
                let Some(row) = view.table.get(view.selected) else {
                    return;
                };
                let node = row.name().to_string();
                self.stack.push(Screen::pods(Some(node)));
                self.refresh_all();
            }
            Screen::Doc {
                kind: DocKind::Labels(_),
                ..
            } => self.ask_apply_labels(),
            Screen::Doc { view, .. } => {
                if let Some(target) = view.selected_target().cloned() {
                    self.open_object(target);
                }
            }
            Screen::Pods { .. } => {
                if let Some(target) = self.selected_object() {
                    self.open_pod_detail(target);
                }
            }
            Screen::Resources { resource, view } => {
                let related = view
                    .table
                    .get(view.selected)
                    .and_then(|row| related_pods(resource, row));
                match (self.selected_object(), related) {
                    (Some(target), _) => self.open_object(target),
                    (None, Some(kind)) => self.push_doc(kind),
                    (None, None) => {
                        let text = format!(
                            "{}: enter opens workloads, pods, nodes, Services and claims; y shows any object",
                            resource.qualified()
                        );
                        self.flash_error(text);
                    }
                }
            }
        }
    }

    /// The object under the cursor: a table row, or the line of a document that
    /// names one (else the document's own subject).
    pub fn selected_object(&self) -> Option<ObjectRef> {
        match self.screen() {
            Screen::Pods { view, .. } => view.table.get(view.selected).map(|r| {
                let (namespace, name) = r.key();
                ObjectRef::new(Kind::Pod, namespace, name)
            }),
            Screen::Nodes { view, .. } => view
                .table
                .get(view.selected)
                .map(|r| ObjectRef::new(Kind::Node, "", r.name())),
            Screen::Resources { resource, view } => {
                // A kind kubesight caches opens as it does elsewhere.
                let kind = Kind::from_type(&resource.api_version(), &resource.kind)?;
                view.table.get(view.selected).map(|r| {
                    let (namespace, name) = r.key();
                    ObjectRef::new(kind, namespace, name)
                })
            }
            Screen::Doc { kind, view } => view.selected_target().or(kind.subject()).cloned(),
        }
    }

    /// Enter on an object named in a document: the most telling view of its kind.
    pub fn open_object(&mut self, target: ObjectRef) {
        match target.kind {
            Kind::Node => {
                self.stack.push(Screen::pods(Some(target.name)));
                self.refresh_all();
            }
            Kind::Pod => self.open_pod_detail(target),
            Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet => {
                self.push_doc(DocKind::Rollout {
                    target,
                    marked: None,
                    diff: None,
                })
            }
            Kind::ReplicaSet | Kind::Job | Kind::CronJob | Kind::Namespace => {
                self.push_doc(DocKind::Tree {
                    target,
                    collapsed: Default::default(),
                })
            }
            _ => self.push_doc(DocKind::Yaml {
                target,
                show_managed_fields: false,
                fetched: None,
            }),
        }
    }

    /// Opens a document on top of the stack.
    pub fn push_doc(&mut self, kind: DocKind) {
        let view = DocView::new(kind.build(&self.doc_inputs()));
        self.stack.push(Screen::Doc { kind, view });
    }

    pub(super) fn open_yaml(&mut self) {
        if let Some(target) = self.selected_object() {
            self.open_yaml_of(target);
        }
    }

    /// A pod's detail; its environments, mounts and affinity come from one
    /// read of the full pod (the cache keeps slim pods).
    pub(super) fn open_pod_detail(&mut self, target: ObjectRef) {
        self.push_doc(DocKind::PodDetail {
            target: target.clone(),
            fetched: None,
        });
        self.fetch_full(target);
    }

    pub(super) fn open_yaml_of(&mut self, target: ObjectRef) {
        self.push_doc(DocKind::Yaml {
            target: target.clone(),
            show_managed_fields: false,
            fetched: None,
        });
        self.fetch_full(target);
    }

    /// The cache keeps objects without managedFields; a live source reads the
    /// whole object once, in the background.
    pub(super) fn fetch_full(&mut self, target: ObjectRef) {
        if let Some(client) = self.client.clone() {
            self.tasks.spawn(async move {
                let result = crate::ops::fetch::fetch_object(client, &target).await;
                TaskResult::Fetched { target, result }
            });
        }
    }

    pub(super) fn toggle_managed_fields(&mut self) {
        if let Screen::Doc {
            kind:
                DocKind::Yaml {
                    show_managed_fields,
                    ..
                },
            ..
        } = self.screen_mut()
        {
            *show_managed_fields = !*show_managed_fields;
            self.refresh_all();
        }
    }

    pub(super) fn copy_yaml(&mut self) {
        let Screen::Doc {
            kind: DocKind::Yaml { .. },
            view,
        } = self.screen()
        else {
            return;
        };
        // The document minus its leading comment: exactly the YAML.
        let text: String = view
            .doc
            .lines
            .iter()
            .skip(1)
            .map(|l| format!("{}\n", l.text()))
            .collect();
        self.copy(text, "YAML");
    }

    pub(super) fn copy_name(&mut self) {
        if let Some(target) = self.selected_object() {
            self.copy(target.name.clone(), &target.name);
        }
    }

    pub(super) fn copy(&mut self, text: String, what: &str) {
        self.flash = Some(match self.clipboard.copy(&text) {
            Ok(how) => Flash {
                text: format!("copied {what} to the {how}"),
                is_error: false,
            },
            Err(e) => Flash {
                text: format!("cannot copy: {e}"),
                is_error: true,
            },
        });
    }

    /// Opens a pod's document (QoS, probes) for the pod under the cursor.
    pub(super) fn open_pod_doc(&mut self, make: impl FnOnce(ObjectRef) -> DocKind) {
        match self.selected_object() {
            Some(target) if target.kind == Kind::Pod => self.push_doc(make(target)),
            _ => self.flash_error("select a pod first".into()),
        }
    }
}

/// The pods a row points at, as kubectl's relations go: a Service's selector,
/// a PersistentVolumeClaim's mounts.
fn related_pods(
    resource: &crate::model::api_catalog::ApiResource,
    row: &crate::model::generic_rows::GenericRow,
) -> Option<DocKind> {
    use crate::model::table::TableRow;
    let (namespace, name) = row.key();
    let title = |what: &str| format!("Pods of {} {namespace}/{name}{what}", resource.kind);
    match (resource.group.as_str(), resource.kind.as_str()) {
        ("", "Service") => {
            let selector = row.cell_named("Selector")?;
            if selector == "<none>" {
                return None;
            }
            Some(DocKind::PodsOf {
                title: title(""),
                namespace: namespace.to_string(),
                matcher: selector,
            })
        }
        ("", "PersistentVolumeClaim") => {
            let volume = row
                .cell_named("Volume")
                .filter(|v| !v.is_empty())
                .map(|v| format!(" (volume {v})"))
                .unwrap_or_default();
            Some(DocKind::PodsOf {
                title: title(&volume),
                namespace: namespace.to_string(),
                matcher: format!("claim:{name}"),
            })
        }
        _ => None,
    }
}
