//! Any kind's table from a live server, as `kubectl get -w` reads it: the
//! server-side Table (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`)
//! listed in pages, then watched from the list's resourceVersion; rows carry
//! only the objects' metadata, so a kind of 50,000 objects costs its cells.
//! A lost watch resumes from the last version seen; one the server no longer
//! has (410) lists again.

use std::time::Duration;

use futures::StreamExt;
use kube::api::WatchEvent;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::model::api_catalog::ApiResource;
use crate::model::printers::ColumnDef;

const TABLE_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const PAGE: usize = 500;

/// One row: the object's metadata (PartialObjectMetadata) and its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub object: Value,
    pub cells: Vec<Value>,
}

/// What the stream reports.
#[derive(Debug, Clone, PartialEq)]
pub enum TableEvent {
    /// A complete list (the first, or after the watch history was lost).
    Listed {
        columns: Vec<ColumnDef>,
        rows: Vec<TableRow>,
    },
    Upserted(TableRow),
    Deleted(TableRow),
    /// The request failed; the stream retries and says so.
    Failed(String),
}

/// Stops the stream when dropped.
pub struct TableHandle(tokio::task::JoinHandle<()>);

impl Drop for TableHandle {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Streams `resource`'s table (in `namespace`, or all) until the handle is
/// dropped.
pub fn stream(
    client: kube::Client,
    resource: ApiResource,
    namespace: Option<String>,
) -> (mpsc::Receiver<TableEvent>, TableHandle) {
    let (sender, receiver) = mpsc::channel(256);
    let task = tokio::spawn(async move {
        let path = resource.path(namespace.as_deref());
        let mut backoff = Duration::from_millis(500);
        loop {
            let (columns, rows, version) = match list(&client, &path).await {
                Ok(listed) => listed,
                Err(message) => {
                    if sender.send(TableEvent::Failed(message)).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                    continue;
                }
            };
            backoff = Duration::from_millis(500);
            if sender
                .send(TableEvent::Listed { columns, rows })
                .await
                .is_err()
            {
                return;
            }
            let mut version = version;
            // Watch until the history is gone; reconnect from the last version.
            loop {
                match watch(&client, &path, &mut version, &sender).await {
                    WatchEnd::Receiver => return,
                    WatchEnd::Expired => break,
                    WatchEnd::Closed => {}
                    WatchEnd::Failed(message) => {
                        if sender.send(TableEvent::Failed(message)).await.is_err() {
                            return;
                        }
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(30));
                    }
                }
            }
        }
    });
    (receiver, TableHandle(task))
}

fn request(path: &str) -> Result<http::Request<Vec<u8>>, String> {
    http::Request::get(path)
        .header(http::header::ACCEPT, TABLE_ACCEPT)
        .body(Vec::new())
        .map_err(|e| e.to_string())
}

fn message(error: kube::Error) -> String {
    match error {
        kube::Error::Api(status) => status.message,
        other => other.to_string(),
    }
}

/// Every page of the Table: its columns, rows and resourceVersion.
async fn list(
    client: &kube::Client,
    path: &str,
) -> Result<(Vec<ColumnDef>, Vec<TableRow>, String), String> {
    let mut columns = Vec::new();
    let mut rows = Vec::new();
    let mut token = String::new();
    loop {
        let mut url = format!("{path}?limit={PAGE}");
        if !token.is_empty() {
            url.push_str(&format!("&continue={token}"));
        }
        let table: Value = client.request(request(&url)?).await.map_err(message)?;
        if columns.is_empty() {
            columns = serde_json::from_value(table["columnDefinitions"].clone())
                .map_err(|e| format!("the server's Table has no columns: {e}"))?;
        }
        rows.extend(rows_of(&table));
        token = table["metadata"]["continue"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if token.is_empty() {
            let version = table["metadata"]["resourceVersion"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            return Ok((columns, rows, version));
        }
    }
}

fn rows_of(table: &Value) -> Vec<TableRow> {
    table["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| TableRow {
            object: row["object"].clone(),
            cells: row["cells"].as_array().cloned().unwrap_or_default(),
        })
        .collect()
}

enum WatchEnd {
    /// Nobody listens any more.
    Receiver,
    /// 410: the version is gone; list again.
    Expired,
    /// The server ended the watch (its timeout): watch again.
    Closed,
    Failed(String),
}

async fn watch(
    client: &kube::Client,
    path: &str,
    version: &mut String,
    sender: &mpsc::Sender<TableEvent>,
) -> WatchEnd {
    let url = format!("{path}?watch=1&allowWatchBookmarks=true&resourceVersion={version}");
    let request = match request(&url) {
        Ok(request) => request,
        Err(message) => return WatchEnd::Failed(message),
    };
    let events = match client.request_events::<Value>(request).await {
        Ok(events) => events,
        Err(kube::Error::Api(status)) if status.code == 410 => return WatchEnd::Expired,
        Err(error) => return WatchEnd::Failed(message(error)),
    };
    let mut events = Box::pin(events);
    while let Some(event) = events.next().await {
        let (table, deleted) = match event {
            Ok(WatchEvent::Added(table) | WatchEvent::Modified(table)) => (table, false),
            Ok(WatchEvent::Deleted(table)) => (table, true),
            Ok(WatchEvent::Bookmark(bookmark)) => {
                *version = bookmark.metadata.resource_version;
                continue;
            }
            Ok(WatchEvent::Error(status)) if status.code == 410 => return WatchEnd::Expired,
            Ok(WatchEvent::Error(status)) => return WatchEnd::Failed(status.message),
            Err(kube::Error::Api(status)) if status.code == 410 => return WatchEnd::Expired,
            Err(error) => return WatchEnd::Failed(message(error)),
        };
        if let Some(seen) = table["metadata"]["resourceVersion"].as_str() {
            *version = seen.to_string();
        }
        for row in rows_of(&table) {
            let event = if deleted {
                TableEvent::Deleted(row)
            } else {
                TableEvent::Upserted(row)
            };
            if sender.send(event).await.is_err() {
                return WatchEnd::Receiver;
            }
        }
    }
    WatchEnd::Closed
}
