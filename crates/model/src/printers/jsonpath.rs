//! kubectl's JSONPath (`k8s.io/client-go/util/jsonpath`, v0.32), as CRDs'
//! additionalPrinterColumns use it: the apiextensions server wraps a column's
//! `jsonPath` in `{…}`, parses it as a template and, with missing keys
//! allowed, keeps the values the first `{…}` block finds.
//!
//! The parser and the evaluator are ports of client-go's, quirks included, so
//! a column reads what the API server would show: `['a.b']` is the path
//! `.a.b` (a dot inside a key is written `a\.b`), an index out of range or a
//! filter comparing a number with a string makes the whole path find nothing,
//! and `..` collects every map, list and non-empty string below a value.
//! `range`/`end` (template blocks of `kubectl -o jsonpath`) parse but find
//! nothing: a column has no use for them.

mod eval;
mod parse;

use serde_json::Value;

/// A parsed JSONPath expression.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    source: String,
    /// The template's top-level nodes: `{…}` blocks and the text between them.
    root: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSONPath {path:?}: {reason}")]
pub struct JsonPathError {
    pub path: String,
    pub reason: String,
}

/// One node of client-go's parse tree (`node.go`).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    List(Vec<Node>),
    Text(String),
    Field(String),
    Array([Param; 3]),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        operator: String,
    },
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Identifier(String),
}

/// Start, end or step of an array selection (`ParamsEntry`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Param {
    value: i64,
    known: bool,
    /// The end of a plain index `[i]`: `i + 1`, which for `[-1]` means the
    /// array's length.
    derived: bool,
}

impl JsonPath {
    /// Parses a column's `jsonPath` (`.spec.color`, without braces), the way
    /// the apiextensions server does: as the template `{<path>}`.
    pub fn parse(source: &str) -> Result<JsonPath, JsonPathError> {
        match parse::template(&format!("{{{source}}}")) {
            Ok(root) => Ok(JsonPath {
                source: source.to_string(),
                root,
            }),
            Err(reason) => Err(JsonPathError {
                path: source.to_string(),
                reason,
            }),
        }
    }

    /// The path as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The values the path selects in `object`, in client-go's order (a map's
    /// entries by key). A `null` the path reaches is a value; an error on the
    /// way (an index out of range, a filter over a non-list) selects nothing.
    pub fn find(&self, object: &Value) -> Vec<Value> {
        eval::find(&self.root, object)
    }
}

#[cfg(test)]
mod tests;
