//! client-go's JSONPath evaluator (`jsonpath.go`, with missing keys allowed),
//! over JSON as the API server decodes it: a `null` is a value a path can
//! reach but not walk through, integers and floats are different types.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use super::{Node, Param};

type Item<'a> = Cow<'a, Value>;

/// A step's values, or on an error the values client-go returns with it: an
/// existence filter counts those, anything else finds nothing.
type Walk<'a> = Result<Vec<Item<'a>>, Vec<Item<'a>>>;

/// `FindResults` of the first top-level node; an error in any node fails all.
pub(super) fn find(root: &[Node], object: &Value) -> Vec<Value> {
    let mut first = None;
    for node in root {
        match walk(vec![Cow::Borrowed(object)], node) {
            Ok(values) => {
                first.get_or_insert(values);
            }
            Err(_) => return Vec::new(),
        }
    }
    first
        .unwrap_or_default()
        .into_iter()
        .map(Cow::into_owned)
        .collect()
}

fn walk<'a>(input: Vec<Item<'a>>, node: &Node) -> Walk<'a> {
    let constant = |value: Value| input.iter().map(|_| Cow::Owned(value.clone())).collect();
    match node {
        Node::List(nodes) => list(input, nodes),
        // A literal is one value, whatever the input.
        Node::Text(text) => Ok(vec![Cow::Owned(Value::String(text.clone()))]),
        Node::Int(int) => Ok(constant(Value::from(*int))),
        Node::Float(float) => Ok(constant(Value::from(*float))),
        Node::Bool(b) => Ok(constant(Value::Bool(*b))),
        Node::Field(name) => Ok(field(input, name)),
        Node::Array(params) => array(input, params),
        Node::Filter {
            left,
            right,
            operator,
        } => filter(input, left, right, operator),
        Node::Wildcard => Ok(input.iter().flat_map(children).collect()),
        Node::Recursive => Ok(recursive(input)),
        Node::Union(lists) => {
            let mut out = Vec::new();
            for nodes in lists {
                match list(input.clone(), nodes) {
                    Ok(values) => out.extend(values),
                    Err(_) => return Err(input),
                }
            }
            Ok(out)
        }
        // `range` and `end` loop over a template's output; a column path has
        // nothing to loop over.
        Node::Identifier(_) => Err(input),
    }
}

fn list<'a>(input: Vec<Item<'a>>, nodes: &[Node]) -> Walk<'a> {
    nodes.iter().try_fold(input, walk)
}

fn field<'a>(input: Vec<Item<'a>>, name: &str) -> Vec<Item<'a>> {
    input
        .into_iter()
        .filter_map(|item| match item {
            Cow::Borrowed(Value::Object(map)) => map.get(name).map(Cow::Borrowed),
            Cow::Owned(Value::Object(mut map)) => map.remove(name).map(Cow::Owned),
            _ => None,
        })
        .collect()
}

/// The entries of a map (by key), the elements of a list, or the bytes of a
/// string, as Go's reflection walks them.
fn children<'a>(item: &Item<'a>) -> Vec<Item<'a>> {
    match item {
        Cow::Borrowed(Value::Object(map)) => map.values().map(Cow::Borrowed).collect(),
        Cow::Borrowed(Value::Array(list)) => list.iter().map(Cow::Borrowed).collect(),
        Cow::Owned(Value::Object(map)) => map.values().cloned().map(Cow::Owned).collect(),
        Cow::Owned(Value::Array(list)) => list.iter().cloned().map(Cow::Owned).collect(),
        Cow::Borrowed(Value::String(text)) | Cow::Owned(Value::String(text)) => text
            .bytes()
            .map(|byte| Cow::Owned(Value::from(byte)))
            .collect(),
        _ => Vec::new(),
    }
}

fn elements<'a>(item: &Item<'a>) -> Option<Vec<Item<'a>>> {
    matches!(item.as_ref(), Value::Array(_)).then(|| children(item))
}

/// Every value below the input that has children, each followed by those
/// below it; scalars are not included themselves.
fn recursive(input: Vec<Item<'_>>) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    for item in input {
        let below = children(&item);
        if !below.is_empty() {
            out.push(item);
            out.extend(recursive(below));
        }
    }
    out
}

fn array<'a>(input: Vec<Item<'a>>, params: &[Param; 3]) -> Walk<'a> {
    let mut out = Vec::new();
    for item in &input {
        if item.is_null() {
            continue;
        }
        let Some(elements) = elements(item) else {
            return Err(input.clone());
        };
        match range(params, elements.len() as i64) {
            Range::Empty => return Ok(out),
            Range::OutOfBounds => return Err(input.clone()),
            Range::Slice { start, end, step } => {
                out.extend(elements.into_iter().take(end).skip(start).step_by(step))
            }
        }
    }
    Ok(out)
}

enum Range {
    /// `[i:i]`: client-go stops at the first such list with what it has.
    Empty,
    OutOfBounds,
    Slice {
        start: usize,
        end: usize,
        step: usize,
    },
}

fn range(params: &[Param; 3], len: i64) -> Range {
    let [mut start, mut end, step] = *params;
    if !start.known {
        start.value = 0;
    }
    if start.value < 0 {
        start.value += len;
    }
    if !end.known {
        end.value = len;
    }
    if end.value < 0 || (end.value == 0 && end.derived) {
        end.value += len;
    }
    if end.value == start.value {
        return Range::Empty;
    }
    let in_bounds = (0..len).contains(&start.value)
        && (0..=len).contains(&end.value)
        && start.value <= end.value
        && (!step.known || step.value > 0);
    if !in_bounds {
        return Range::OutOfBounds;
    }
    let index = |value: i64| usize::try_from(value).unwrap_or_default();
    Range::Slice {
        start: index(start.value),
        end: index(end.value),
        step: if step.known { index(step.value) } else { 1 },
    }
}

fn filter<'a>(input: Vec<Item<'a>>, left: &[Node], right: &[Node], operator: &str) -> Walk<'a> {
    let mut out = Vec::new();
    for item in &input {
        // Unlike the other steps, a filter over `null` is an error.
        let Some(elements) = elements(item) else {
            return Err(input.clone());
        };
        for element in elements {
            let lefts = list(vec![element.clone()], left);
            if operator == "exists" {
                if !lefts.unwrap_or_else(|partial| partial).is_empty() {
                    out.push(element);
                }
                continue;
            }
            let Some(lhs) = single(lefts) else {
                return Err(input.clone());
            };
            let Some(lhs) = lhs else { continue };
            let Some(rhs) = single(list(vec![element.clone()], right)) else {
                return Err(input.clone());
            };
            let Some(rhs) = rhs else { continue };
            match compare(operator, &lhs, &rhs) {
                Some(true) => out.push(element),
                Some(false) => {}
                None => return Err(out),
            }
        }
    }
    Ok(out)
}

/// One side of a comparison: `Some(None)` when it found nothing (the element
/// is skipped), `None` on an error or more than one value.
fn single(side: Walk<'_>) -> Option<Option<Item<'_>>> {
    let mut values = side.ok()?;
    match values.len() {
        0 => Some(None),
        1 => Some(values.pop()),
        _ => None,
    }
}

/// A value as Go's template comparisons classify it.
#[derive(PartialEq, PartialOrd)]
enum Basic<'v> {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'v str),
}

fn basic(value: &Value) -> Option<Basic<'_>> {
    match value {
        Value::Bool(b) => Some(Basic::Bool(*b)),
        // An integer past i64 decodes as a float64 in the API server.
        Value::Number(n) => Some(match n.as_i64() {
            Some(int) => Basic::Int(int),
            None => Basic::Float(n.as_f64()?),
        }),
        Value::String(text) => Some(Basic::Str(text)),
        _ => None,
    }
}

/// `template.Equal`, `Less` and the operators built on them; `None` where Go
/// reports an error (different types, ordering booleans, null, maps, lists).
fn compare(operator: &str, left: &Value, right: &Value) -> Option<bool> {
    let (l, r) = (basic(left)?, basic(right)?);
    if std::mem::discriminant(&l) != std::mem::discriminant(&r) {
        return None;
    }
    let less = || match (&l, &r) {
        (Basic::Bool(_), _) => None,
        _ => Some(l.partial_cmp(&r) == Some(Ordering::Less)),
    };
    let equal = l == r;
    match operator {
        "==" => Some(equal),
        "!=" => Some(!equal),
        "<" => less(),
        ">=" => less().map(|lt| !lt),
        "<=" => less().map(|lt| lt || equal),
        ">" => less().map(|lt| !(lt || equal)),
        _ => None,
    }
}
