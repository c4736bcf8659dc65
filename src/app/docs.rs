//! Which document a doc screen shows, and how it is rebuilt from the cache. Every
//! inspection view is a pure model function returning a [`Doc`]; this is the one
//! place that picks the function and its inputs.

use std::collections::HashSet;

use jiff::Timestamp;
use serde_json::Value;

use crate::cache::Stores;
use crate::model::doc::{Doc, ObjectRef};
use crate::model::drain::{DrainOptions, drain_plan_doc, plan_from_stores};
use crate::model::drain_timeline::{Timeline, timeline_doc};
use crate::model::events::{namespace_events_doc, object_events_doc};
use crate::model::owners::{Inventory, OwnerTree, namespace_forest, tree_for};
use crate::model::pdb::{pdb_doc, pdb_views, pdbs_covering};
use crate::model::pod_detail::{FullSpec, pod_detail_from_stores};
use crate::model::probes::probes_doc_in;
use crate::model::qos_explain::{qos_by_node_in, qos_doc_in};
use crate::model::rollout::rollout_doc_in;
use crate::model::table::Tone;
use crate::model::yaml_doc::{YamlOrigin, yaml_doc};

/// What a doc screen shows.
#[derive(Debug, Clone, PartialEq)]
pub enum DocKind {
    /// An object as YAML: from the cache at first, then in full once fetched.
    Yaml {
        target: ObjectRef,
        show_managed_fields: bool,
        fetched: Option<Value>,
    },
    /// The ownership tree an object belongs to; `collapsed` holds uids.
    Tree {
        target: ObjectRef,
        collapsed: HashSet<String>,
    },
    /// Every ownership tree of the namespace in scope.
    Forest { collapsed: HashSet<String> },
    /// A pod in detail: containers, conditions, volumes, owners, events;
    /// environments, mounts and affinity from the full pod once read.
    PodDetail {
        target: ObjectRef,
        fetched: Option<Value>,
    },
    /// The events of one object, or of the namespace in scope.
    Events { target: Option<ObjectRef> },
    /// What draining these nodes with these options would do, pod by pod.
    DrainPlan {
        nodes: Vec<String>,
        options: DrainOptions,
    },
    /// The running (or finished) drain's per-pod timeline.
    DrainRun,
    /// PodDisruptionBudgets: all of them, or those covering one pod.
    Pdbs { pod: Option<ObjectRef> },
    /// The logs being followed (the app's log session).
    Logs,
    /// `:pf`: the active port-forwards.
    Forwards,
    /// `:api`: every resource the cluster serves.
    ApiResources,
    /// The pods an object points at: a Service's selector, a claim's mounts.
    PodsOf {
        title: String,
        namespace: String,
        /// A label selector, or `claim:NAME`.
        matcher: String,
    },
    /// An object of any kind (from its table): as YAML (`y`), a Secret's
    /// values withheld; described (`d`); or a Secret decoded (`x`).
    ObjectYaml {
        resource: crate::model::api_catalog::ApiResource,
        namespace: String,
        name: String,
        fetched: Option<Value>,
        view: ObjectView,
    },
    /// The label or annotation editor.
    Labels(Box<super::label_editing::LabelSession>),
    /// A pod's QoS class and why.
    Qos { target: ObjectRef },
    /// Every pod by node, in the order the kubelet evicts under memory pressure.
    QosByNode,
    /// A pod's probes and their recent failures.
    Probes { target: ObjectRef },
    /// A workload's revisions, rollout status and, when chosen, a template diff.
    Rollout {
        target: ObjectRef,
        /// The revision marked with the toggle key, to diff against.
        marked: Option<i64>,
        diff: Option<(i64, i64)>,
    },
}

/// How an object of any kind is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectView {
    Yaml,
    Describe,
    /// A Secret's values, decoded.
    Decoded,
}

/// Everything a document is built from.
pub struct DocInputs<'a> {
    pub stores: &'a Stores,
    pub now: Timestamp,
    /// `None`: every namespace.
    pub namespace: Option<&'a str>,
    /// Objects come from files rather than a watch.
    pub from_files: bool,
    /// The timeline of the drain started from this app, if any.
    pub drain: Option<&'a Timeline>,
    /// The logs being followed, if any.
    pub logs: Option<&'a super::log_session::LogSession>,
    /// The port-forwards started from this app.
    pub forwards: Option<&'a crate::ops::portforward::Forwards>,
    /// The resources the cluster serves.
    pub catalog: &'a crate::model::api_catalog::Catalog,
}

/// `Pod shop/web-1`, `Node n1`: how titles and messages name an object.
pub fn describe(target: &ObjectRef) -> String {
    if target.namespace.is_empty() {
        format!("{} {}", target.kind.name(), target.name)
    } else {
        format!(
            "{} {}/{}",
            target.kind.name(),
            target.namespace,
            target.name
        )
    }
}

impl DocKind {
    /// The object the document is about, if it is about one.
    pub fn subject(&self) -> Option<&ObjectRef> {
        match self {
            DocKind::Yaml { target, .. }
            | DocKind::Qos { target }
            | DocKind::Probes { target }
            | DocKind::Rollout { target, .. }
            | DocKind::Tree { target, .. }
            | DocKind::PodDetail { target, .. }
            | DocKind::Events {
                target: Some(target),
            } => Some(target),
            DocKind::Pdbs { pod } => pod.as_ref(),
            DocKind::Labels(session) => session.editor.targets.first().map(|t| &t.object),
            DocKind::QosByNode
            | DocKind::Forest { .. }
            | DocKind::Events { target: None }
            | DocKind::DrainPlan { .. }
            | DocKind::DrainRun
            | DocKind::Logs
            | DocKind::ApiResources
            | DocKind::ObjectYaml { .. }
            | DocKind::PodsOf { .. }
            | DocKind::Forwards => None,
        }
    }

    /// Whether the document shows something the clock moves (ages, "25s
    /// ago", countdowns, transfer rates). YAML is the object as it is (a
    /// description's ages do move); the logs and the label editor are rebuilt
    /// by their own sessions.
    pub fn moves_with_clock(&self) -> bool {
        !matches!(
            self,
            DocKind::Yaml { .. }
                | DocKind::ObjectYaml {
                    view: ObjectView::Yaml | ObjectView::Decoded,
                    ..
                }
                | DocKind::Logs
                | DocKind::Labels(_)
        )
    }

    /// The `:` command or key name of this view, for the title.
    pub fn name(&self) -> &'static str {
        match self {
            DocKind::Yaml { .. } => "yaml",
            DocKind::Tree { .. } | DocKind::Forest { .. } => "tree",
            DocKind::PodDetail { .. } => "pod",
            DocKind::DrainPlan { .. } | DocKind::DrainRun => "drain",
            DocKind::Pdbs { .. } => "pdb",
            DocKind::Labels(_) => "labels",
            DocKind::Logs => "logs",
            DocKind::Forwards => "pf",
            DocKind::ApiResources => "api",
            DocKind::ObjectYaml { .. } => "yaml",
            DocKind::PodsOf { .. } => "pods",
            DocKind::Events { .. } => "events",
            DocKind::Qos { .. } | DocKind::QosByNode => "qos",
            DocKind::Probes { .. } => "probes",
            DocKind::Rollout { .. } => "rollout",
        }
    }

    pub fn build(&self, inputs: &DocInputs) -> Doc {
        match self {
            DocKind::Yaml {
                target,
                show_managed_fields,
                fetched,
            } => {
                let title = format!("yaml {}", describe(target));
                match fetched {
                    Some(object) => {
                        yaml_doc(&title, object, YamlOrigin::Server, *show_managed_fields)
                    }
                    None => {
                        match inputs
                            .stores
                            .get_value(target.kind, &target.namespace, &target.name)
                        {
                            Some(object) => {
                                let origin = if inputs.from_files {
                                    YamlOrigin::File
                                } else {
                                    YamlOrigin::Cache
                                };
                                yaml_doc(&title, &object, origin, *show_managed_fields)
                            }
                            None => gone(title, target),
                        }
                    }
                }
            }
            DocKind::Tree { .. } | DocKind::Forest { .. } => match self.owner_tree(inputs) {
                Some(tree) => tree.doc,
                None => match self.subject() {
                    Some(target) => gone(format!("tree {}", describe(target)), target),
                    None => Doc::new("tree"),
                },
            },
            DocKind::PodDetail { target, fetched } => {
                let Some(pod) = inputs.stores.pod(&target.namespace, &target.name) else {
                    return gone(format!("pod {}", describe(target)), target);
                };
                // The full pod: read from the server, or as loaded from a file.
                let loaded = fetched.clone().or_else(|| {
                    inputs
                        .stores
                        .loaded_pods
                        .get(&target.namespace, &target.name)
                });
                let full: Option<k8s_openapi::api::core::v1::Pod> =
                    loaded.and_then(|v| serde_json::from_value(v).ok());
                let spec = match &full {
                    Some(full) => FullSpec::Read(full),
                    None if inputs.from_files => FullSpec::Unavailable,
                    None => FullSpec::Loading,
                };
                pod_detail_from_stores(&pod, spec, inputs.stores, inputs.now)
            }
            DocKind::Events { target } => {
                let events = inputs.stores.events.state();
                let events = events.iter().map(|e| e.as_ref());
                match target {
                    Some(target) => {
                        let uid = inputs
                            .stores
                            .get_value(target.kind, &target.namespace, &target.name)
                            .and_then(|v| {
                                v.pointer("/metadata/uid")
                                    .and_then(|u| u.as_str())
                                    .map(str::to_string)
                            });
                        object_events_doc(events, target, uid.as_deref(), inputs.now)
                    }
                    None => namespace_events_doc(events, inputs.namespace, inputs.now),
                }
            }
            DocKind::DrainPlan { nodes, options } => {
                let plan = plan_from_stores(inputs.stores, nodes, options, inputs.now);
                drain_plan_doc(&plan, options, inputs.now)
            }
            DocKind::ApiResources => api_resources_doc(inputs.catalog),
            DocKind::PodsOf {
                title,
                namespace,
                matcher,
            } => {
                use crate::model::pods_of::{PodMatch, pods_of_doc};
                let matcher = match matcher.strip_prefix("claim:") {
                    Some(claim) => Ok(PodMatch::Claim(claim.to_string())),
                    None => crate::model::selector::parse(matcher).map(PodMatch::Selector),
                };
                match matcher {
                    Ok(matcher) => {
                        let pods = inputs.stores.pods.state();
                        pods_of_doc(
                            title,
                            namespace,
                            &matcher,
                            pods.iter().map(|p| p.as_ref()),
                            inputs.now,
                        )
                    }
                    Err(error) => {
                        let mut doc = Doc::new(title.clone());
                        doc.text(format!("cannot read the selector: {error}"), Tone::Bad);
                        doc
                    }
                }
            }
            DocKind::ObjectYaml {
                resource,
                namespace,
                name,
                fetched,
                view,
            } => object_yaml_doc(inputs, resource, namespace, name, fetched.as_ref(), *view),
            DocKind::DrainRun => match inputs.drain {
                Some(timeline) => timeline_doc(timeline, inputs.now),
                None => {
                    let mut doc = Doc::new("drain");
                    doc.text("no drain has been started", Tone::Muted);
                    doc
                }
            },
            DocKind::Pdbs { pod } => pdbs_doc(inputs, pod.as_ref()),
            DocKind::Labels(session) => session.doc(inputs.stores),
            DocKind::Forwards => crate::model::forwards::forwards_doc(
                &inputs.forwards.map(|f| f.snapshot()).unwrap_or_default(),
                inputs.now,
            ),
            DocKind::Logs => match inputs.logs {
                Some(session) => session.doc(),
                None => Doc::new("logs"),
            },
            DocKind::Qos { target } => {
                qos_doc_in(inputs.stores, &target.namespace, &target.name, inputs.now)
                    .unwrap_or_else(|| gone(format!("qos {}", describe(target)), target))
            }
            DocKind::QosByNode => qos_by_node_in(inputs.stores, inputs.now),
            DocKind::Probes { target } => {
                probes_doc_in(inputs.stores, &target.namespace, &target.name, inputs.now)
                    .unwrap_or_else(|| gone(format!("probes {}", describe(target)), target))
            }
            DocKind::Rollout { target, diff, .. } => {
                rollout_doc_in(inputs.stores, target, *diff, inputs.now)
                    .unwrap_or_else(|| gone(format!("rollout {}", describe(target)), target))
            }
        }
    }
}

impl DocKind {
    /// The ownership tree of a tree or forest document, with which line draws
    /// which object (for collapsing).
    pub fn owner_tree(&self, inputs: &DocInputs) -> Option<OwnerTree> {
        match self {
            DocKind::Tree { target, collapsed } => {
                let inventory = Inventory::from_stores(inputs.stores);
                tree_for(&inventory, target, collapsed, inputs.now)
            }
            DocKind::Forest { collapsed } => {
                let inventory = Inventory::from_stores(inputs.stores);
                Some(namespace_forest(
                    &inventory,
                    inputs.namespace,
                    collapsed,
                    inputs.now,
                ))
            }
            _ => None,
        }
    }
}

/// Every budget with its pods and the drains it blocks; for a pod, only the
/// budgets covering it.
fn pdbs_doc(inputs: &DocInputs, pod: Option<&ObjectRef>) -> Doc {
    let pdbs = inputs.stores.pod_disruption_budgets.state();
    let pods = inputs.stores.pods.state();
    let mut pdbs: Vec<_> = pdbs.iter().map(|p| p.as_ref()).collect();
    let pods: Vec<_> = pods.iter().map(|p| p.as_ref()).collect();
    if let Some(target) = pod {
        let Some(covered) = inputs.stores.pod(&target.namespace, &target.name) else {
            return gone(format!("pdb {}", describe(target)), target);
        };
        pdbs = pdbs_covering(&covered, &pdbs);
    }
    let mut doc = pdb_doc(&pdb_views(&pdbs, &pods), inputs.now);
    if let Some(target) = pod {
        doc.title = format!("PodDisruptionBudgets covering {}", describe(target));
    }
    doc
}

/// The document of an object that is not (or no longer) in the cache.
pub fn gone(title: String, target: &ObjectRef) -> Doc {
    let mut doc = Doc::new(title);
    doc.text(
        format!(
            "{} is not in the cache (deleted, or not watched)",
            describe(target)
        ),
        Tone::Bad,
    );
    doc
}

/// The revision a rollout history line shows: its first cell, on a line that
/// names the ReplicaSet or ControllerRevision holding it.
pub fn revision_on_line(line: &crate::model::doc::DocLine) -> Option<i64> {
    let target = line.target.as_ref()?;
    if !matches!(
        target.kind,
        crate::cache::Kind::ReplicaSet | crate::cache::Kind::ControllerRevision
    ) {
        return None;
    }
    line.spans.first()?.text.trim().parse().ok()
}

/// `kubectl api-resources -o wide`: name, short names, apiVersion, scope,
/// kind and verbs of every resource, in discovery's order.
fn api_resources_doc(catalog: &crate::model::api_catalog::Catalog) -> Doc {
    let mut doc = Doc::new("API resources");
    let rows = catalog
        .all()
        .iter()
        .map(|r| {
            (
                vec![
                    (r.plural.clone(), Tone::Normal),
                    (r.short_names.join(","), Tone::Muted),
                    (r.api_version(), Tone::Normal),
                    (r.namespaced.to_string(), Tone::Muted),
                    (r.kind.clone(), Tone::Normal),
                    (format!("[{}]", r.verbs.join(" ")), Tone::Muted),
                ],
                None,
            )
        })
        .collect();
    doc.table(
        &[
            "NAME",
            "SHORTNAMES",
            "APIVERSION",
            "NAMESPACED",
            "KIND",
            "VERBS",
        ],
        rows,
    );
    doc
}

/// An object of any kind: fetched from the server, or as loaded from a file.
fn object_yaml_doc(
    inputs: &DocInputs,
    resource: &crate::model::api_catalog::ApiResource,
    namespace: &str,
    name: &str,
    fetched: Option<&Value>,
    view: ObjectView,
) -> Doc {
    use crate::model::secret_view;
    let scope = if namespace.is_empty() {
        String::new()
    } else {
        format!("{namespace}/")
    };
    let title = format!("{} {scope}{name}", resource.kind);
    let from_files = inputs.stores.others.all();
    let (object, origin) = match fetched {
        Some(object) => (Some(object.clone()), YamlOrigin::Server),
        None => (
            from_files
                .iter()
                .find(|o| {
                    o["kind"].as_str() == Some(resource.kind.as_str())
                        && o["metadata"]["name"].as_str() == Some(name)
                        && o["metadata"]["namespace"].as_str().unwrap_or_default() == namespace
                })
                .cloned(),
            YamlOrigin::File,
        ),
    };
    let Some(object) = object else {
        let mut doc = Doc::new(title);
        let note = if inputs.from_files {
            "not among the objects loaded from files"
        } else {
            "reading it from the API server…"
        };
        doc.text(note, Tone::Muted);
        return doc;
    };
    match view {
        ObjectView::Decoded if secret_view::is_secret(&object) => {
            return secret_view::decoded_doc(&format!("{title} (decoded)"), &object);
        }
        ObjectView::Describe => {
            let events = inputs.stores.events.state();
            return crate::model::describe::describe_doc(
                &object,
                events.iter().map(|e| e.as_ref()),
                inputs.now,
            );
        }
        _ => {}
    }
    yaml_doc(
        &format!("yaml {title}"),
        &secret_view::withhold_values(&object),
        origin,
        false,
    )
}
