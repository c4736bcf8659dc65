//! The owner chain from one object up to its root, for detail views.

use std::collections::HashSet;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

use crate::doc::{Doc, DocLine, ObjectRef, Span};
use crate::table::Tone;

use super::inventory::{Inventory, cached_kind};

/// The owner chain from an object up to its root: the controller reference at
/// each step (the first owner when none is the controller). Stops at a
/// reference that does not resolve, and never loops.
pub fn owner_chain(
    inventory: &Inventory,
    namespace: &str,
    owners: &[OwnerReference],
) -> Vec<ChainLink> {
    let mut chain = Vec::new();
    let mut seen = HashSet::new();
    let mut namespace = namespace.to_string();
    let mut owners = owners.to_vec();
    while let Some(reference) = owners
        .iter()
        .find(|o| o.controller == Some(true))
        .or_else(|| owners.first())
        .cloned()
    {
        match inventory.resolve(&namespace, &reference) {
            Some(owner) if seen.insert(owner.uid.clone()) => {
                chain.push(ChainLink {
                    kind: reference.kind.clone(),
                    name: reference.name.clone(),
                    controller: reference.controller == Some(true),
                    target: Some(owner.object_ref()),
                    watched: true,
                });
                namespace = owner.namespace.clone();
                owners = owner.owners.clone();
            }
            Some(_) => break,
            None => {
                chain.push(ChainLink {
                    kind: reference.kind.clone(),
                    name: reference.name.clone(),
                    controller: reference.controller == Some(true),
                    target: None,
                    watched: cached_kind(&reference.api_version, &reference.kind).is_some(),
                });
                break;
            }
        }
    }
    chain
}

/// One step of an [`owner_chain`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainLink {
    /// The owner's kind as the reference names it.
    pub kind: String,
    /// The owner's name.
    pub name: String,
    /// Whether the reference is the controller reference.
    pub controller: bool,
    /// The owner, when it is in the cache.
    pub target: Option<ObjectRef>,
    /// Whether kubesight caches the owner's kind; unresolved and watched means
    /// dangling.
    pub watched: bool,
}

/// Appends an owner chain to a document, one linked line per owner.
pub fn write_chain(doc: &mut Doc, chain: &[ChainLink]) {
    if chain.is_empty() {
        doc.text("<none>", Tone::Muted);
        return;
    }
    for (depth, link) in chain.iter().enumerate() {
        let indent = "   ".repeat(depth);
        let role = if link.controller {
            "controlled by"
        } else {
            "owned by"
        };
        let mut spans = vec![
            Span::new(format!("{indent}└─ {role} "), Tone::Muted),
            Span::new(format!("{}/{}", link.kind, link.name), Tone::Normal),
        ];
        match &link.target {
            Some(target) => doc.link(spans, target.clone()),
            None => {
                let why = if link.watched {
                    " (not found: dangling)"
                } else {
                    " (not watched)"
                };
                spans.push(Span::new(why, Tone::Warning));
                doc.lines.push(DocLine {
                    spans,
                    target: None,
                    heading: false,
                });
            }
        }
    }
}
