//! JSON files, decoded object by object from their slices of the text: a list
//! of 100,000 pods is never one JSON tree, and a well-formed pod goes straight
//! into the cache's slim form.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{File, FullPod, PathStep, PodForm, Snapshot, add_object};
use crate::cluster::pod::Pod as CachedPod;

/// What a JSON document's head says: a list's kind and items, or an object's.
#[derive(Deserialize)]
struct RawHead<'a> {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default, rename = "apiVersion")]
    api_version: Option<String>,
    #[serde(default, borrow)]
    items: Option<Vec<&'a RawValue>>,
}

/// One JSON document: a `List`/`XxxList` is unpacked item by item.
pub(super) fn add_raw_document(
    file: &mut File<'_>,
    doc: usize,
    raw: &RawValue,
    out: &mut Snapshot,
) {
    let head = serde_json::from_str::<RawHead<'_>>(raw.get()).ok();
    let list = head.filter(|h| h.kind.as_deref().is_some_and(|k| k.ends_with("List")));
    let Some(RawHead {
        kind: Some(kind),
        api_version,
        items: Some(items),
    }) = list
    else {
        return add_raw_object(file, doc, &[], raw, None, out);
    };
    // Items of a typed list (PodList…) carry no kind or apiVersion of their own.
    let item_type = kind
        .strip_suffix("List")
        .filter(|k| !k.is_empty())
        .map(|k| (k.to_string(), api_version.unwrap_or_default()));
    for (i, item) in items.into_iter().enumerate() {
        let at = [PathStep::Key("items".into()), PathStep::Index(i)];
        add_raw_object(file, doc, &at, item, item_type.as_ref(), out);
    }
}

/// Enough of an object to choose how to decode it.
#[derive(Deserialize)]
struct ObjectHead {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default, rename = "apiVersion")]
    api_version: Option<String>,
    #[serde(default)]
    metadata: Option<HeadMetadata>,
}

#[derive(Deserialize)]
struct HeadMetadata {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    namespace: Option<String>,
}

/// One JSON object. A well-formed pod, loaded slim, is decoded straight from its
/// text; everything else (and any pod with a problem, to report it precisely)
/// goes through the checks of [`check_and_add`].
fn add_raw_object(
    file: &mut File<'_>,
    doc: usize,
    prefix: &[PathStep],
    raw: &RawValue,
    item_type: Option<&(String, String)>,
    out: &mut Snapshot,
) {
    if file.form == PodForm::Slim
        && let Some(pod) = fast_pod(raw, item_type)
    {
        out.slim_pods.push(pod.0);
        out.full_pods.push(pod.1);
        return;
    }
    let mut value = match serde_json::from_str::<Value>(raw.get()) {
        Ok(value) => value,
        Err(e) => {
            let problem = file.problem(doc, prefix, format!("invalid JSON: {e}"));
            out.malformed.push(problem);
            return;
        }
    };
    if let (Some((kind, api_version)), Value::Object(fields)) = (item_type, &mut value) {
        fields
            .entry("kind")
            .or_insert_with(|| Value::String(kind.clone()));
        fields
            .entry("apiVersion")
            .or_insert_with(|| Value::String(api_version.clone()));
    }
    add_object(file, doc, prefix, value, out);
}

/// A pod decoded straight into the cache's form, with its full text kept
/// compact; `None` sends it the long way (not a pod, or anything unusual).
fn fast_pod(raw: &RawValue, item_type: Option<&(String, String)>) -> Option<(CachedPod, FullPod)> {
    let head: ObjectHead = serde_json::from_str(raw.get()).ok()?;
    let kind = head.kind.or_else(|| item_type.map(|(k, _)| k.clone()))?;
    let api_version = head
        .api_version
        .or_else(|| item_type.map(|(_, v)| v.clone()))?;
    let metadata = head.metadata?;
    let name = metadata.name.filter(|n| !n.is_empty())?;
    // managedFields (half a pod's bytes, never shown) are dropped the long way.
    if kind != "Pod"
        || api_version != "v1"
        || raw.get().contains("\"managedFields\"")
        || !crate::rfc3339::plain_times(raw.get())
    {
        return None;
    }
    let pod: CachedPod = serde_json::from_str(raw.get()).ok()?;
    let mut json = compact(raw.get());
    if item_type.is_some() && !json.contains("\"kind\":") {
        // A typed list's item: the YAML view shows it with its kind.
        json = format!("{{\"apiVersion\":\"v1\",\"kind\":\"Pod\",{}", &json[1..]);
    }
    let full = FullPod {
        namespace: metadata.namespace.unwrap_or_default(),
        name,
        json: json.into_boxed_str(),
    };
    Some((pod, full))
}

/// JSON text without the whitespace between tokens (kubectl writes it indented).
pub(super) fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !c.is_ascii_whitespace() {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}
