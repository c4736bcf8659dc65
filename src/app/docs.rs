//! Which document a doc screen shows, and how it is rebuilt from the cache. Every
//! inspection view is a pure model function returning a [`Doc`]; this is the one
//! place that picks the function and its inputs.

use jiff::Timestamp;
use serde_json::Value;

use crate::cache::Stores;
use crate::model::doc::{Doc, ObjectRef};
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
}

/// Everything a document is built from.
pub struct DocInputs<'a> {
    pub stores: &'a Stores,
    pub now: Timestamp,
    /// `None`: every namespace.
    pub namespace: Option<&'a str>,
    /// Objects come from files rather than a watch.
    pub from_files: bool,
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
            DocKind::Yaml { target, .. } => Some(target),
        }
    }

    /// The `:` command or key name of this view, for the title.
    pub fn name(&self) -> &'static str {
        match self {
            DocKind::Yaml { .. } => "yaml",
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
        }
    }
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
