//! Parsing saved clusters: YAML (one or many documents) or JSON files, `kind: List` and
//! `kind: XxxList` included, or directories of them. Everything is parsed before
//! anything reaches the cache, so a malformed file never leaves a half-loaded view;
//! its error names the file, the line and the column.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::cluster::{Kind, Objects};

/// What a snapshot held.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub objects: Objects,
    pub files: usize,
    /// Objects of kinds kubesight does not show, by `kind` (with the apiVersion when
    /// the kind name alone is ambiguous).
    pub skipped: BTreeMap<String, usize>,
    /// Malformed objects left out (a field of the wrong type, no kind, no name),
    /// each with its file, line and column; the rest of the file still loads.
    pub malformed: Vec<SnapshotError>,
}

impl Snapshot {
    /// One line for the user: what was loaded and what was left out.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "loaded {} objects from {} file{}",
            self.objects.total(),
            self.files,
            if self.files == 1 { "" } else { "s" }
        );
        let skipped: usize = self.skipped.values().sum();
        if skipped > 0 {
            let kinds: Vec<String> = self
                .skipped
                .iter()
                .map(|(k, n)| format!("{k} ×{n}"))
                .collect();
            line.push_str(&format!(
                "; skipped {skipped} of kinds not shown: {}",
                kinds.join(", ")
            ));
        }
        if let Some(first) = self.malformed.first() {
            let n = self.malformed.len();
            line.push_str(&format!(
                "; {n} malformed object{} skipped ({first}{})",
                if n == 1 { "" } else { "s" },
                if n > 1 { ", …" } else { "" }
            ));
        }
        line
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotError {
    pub path: PathBuf,
    /// 1-based, when the problem has a place in the file.
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for SnapshotError {}

pub fn error(path: &Path, at: Option<(u64, u64)>, message: impl Into<String>) -> SnapshotError {
    SnapshotError {
        path: path.to_path_buf(),
        line: at.map(|(l, _)| l),
        column: at.map(|(_, c)| c),
        message: message.into(),
    }
}

/// The file's extension, lower-cased.
pub fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Parses one file's text into `snapshot`. `path` only names the file in errors.
pub fn load_text(path: &Path, text: &str, snapshot: &mut Snapshot) -> Result<(), SnapshotError> {
    let is_json = match extension(path).as_deref() {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => text.trim_start().starts_with(['{', '[']),
    };
    let documents = if is_json {
        parse_json(path, text)?
    } else {
        parse_yaml(path, text)?
    };
    let mut staged = Snapshot::default();
    let mut file = File {
        path,
        text,
        spans: None,
    };
    for (index, document) in documents.into_iter().enumerate() {
        add_document(&mut file, index, document, &mut staged);
    }
    snapshot.files += 1;
    merge(snapshot, staged);
    Ok(())
}

/// One file being loaded: its name and text for error places, and its node
/// positions, parsed once on the first malformed object.
struct File<'a> {
    path: &'a Path,
    text: &'a str,
    spans: Option<Vec<SpanNode>>,
}

impl File<'_> {
    /// A malformed object, reported with its place and left out.
    fn problem(&mut self, doc: usize, steps: &[PathStep], message: String) -> SnapshotError {
        let spans = self.spans.get_or_insert_with(|| spans(self.text));
        error(self.path, locate(spans, doc, steps), message)
    }
}

fn merge(into: &mut Snapshot, from: Snapshot) {
    macro_rules! append {
        ($($field:ident),*) => { $(into.objects.$field.extend(from.objects.$field);)* };
    }
    append!(
        pods,
        nodes,
        namespaces,
        deployments,
        replica_sets,
        stateful_sets,
        daemon_sets,
        jobs,
        cron_jobs,
        pod_disruption_budgets,
        events,
        controller_revisions
    );
    for (kind, n) in from.skipped {
        *into.skipped.entry(kind).or_default() += n;
    }
    into.malformed.extend(from.malformed);
}

fn parse_json(path: &Path, text: &str) -> Result<Vec<Value>, SnapshotError> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            let message = e.to_string();
            // serde_json appends " at line L column C"; we print the place up front.
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            error(
                path,
                Some((e.line() as u64, e.column() as u64)),
                format!("invalid JSON: {message}"),
            )
        })
}

/// serde-saphyr's default budget (250,000 nodes) refuses a cluster of about
/// 1,000 pods. Here the limits grow with the file: a YAML node takes at least two
/// bytes of text and a document separator four, so no honest file needs more.
/// Alias expansion and nesting keep their fixed guards.
fn yaml_options(text: &str) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    let bytes = text.len();
    budget.max_reader_input_bytes = budget.max_reader_input_bytes.map(|max| max.max(bytes));
    budget.max_nodes = budget.max_nodes.max(bytes / 2 + 1);
    budget.max_events = budget.max_events.max(bytes + 1);
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(bytes);
    budget.max_documents = budget.max_documents.max(bytes / 4 + 1);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

fn parse_yaml(path: &Path, text: &str) -> Result<Vec<Value>, SnapshotError> {
    let documents: Vec<Option<Value>> =
        serde_saphyr::from_multiple_with_options(text, yaml_options(text)).map_err(|e| {
            error(
                path,
                crate::yaml_error::place(&e),
                format!("invalid YAML: {}", crate::yaml_error::message(&e)),
            )
        })?;
    // Empty documents (a stray `---`) are not objects; skip them.
    Ok(documents.into_iter().flatten().collect())
}

fn str_field<'a>(map: &'a serde_json::Map<String, Value>, field: &str) -> &'a str {
    map.get(field).and_then(Value::as_str).unwrap_or("")
}

/// One document: a `List`/`XxxList` is unpacked, anything else is one object.
fn add_document(file: &mut File<'_>, doc: usize, value: Value, out: &mut Snapshot) {
    let Value::Object(mut map) = value else {
        return add_object(file, doc, &[], value, out);
    };
    let kind = str_field(&map, "kind").to_string();
    let items = match map.remove("items") {
        Some(Value::Array(items)) if kind.ends_with("List") => items,
        other => {
            if let Some(items) = other {
                map.insert("items".into(), items);
            }
            return add_object(file, doc, &[], Value::Object(map), out);
        }
    };
    // Items of a typed list (PodList…) carry no kind or apiVersion of their own.
    let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
    let api_version = str_field(&map, "apiVersion").to_string();
    for (i, mut item) in items.into_iter().enumerate() {
        if let (Some(item_kind), Value::Object(fields)) = (item_kind, &mut item) {
            fields
                .entry("kind")
                .or_insert_with(|| Value::String(item_kind.to_string()));
            fields
                .entry("apiVersion")
                .or_insert_with(|| Value::String(api_version.clone()));
        }
        let at = [PathStep::Key("items".into()), PathStep::Index(i)];
        add_object(file, doc, &at, item, out);
    }
}

/// Keeps one object, or reports it as malformed and leaves it out.
fn add_object(
    file: &mut File<'_>,
    doc: usize,
    prefix: &[PathStep],
    value: Value,
    out: &mut Snapshot,
) {
    if let Err((steps, message)) = check_and_add(prefix, value, out) {
        let problem = file.problem(doc, &steps, message);
        out.malformed.push(problem);
    }
}

/// Where in the document a problem is, and what it is.
type Problem = (Vec<PathStep>, String);

fn check_and_add(prefix: &[PathStep], mut value: Value, out: &mut Snapshot) -> Result<(), Problem> {
    let at = |message: String| (prefix.to_vec(), message);
    let Value::Object(map) = &value else {
        return Err(at(
            "not a Kubernetes object (expected a mapping with apiVersion and kind)".into(),
        ));
    };
    let kind = str_field(map, "kind").to_string();
    let api_version = str_field(map, "apiVersion").to_string();
    if kind.is_empty() {
        let hint = if prefix.is_empty() {
            ""
        } else {
            " (a list item: is the file cut short?)"
        };
        return Err(at(format!("object has no `kind`{hint}")));
    }
    let Some(cached) = Kind::from_type(&api_version, &kind) else {
        let label = if Kind::ALL.iter().any(|k| k.name() == kind) {
            format!("{kind} ({api_version})")
        } else {
            kind.clone()
        };
        *out.skipped.entry(label).or_default() += 1;
        return Ok(());
    };
    let metadata_field = |field: &str| {
        map.get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let name = metadata_field("name");
    if name.is_empty() {
        return Err(at(format!("{kind} has no metadata.name")));
    }
    let namespace = metadata_field("namespace");
    let namespace = if namespace.is_empty() {
        namespace
    } else {
        format!("{namespace}/")
    };
    if let Err((steps, message)) = crate::rfc3339::normalize_times(&mut value) {
        let mut at = prefix.to_vec();
        at.extend(steps.into_iter().map(|step| match step {
            crate::rfc3339::Step::Key(key) => PathStep::Key(key),
            crate::rfc3339::Step::Index(index) => PathStep::Index(index),
        }));
        return Err((at, format!("{kind} {namespace}{name}: {message}")));
    }
    out.objects.push_value(cached, value).map_err(|e| {
        let mut steps = prefix.to_vec();
        steps.extend(e.path().iter().filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(PathStep::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(PathStep::Key(key.clone())),
            _ => None,
        }));
        let field = e.path().to_string();
        (
            steps,
            format!("{kind} {namespace}{name}: {field}: {}", e.inner()),
        )
    })
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

/// Every document's nodes with their positions. Only on the error path: the file
/// is parsed once more, this time keeping every node's position.
fn spans(text: &str) -> Vec<SpanNode> {
    serde_saphyr::from_multiple_with_options::<Option<SpanNode>>(text, yaml_options(text))
        .map(|documents| documents.into_iter().flatten().collect())
        .unwrap_or_default()
}

/// Finds where a field of a document sits in the source text.
fn locate(spans: &[SpanNode], doc: usize, steps: &[PathStep]) -> Option<(u64, u64)> {
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
struct SpanNode {
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
