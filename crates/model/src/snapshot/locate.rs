//! Where an error sits in a file: the text parsed once more keeping every node's
//! line and column, only on the error path.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use super::{PathStep, yaml_options};

/// Every document's nodes with their positions. Only on the error path: the file
/// is parsed once more, this time keeping every node's position.
pub(super) fn spans(text: &str) -> Vec<SpanNode> {
    serde_saphyr::from_multiple_with_options::<Option<SpanNode>>(text, yaml_options(text))
        .map(|documents| documents.into_iter().flatten().collect())
        .unwrap_or_default()
}

/// Finds where a field of a document sits in the source text.
pub(super) fn locate(spans: &[SpanNode], doc: usize, steps: &[PathStep]) -> Option<(u64, u64)> {
    let mut node = spans.get(doc)?;
    for step in steps {
        let next = match (step, &node.children) {
            (PathStep::Key(key), Children::Map(entries)) => {
                entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
            }
            (PathStep::Index(i), Children::Seq(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            // The deepest node we could find is the best place to point at.
            None => return Some((node.line, node.column)),
        }
    }
    (node.line > 0).then_some((node.line, node.column))
}

/// A YAML node with its position, for [`locate`].
pub(super) struct SpanNode {
    line: u64,
    column: u64,
    children: Children,
}

enum Children {
    Map(Vec<(String, SpanNode)>),
    Seq(Vec<SpanNode>),
    Leaf,
}

impl<'de> Deserialize<'de> for SpanNode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<Children>::deserialize(deserializer)?;
        Ok(SpanNode {
            line: spanned.referenced.line(),
            column: spanned.referenced.column(),
            children: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for Children {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Children;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML node")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Children, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<ScalarKey, SpanNode>()? {
                    entries.push((key.0, value));
                }
                Ok(Children::Map(entries))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Children, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<SpanNode>()? {
                    items.push(item);
                }
                Ok(Children::Seq(items))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Children, E> {
                Ok(Children::Leaf)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Children, E> {
                Ok(Children::Leaf)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Children, E> {
                Ok(Children::Leaf)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Children, E> {
                Ok(Children::Leaf)
            }
            fn visit_str<E>(self, _: &str) -> Result<Children, E> {
                Ok(Children::Leaf)
            }
            fn visit_unit<E>(self) -> Result<Children, E> {
                Ok(Children::Leaf)
            }
            fn visit_none<E>(self) -> Result<Children, E> {
                Ok(Children::Leaf)
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// A mapping key of any scalar type, as text.
struct ScalarKey(String);

impl<'de> Deserialize<'de> for ScalarKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Ok(ScalarKey(match value {
            Value::String(s) => s,
            other => other.to_string(),
        }))
    }
}
