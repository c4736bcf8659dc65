//! Background work the app starts (fetches, writes) and the messages it gets back.
//! A task runs on the tokio runtime and posts one [`TaskResult`]; the UI loop turns
//! it into an [`Action`](super::Action). Nothing here blocks the caller.

use std::future::Future;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::model::doc::ObjectRef;

/// What a finished task reports.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskResult {
    /// A full object read from the API server, or the server's message.
    Fetched {
        target: ObjectRef,
        result: Result<serde_json::Value, String>,
    },
    /// A message for the footer.
    Flash { text: String, is_error: bool },
    /// One step of the running drain.
    Drain(crate::model::drain_event::DrainEvent),
    /// A line or state change of the log streams.
    Log(crate::ops::logs::LogEvent),
    /// The Services of a namespace, for the label editor's impact check.
    Services {
        namespace: String,
        result: Result<Vec<crate::model::labels_edit::ServiceSelector>, String>,
    },
    /// What the server answered to a label or annotation edit, per object.
    LabelsApplied(Vec<LabelOutcome>),
    /// The API client, built in the background while a credential plugin ran
    /// (`None`: it failed, and the stores say why).
    Connected(Connected),
    /// What the server's discovery lists.
    Discovered(Result<Vec<crate::model::api_catalog::ApiResource>, String>),
    /// An object of any kind read from the server, by its path.
    FetchedPath {
        path: String,
        result: Result<serde_json::Value, String>,
    },
    /// The object `:describe` asked for, found by name.
    Found {
        resource: Box<crate::model::api_catalog::ApiResource>,
        result: Result<serde_json::Value, String>,
    },
    /// A step of a generic table's stream, for the session numbered so.
    Table(u64, crate::ops::tables::TableEvent),
}

/// A client that arrived late. Clients have no equality or debug form of their
/// own; results are compared (in tests) by what they carry besides.
#[derive(Clone)]
pub struct Connected(pub Option<kube::Client>);

impl std::fmt::Debug for Connected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Connected(client)"
        } else {
            "Connected(none)"
        })
    }
}

impl PartialEq for Connected {
    fn eq(&self, other: &Self) -> bool {
        self.0.is_some() == other.0.is_some()
    }
}

/// One object's answer to a label edit.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelOutcome {
    /// Applied: the object's new labels or annotations and resourceVersion.
    Applied {
        object: ObjectRef,
        current: std::collections::BTreeMap<String, String>,
        resource_version: String,
    },
    /// 409: what the server has now.
    Conflict {
        object: ObjectRef,
        server: std::collections::BTreeMap<String, String>,
        resource_version: String,
    },
    /// Refused or failed, with the server's message.
    Failed { object: ObjectRef, message: String },
}

pub struct Tasks {
    sender: UnboundedSender<TaskResult>,
    receiver: Option<UnboundedReceiver<TaskResult>>,
}

impl Default for Tasks {
    fn default() -> Self {
        let (sender, receiver) = unbounded_channel();
        Tasks {
            sender,
            receiver: Some(receiver),
        }
    }
}

impl Tasks {
    /// Runs `task` in the background; its result arrives on the receiver. Without
    /// a runtime (a purely synchronous caller) the task cannot run, and says so.
    pub fn spawn(&self, task: impl Future<Output = TaskResult> + Send + 'static) {
        let sender = self.sender.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(async move {
                    let _ = sender.send(task.await);
                });
            }
            Err(_) => {
                let _ = sender.send(TaskResult::Flash {
                    text: "cannot run a background task without a runtime".into(),
                    is_error: true,
                });
            }
        }
    }

    /// Passes every message of a stream (a drain's events) to the UI loop.
    pub fn forward<T: Send + 'static>(
        &self,
        receiver: tokio::sync::mpsc::UnboundedReceiver<T>,
        into: impl Fn(T) -> TaskResult + Send + 'static,
    ) {
        let items = futures::stream::unfold(receiver, |mut r| async move {
            r.recv().await.map(|item| (item, r))
        });
        self.forward_stream(items, into);
    }

    /// As [`Tasks::forward`], for a bounded stream (the log streams, which
    /// wait when the UI falls behind rather than grow without limit).
    pub fn forward_bounded<T: Send + 'static>(
        &self,
        receiver: tokio::sync::mpsc::Receiver<T>,
        into: impl Fn(T) -> TaskResult + Send + 'static,
    ) {
        let items = futures::stream::unfold(receiver, |mut r| async move {
            r.recv().await.map(|item| (item, r))
        });
        self.forward_stream(items, into);
    }

    fn forward_stream<T: Send + 'static>(
        &self,
        items: impl futures::Stream<Item = T> + Send + 'static,
        into: impl Fn(T) -> TaskResult + Send + 'static,
    ) {
        use futures::StreamExt;
        let sender = self.sender.clone();
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                let mut items = std::pin::pin!(items);
                while let Some(item) = items.next().await {
                    if sender.send(into(item)).is_err() {
                        break;
                    }
                }
            });
        }
    }

    /// The receiving end, taken once by whoever runs the UI loop (or a test).
    pub fn take_receiver(&mut self) -> Option<UnboundedReceiver<TaskResult>> {
        self.receiver.take()
    }
}
