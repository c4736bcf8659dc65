//! GET on a collection: one page of a consistent snapshot, as etcd3's store pages it.
//! Pages hold up to `limit` selected objects in key order; `continue` encodes the
//! snapshot's revision and the next key, so every later page reads the same
//! snapshot (reconstructed from the history) until that revision is compacted, then
//! 410 with a token that continues at the latest revision.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use http::Response;
use serde::Serialize;
use serde_json::Value;

use super::continue_token::{self, ContinueToken};
use super::filter::Filter;
use super::object;
use super::query::{self, ListOptions};
use super::resources::Resource;
use super::response::{self, Body};
use super::status::Status;
use super::store::{Store, in_scope_from};
use super::table::{Page as TablePage, Printing, TableRequest};

/// Where in the store's history a list reads.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ReadPoint {
    /// `None`: the latest revision.
    revision: Option<u64>,
    /// First key (within the scope) to read.
    start_key: String,
    /// Whether `limit` applies: lists from resourceVersion "0" are served from the
    /// watch cache, which ignores it.
    paged: bool,
}

/// A list of the resource, or its Table when one is asked for.
pub struct Encoding<'a> {
    pub table: Option<(TableRequest, &'a Printing)>,
    pub now: jiff::Timestamp,
}

pub async fn respond(
    store: &Store,
    resource: &'static Resource,
    namespace: Option<&str>,
    options: &ListOptions,
    filter: &Filter,
    too_large_wait: Duration,
    encoding: Encoding<'_>,
) -> Response<Body> {
    match list(store, resource, namespace, options, filter, too_large_wait).await {
        Ok(page) => {
            let bytes = match encoding.table {
                None => encode_list(resource, &page),
                Some((request, printing)) => {
                    let items: Vec<&Value> = page.items.iter().map(|i| i.as_ref()).collect();
                    let token = continue_of(&page);
                    let table = printing.table(
                        request,
                        resource,
                        TablePage {
                            objects: &items,
                            resource_version: page.revision.to_string(),
                            continue_token: token.as_deref(),
                            with_columns: true,
                        },
                        encoding.now,
                    );
                    serde_json::to_vec(&table).unwrap_or_default()
                }
            };
            response::json(200, response::JSON, bytes)
        }
        Err(status) => response::status(&status),
    }
}

async fn list(
    store: &Store,
    resource: &'static Resource,
    namespace: Option<&str>,
    options: &ListOptions,
    filter: &Filter,
    too_large_wait: Duration,
) -> Result<Page, Status> {
    let prefix = object::scope_prefix(resource, namespace);
    let point = read_point(store, options, too_large_wait).await?;
    let limit = if point.paged && options.limit > 0 {
        usize::try_from(options.limit).unwrap_or(usize::MAX)
    } else {
        usize::MAX
    };
    let start = format!("{prefix}{}", point.start_key);
    let page = store.read_scope(
        resource,
        &prefix,
        &start,
        point.revision,
        |revision, objects| read_page(objects, &prefix, &start, limit, filter, revision),
    );
    let page = match page {
        Ok(page) => page,
        // The snapshot a continue token points at is gone.
        Err(_) if !options.continue_token.is_empty() => {
            let fresh = continue_token::encode(-1, &point.start_key);
            return Err(Status::continue_expired(fresh));
        }
        Err(_) => {
            return Err(Status::expired(
                "The resourceVersion for the provided list is too old.",
            ));
        }
    };
    Ok(page)
}

/// Decides the revision and start key from `resourceVersion`, `resourceVersionMatch`
/// and `continue`, as `storage.ValidateListOptions` and the cacher do.
async fn read_point(
    store: &Store,
    options: &ListOptions,
    too_large_wait: Duration,
) -> Result<ReadPoint, Status> {
    if !options.continue_token.is_empty() {
        let ContinueToken {
            resource_version,
            start_key,
        } = continue_token::decode(&options.continue_token)
            .map_err(|e| Status::bad_request(format!("invalid continue token: {e}")))?;
        if !options.resource_version.is_empty() && options.resource_version != "0" {
            return Err(Status::bad_request(
                "specifying resource version is not allowed when using continue",
            ));
        }
        // A negative revision (from an expired token's replacement) means latest.
        let revision = u64::try_from(resource_version).ok();
        return Ok(ReadPoint {
            revision,
            start_key,
            paged: true,
        });
    }
    let requested = query::parse_resource_version(&options.resource_version)?;
    let from_cache = options.resource_version == "0";
    let exact = options.resource_version_match == query::EXACT
        // Without a match, a resourceVersion with a limit is the legacy exact read.
        || (options.resource_version_match.is_empty() && options.limit > 0 && requested > 0);
    if requested > 0 {
        store
            .wait_for_revision(requested, too_large_wait)
            .await
            .map_err(|current| Status::too_large_resource_version(requested, current))?;
    }
    Ok(ReadPoint {
        revision: exact.then_some(requested),
        start_key: String::new(),
        paged: !from_cache,
    })
}

struct Page {
    revision: u64,
    items: Vec<Arc<Value>>,
    /// The start key (relative to the scope) of the next page.
    next_start: Option<String>,
    remaining: Option<usize>,
}

/// Collects up to `limit` selected objects from `start`; like etcd's paging, a
/// further page is announced when any key (selected or not) follows the last one
/// returned, and its size only when nothing is filtered out.
fn read_page(
    objects: &BTreeMap<String, Arc<Value>>,
    prefix: &str,
    start: &str,
    limit: usize,
    filter: &Filter,
    revision: u64,
) -> Page {
    let mut items = Vec::new();
    let mut last_key = None;
    let mut rest = in_scope_from(objects, prefix, start);
    for (key, body) in rest.by_ref() {
        if filter.matches(body) {
            items.push(body.clone());
            if items.len() == limit {
                last_key = Some(key);
                break;
            }
        }
    }
    let mut next_start = None;
    let mut remaining = None;
    if let Some(last) = last_key {
        let left = rest.count();
        if left > 0 {
            let relative = last.strip_prefix(prefix).unwrap_or(last);
            next_start = Some(continue_token::key_after(relative));
            remaining = filter.selects_everything().then_some(left);
        }
    }
    Page {
        revision,
        items,
        next_start,
        remaining,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListMeta {
    resource_version: String,
    #[serde(rename = "continue", skip_serializing_if = "Option::is_none")]
    continue_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remaining_item_count: Option<usize>,
}

/// A typed list (`PodList`), whose items carry neither kind nor apiVersion.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListBody<'a> {
    kind: String,
    api_version: String,
    metadata: ListMeta,
    items: Vec<&'a Value>,
}

/// The page's continue token, if another page follows.
fn continue_of(page: &Page) -> Option<String> {
    let revision = i64::try_from(page.revision).unwrap_or(i64::MAX);
    page.next_start
        .as_deref()
        .map(|start| continue_token::encode(revision, start))
}

fn encode_list(resource: &Resource, page: &Page) -> Vec<u8> {
    let body = ListBody {
        kind: resource.list_kind(),
        api_version: resource.api_version(),
        metadata: ListMeta {
            resource_version: page.revision.to_string(),
            continue_token: continue_of(page),
            remaining_item_count: page.remaining,
        },
        items: page.items.iter().map(|item| item.as_ref()).collect(),
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::query::Query;
    use crate::resources;

    fn objects(keys: &[&str]) -> BTreeMap<String, Arc<Value>> {
        keys.iter()
            .map(|key| {
                let app = if key.ends_with('x') { "other" } else { "web" };
                let body = json!({"metadata": {"name": key, "labels": {"app": app}}});
                (key.to_string(), Arc::new(body))
            })
            .collect()
    }

    fn filter(query: &str) -> Filter {
        let pods = resources::lookup("pods").unwrap_or(&resources::RESOURCES[0]);
        ListOptions::from_query(&Query::parse(query), false)
            .and_then(|o| Filter::new(&o, pods, None))
            .unwrap_or_default()
    }

    fn names(page: &Page) -> Vec<&str> {
        page.items.iter().map(|i| object::name(i)).collect()
    }

    #[test]
    fn pages_announce_what_remains() {
        let all = objects(&["a/1", "a/2", "a/3", "b/1"]);
        let first = read_page(&all, "a/", "a/", 2, &filter(""), 9);
        assert_eq!(names(&first), vec!["a/1", "a/2"]);
        assert_eq!(first.next_start.as_deref(), Some("2\u{0}"));
        assert_eq!(first.remaining, Some(1));
        let second = read_page(&all, "a/", "a/2\u{0}", 2, &filter(""), 9);
        assert_eq!(names(&second), vec!["a/3"]);
        assert_eq!(second.next_start, None);
    }

    #[test]
    fn an_exactly_full_last_page_has_no_continuation() {
        let all = objects(&["a", "b"]);
        let page = read_page(&all, "", "", 2, &filter(""), 1);
        assert_eq!(page.next_start, None);
        assert_eq!(page.remaining, None);
    }

    #[test]
    fn selectors_hide_the_remaining_count_and_may_leave_an_empty_page() {
        let all = objects(&["a", "b", "cx"]);
        let web = filter("labelSelector=app%3Dweb");
        let page = read_page(&all, "", "", 2, &web, 1);
        assert_eq!(names(&page), vec!["a", "b"]);
        // Like etcd, the server knows a key follows, not whether it is selected.
        assert_eq!(page.next_start.as_deref(), Some("b\u{0}"));
        assert_eq!(page.remaining, None);
        let last = read_page(&all, "", "b\u{0}", 2, &web, 1);
        assert!(last.items.is_empty());
        assert_eq!(last.next_start, None);
    }

    #[test]
    fn lists_encode_like_wire_10() {
        let pods = resources::lookup("pods").unwrap_or(&resources::RESOURCES[0]);
        let all = objects(&[
            "wire/web-cbf5d5586-9vs9j",
            "wire/web-cbf5d5586-kgvjw",
            "wire/z",
        ]);
        let page = read_page(&all, "wire/", "wire/", 2, &filter(""), 49917);
        let encoded: Value = serde_json::from_slice(&encode_list(pods, &page)).unwrap_or_default();
        assert_eq!(encoded["kind"], "PodList");
        assert_eq!(encoded["apiVersion"], "v1");
        assert_eq!(
            encoded["metadata"],
            json!({"resourceVersion": "49917",
                   "continue": "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDk5MTcsInN0YXJ0IjoiL3dlYi1jYmY1ZDU1ODYta2d2andcdTAwMDAifQ",
                   "remainingItemCount": 1})
        );
        assert!(encoded["items"][0].get("kind").is_none());
    }
}
