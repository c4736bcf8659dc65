//! Watches: a chunked stream of watch lines. It starts with the current objects as
//! ADDED (a streaming list, closed by an `initial-events-end` BOOKMARK when bookmarks
//! are allowed) or with the changes after the requested resourceVersion, then
//! follows live changes, with periodic BOOKMARKs, until `timeoutSeconds`. A start
//! older than the history window is one ERROR line with the 410 Status (`wire/21`).
//!
//! A watcher that falls `watch_buffer` changes behind is closed, as the real server
//! closes unresponsive watchers, so no client can hold back the others; it
//! re-watches from the last resourceVersion it saw.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::Bytes;
use http::Response;
use hyper::body::Frame;
use serde_json::Value;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{broadcast, watch};
use tokio::time::{Instant, Interval};

use super::filter::Filter;
use super::object;
use super::query::{self, ListOptions};
use super::resources::Resource;
use super::response::{self, Body, BoxError};
use super::status::Status;
use super::store::{Change, WatchStart};
use super::table::{Printing, TableRequest};
use super::watch_events::{bookmark_line, error_line, object_line, render};

pub fn respond(
    sim: &super::Simulator,
    resource: &'static Resource,
    namespace: Option<&str>,
    options: &ListOptions,
    filter: Filter,
    table: Option<(TableRequest, Printing)>,
) -> Response<Body> {
    let (store, faults, config) = (sim.store(), sim.faults(), sim.config());
    let requested = match query::parse_resource_version(&options.resource_version) {
        Ok(requested) => requested,
        Err(status) => return response::status(&status),
    };
    if options.send_initial_events == Some(true) && faults.watch_progress_unsupported() {
        // The watch cache's answer when etcd cannot report progress: inside the
        // stream, with a 200, as its other refusals past validation.
        let status = Status::internal_error(
            "a watch stream was requested by the client but the required storage \
             feature RequestWatchProgress is disabled",
        );
        return response::streaming(futures::stream::iter([Ok(Frame::data(error_line(
            &status,
        )))]));
    }
    // Without sendInitialEvents, a watch from "" or "0" still begins with the
    // current state (the legacy semantics); from N it replays what followed N.
    let initial_state = options.send_initial_events.unwrap_or(requested == 0);
    let start = if initial_state || requested == 0 {
        WatchStart::Now { initial_state }
    } else {
        WatchStart::After(requested)
    };
    let prefix = object::scope_prefix(resource, namespace);
    let subscription = match store.subscribe(resource, &prefix, start) {
        Ok(subscription) => subscription,
        Err(too_old) => {
            // Past authentication and parsing, the server reports this inside
            // the stream, with a 200.
            let status = Status::too_old_resource_version(too_old.requested, too_old.oldest);
            let line = Ok(Frame::data(error_line(&status)));
            return response::streaming(futures::stream::iter([line]));
        }
    };
    let timeout = options
        .timeout_seconds
        .filter(|seconds| *seconds > 0)
        .and_then(|seconds| u64::try_from(seconds).ok())
        .map(std::time::Duration::from_secs)
        .unwrap_or(config.default_watch_timeout);
    let bookmarks = options.allow_watch_bookmarks.then(|| {
        let period = config
            .bookmark_interval
            .max(std::time::Duration::from_millis(1));
        tokio::time::interval_at(Instant::now() + period, period)
    });
    let stream = WatchStream {
        resource,
        prefix,
        filter,
        initial: subscription.initial.into_iter(),
        initial_events_end_due: initial_state
            && options.send_initial_events == Some(true)
            && options.allow_watch_bookmarks,
        replay: subscription.replay.into_iter(),
        queued: VecDeque::new(),
        live: subscription.live,
        covered: subscription.revision,
        bookmarks,
        deadline: Instant::now() + timeout,
        drops: faults.watch_drops(),
        frozen: faults.frozen(),
        table: table.map(|(request, printing)| TableWatch {
            request,
            printing,
            columns_sent: false,
            clock: config.clock.clone(),
        }),
    };
    response::streaming(futures::stream::unfold(stream, |mut stream| async move {
        match stream.next().await {
            Next::Line(line) => {
                let line = stream.as_table(line);
                Some((Ok(Frame::data(line)), stream))
            }
            Next::End => None,
            Next::Sever => Some((Err(severed()), stream)),
        }
    }))
}

/// The error that makes hyper drop the connection mid-stream.
fn severed() -> BoxError {
    Box::new(std::io::Error::new(
        std::io::ErrorKind::ConnectionAborted,
        "watch connection dropped by fault injection",
    ))
}

enum Next {
    Line(Bytes),
    /// Close the response cleanly (timeout, or a watcher closed as too slow).
    End,
    /// Drop the connection without finishing the response.
    Sever,
}

struct WatchStream {
    resource: &'static Resource,
    prefix: String,
    filter: Filter,
    initial: std::vec::IntoIter<Arc<Value>>,
    initial_events_end_due: bool,
    replay: std::vec::IntoIter<Arc<Change>>,
    /// Lines produced while catching up before a bookmark.
    queued: VecDeque<Bytes>,
    live: broadcast::Receiver<Arc<Change>>,
    /// The revision every line sent so far accounts for; bookmarks carry it.
    covered: u64,
    bookmarks: Option<Interval>,
    deadline: Instant,
    drops: watch::Receiver<u64>,
    /// Whether the server is frozen (nothing is sent while it is).
    frozen: watch::Receiver<bool>,
    /// Events carry one-row Tables instead of objects.
    table: Option<TableWatch>,
}

/// A Table watch (`wire/73`): each event's object is a one-row Table; only
/// the first carries the column definitions.
struct TableWatch {
    request: TableRequest,
    printing: Printing,
    columns_sent: bool,
    clock: kubesight_model::clock::Clock,
}

impl WatchStream {
    /// The line as a Table watch sends it: object events carry a one-row
    /// Table, bookmarks and errors stay as they are.
    fn as_table(&mut self, line: Bytes) -> Bytes {
        let Some(table) = self.table.as_mut() else {
            return line;
        };
        let Ok(mut event) = serde_json::from_slice::<Value>(&line) else {
            return line;
        };
        if !matches!(
            event.get("type").and_then(Value::as_str),
            Some("ADDED" | "MODIFIED" | "DELETED")
        ) {
            return line;
        }
        let object = event.get("object").cloned().unwrap_or_default();
        let version = super::object::resource_version(&object).unwrap_or_default();
        event["object"] = table.printing.table(
            table.request,
            self.resource,
            super::table::Page {
                objects: &[&object],
                resource_version: version.to_string(),
                continue_token: None,
                with_columns: !table.columns_sent,
            },
            table.clock.now(),
        );
        table.columns_sent = true;
        let mut bytes = serde_json::to_vec(&event).unwrap_or_default();
        bytes.push(b'\n');
        Bytes::from(bytes)
    }

    async fn next(&mut self) -> Next {
        // A frozen server sends nothing, and then what it would have sent.
        let _ = self.frozen.wait_for(|frozen| !frozen).await;
        if let Some(line) = self.next_backlog() {
            return Next::Line(line);
        }
        loop {
            tokio::select! {
                biased;
                _ = self.drops.changed() => return Next::Sever,
                () = tokio::time::sleep_until(self.deadline) => return Next::End,
                received = self.live.recv() => match received {
                    Ok(change) => {
                        if let Some(line) = self.accept(&change) {
                            return Next::Line(line);
                        }
                    }
                    Err(RecvError::Lagged(_) | RecvError::Closed) => return Next::End,
                },
                () = next_tick(&mut self.bookmarks) => {
                    // Never announce a revision whose changes are still unsent.
                    if !self.catch_up() {
                        return Next::End;
                    }
                    self.queued.push_back(bookmark_line(self.resource, self.covered, false));
                    if let Some(line) = self.queued.pop_front() {
                        return Next::Line(line);
                    }
                }
            }
        }
    }

    /// Initial objects, the bookmark that closes them, replayed changes and
    /// caught-up changes, in that order.
    fn next_backlog(&mut self) -> Option<Bytes> {
        if let Some(line) = self.queued.pop_front() {
            return Some(line);
        }
        for body in self.initial.by_ref() {
            if self.filter.matches(&body) {
                return Some(object_line("ADDED", self.resource, &body));
            }
        }
        if std::mem::take(&mut self.initial_events_end_due) {
            return Some(bookmark_line(self.resource, self.covered, true));
        }
        for change in self.replay.by_ref() {
            if let Some(line) = render(&change, &self.filter) {
                return Some(line);
            }
        }
        None
    }

    /// The line a live change becomes for this watch, if any.
    fn accept(&mut self, change: &Change) -> Option<Bytes> {
        if change.revision <= self.covered {
            return None;
        }
        self.covered = change.revision;
        if change.resource != self.resource || !change.key.starts_with(&self.prefix) {
            return None;
        }
        render(change, &self.filter)
    }

    /// Takes every change already published; false if the watch fell too far
    /// behind.
    fn catch_up(&mut self) -> bool {
        loop {
            match self.live.try_recv() {
                Ok(change) => {
                    if let Some(line) = self.accept(&change) {
                        self.queued.push_back(line);
                    }
                }
                Err(TryRecvError::Empty) => return true,
                Err(_) => return false,
            }
        }
    }
}

async fn next_tick(bookmarks: &mut Option<Interval>) {
    match bookmarks {
        Some(interval) => {
            interval.tick().await;
        }
        None => std::future::pending().await,
    }
}
