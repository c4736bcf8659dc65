//! Parsing saved clusters: YAML (one or many documents) or JSON files, `kind: List` and
//! `kind: XxxList` included, or directories of them. Everything is parsed before
//! anything reaches the cache, so a malformed file never leaves a half-loaded view;
//! its error names the file, the line and the column.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_json::value::RawValue;

use crate::cluster::pod::Pod as CachedPod;
use crate::cluster::{Kind, Objects};

mod json;
mod locate;

use json::add_raw_document;
use locate::{SpanNode, locate, spans};

/// Where loaded pods go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PodForm {
    /// Full `k8s-openapi` pods in `objects.pods`: the demo, the simulator's seed,
    /// tests.
    #[default]
    Full,
    /// The cache's slim pods in `slim_pods`, each with its full JSON kept as
    /// compact text for its YAML view: what `--snapshot` loads, so that a saved
    /// cluster costs what a watched one does.
    Slim,
}

/// A pod's full object, as compact JSON, by namespace and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullPod {
    pub namespace: String,
    pub name: String,
    pub json: Box<str>,
}

/// What a snapshot held.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub objects: Objects,
    pub files: usize,
    /// Malformed objects left out (a field of the wrong type, no kind, no name),
    /// each with its file, line and column; the rest of the file still loads.
    pub malformed: Vec<SnapshotError>,
    /// With [`PodForm::Slim`]: the pods, and their full objects.
    pub slim_pods: Vec<CachedPod>,
    pub full_pods: Vec<FullPod>,
}

impl Snapshot {
    /// Every object loaded, slim pods included.
    pub fn total(&self) -> usize {
        self.objects.total() + self.slim_pods.len()
    }

    /// One line for the user: what was loaded and what was left out.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "loaded {} objects from {} file{}",
            self.total(),
            self.files,
            if self.files == 1 { "" } else { "s" }
        );
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

/// Parses one file's text into `snapshot`, pods in full. `path` only names the
/// file in errors.
pub fn load_text(path: &Path, text: &str, snapshot: &mut Snapshot) -> Result<(), SnapshotError> {
    load_text_as(path, text, PodForm::Full, snapshot)
}

/// Parses one file's text into `snapshot`, pods in `form`.
pub fn load_text_as(
    path: &Path,
    text: &str,
    form: PodForm,
    snapshot: &mut Snapshot,
) -> Result<(), SnapshotError> {
    let is_json = match extension(path).as_deref() {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => text.trim_start().starts_with(['{', '[']),
    };
    let mut staged = Snapshot::default();
    let mut file = File {
        path,
        text,
        spans: None,
        form,
    };
    if is_json {
        // Each object is decoded on its own from its slice of the text: a list of
        // 100,000 pods is never one JSON tree.
        for (index, document) in parse_json(path, text)?.into_iter().enumerate() {
            add_raw_document(&mut file, index, document, &mut staged);
        }
    } else {
        for (index, document) in parse_yaml(path, text)?.into_iter().enumerate() {
            add_document(&mut file, index, document, &mut staged);
        }
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
    form: PodForm,
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
    into.objects.others.extend(from.objects.others);
    into.malformed.extend(from.malformed);
    into.slim_pods.extend(from.slim_pods);
    into.full_pods.extend(from.full_pods);
}

/// An object of a kind without a store, as kept: without managedFields,
/// which nothing shows. A Secret keeps its values (the file had them); views
/// withhold them until asked to decode one.
fn generic_object(mut value: Value) -> Value {
    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    value
}

fn parse_json<'a>(path: &Path, text: &'a str) -> Result<Vec<&'a RawValue>, SnapshotError> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<&RawValue>()
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
    if let Err((steps, message)) = check_and_add(prefix, value, file.form, out) {
        let problem = file.problem(doc, &steps, message);
        out.malformed.push(problem);
    }
}

/// Where in the document a problem is, and what it is.
type Problem = (Vec<PathStep>, String);

fn check_and_add(
    prefix: &[PathStep],
    mut value: Value,
    form: PodForm,
    out: &mut Snapshot,
) -> Result<(), Problem> {
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
        // Every other kind is kept whole for its generic table.
        out.objects.others.push(generic_object(value));
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
    let decoded = if cached == Kind::Pod && form == PodForm::Slim {
        add_slim_pod(value, out)
    } else {
        out.objects.push_value(cached, value)
    };
    decoded.map_err(|e| {
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

/// A pod in the cache's form, and its full object as compact JSON.
fn add_slim_pod(
    mut value: Value,
    out: &mut Snapshot,
) -> Result<(), serde_path_to_error::Error<serde_json::Error>> {
    if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        metadata.remove("managedFields");
    }
    let json = serde_json::to_string(&value).unwrap_or_default();
    let field = |field: &str| {
        value
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (namespace, name) = (field("namespace"), field("name"));
    let pod: CachedPod = serde_path_to_error::deserialize(value)?;
    out.slim_pods.push(pod);
    out.full_pods.push(FullPod {
        namespace,
        name,
        json: json.into_boxed_str(),
    });
    Ok(())
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

#[cfg(test)]
mod tests;
