//! Fault injection, switched at runtime by tests: failing requests with the bodies a
//! real server sends for those failures, added latency, and severed watches.
//! (Expiring resource versions is a store operation: `Simulator::compact_history`.)

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use http::Response;
use http::header::{HeaderName, HeaderValue, RETRY_AFTER};
use tokio::sync::watch;

use super::response::{self, Body};
use super::status::{ForbiddenRequest, Status};

/// How an injected failure answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// 403 from the authorizer (`wire/51`), refusing `user`.
    Forbidden { user: String },
    /// 429 from API priority and fairness: a plain-text body and `Retry-After`.
    /// kube-rs retries these by itself (up to 15 times), honouring the header.
    TooManyRequests { retry_after_seconds: u32 },
    /// 500 `InternalError` (`errors.NewInternalError`) with this cause, e.g.
    /// `etcdserver: request timed out`.
    InternalError { cause: String },
    /// Any other Status.
    Status {
        code: u16,
        reason: &'static str,
        message: String,
    },
}

/// Which requests fail, how, and how many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureRule {
    path_prefix: String,
    verb: Option<String>,
    /// `None`: every matching request until the rules are cleared.
    remaining: Option<usize>,
    failure: Failure,
}

impl FailureRule {
    /// The next request whose path starts with `path_prefix` fails.
    pub fn new(path_prefix: impl Into<String>, failure: Failure) -> FailureRule {
        FailureRule {
            path_prefix: path_prefix.into(),
            verb: None,
            remaining: Some(1),
            failure,
        }
    }

    /// Only requests with this Kubernetes verb (`get`, `list`, `watch`, …) match.
    pub fn verb(mut self, verb: impl Into<String>) -> FailureRule {
        self.verb = Some(verb.into());
        self
    }

    /// The next `n` matching requests fail.
    pub fn times(mut self, n: usize) -> FailureRule {
        self.remaining = Some(n);
        self
    }

    /// Every matching request fails until [`Faults::clear_failures`].
    pub fn until_cleared(mut self) -> FailureRule {
        self.remaining = None;
        self
    }

    fn matches(&self, path: &str, verb: &str) -> bool {
        path.starts_with(&self.path_prefix) && self.verb.as_deref().is_none_or(|v| v == verb)
    }
}

/// The fault switches one simulator holds.
#[derive(Debug)]
pub struct Faults {
    rules: Mutex<Vec<FailureRule>>,
    latency: Mutex<Duration>,
    /// Bumped to sever every open watch.
    watch_drops: watch::Sender<u64>,
    /// (verb, resource, namespace) the authorizer refuses; `""` namespace means
    /// every namespace.
    denied: Mutex<Vec<(String, String, String)>>,
    /// The storage lacks RequestWatchProgress (etcd older than 3.5.13).
    no_watch_progress: AtomicBool,
    /// A stopped process: connections stay open, nothing is answered or sent.
    frozen: watch::Sender<bool>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            rules: Mutex::new(Vec::new()),
            latency: Mutex::new(Duration::ZERO),
            watch_drops: watch::channel(0).0,
            denied: Mutex::new(Vec::new()),
            no_watch_progress: AtomicBool::new(false),
            frozen: watch::channel(false).0,
        }
    }
}

impl Faults {
    pub fn fail(&self, rule: FailureRule) {
        self.rules
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(rule);
    }

    pub fn clear_failures(&self) {
        self.rules
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Refuses `verb` on `resource` (a plural, with `/subresource` if any) in
    /// `namespace` (`""`: everywhere): SelfSubjectAccessReviews answer
    /// `allowed: false`, and such requests get the authorizer's 403.
    pub fn deny(&self, verb: &str, resource: &str, namespace: &str) {
        self.denied
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((verb.into(), resource.into(), namespace.into()));
    }

    /// Whether [`Faults::deny`] refuses this access.
    pub fn is_denied(&self, verb: &str, resource: &str, namespace: &str) -> bool {
        self.denied
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|(v, r, ns)| v == verb && r == resource && (ns.is_empty() || ns == namespace))
    }

    /// Delays every response by `latency` (zero turns it off).
    pub fn set_latency(&self, latency: Duration) {
        *self.latency.lock().unwrap_or_else(PoisonError::into_inner) = latency;
    }

    pub fn latency(&self) -> Duration {
        *self.latency.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops answering, as a server stopped with SIGSTOP does: connections are
    /// accepted and kept, requests wait, open watches send nothing (not even
    /// bookmarks) until [`Faults::set_frozen`] with `false`.
    pub fn set_frozen(&self, frozen: bool) {
        self.frozen.send_replace(frozen);
    }

    /// Waits until the server is not frozen.
    pub async fn while_frozen(&self) {
        // Fails only when the sender is gone, and Faults holds it.
        let _ = self.frozen().wait_for(|frozen| !frozen).await;
    }

    /// Whether the server is frozen, for streams that outlive a request.
    pub(crate) fn frozen(&self) -> watch::Receiver<bool> {
        self.frozen.subscribe()
    }

    /// Serves as a 1.32 server on etcd older than 3.5.13 does: a watch that asks
    /// for `sendInitialEvents` gets a 200 and one ERROR event with a 500, since
    /// the storage cannot report watch progress. kubectl then lists in pages.
    pub fn set_watch_progress_unsupported(&self, unsupported: bool) {
        self.no_watch_progress.store(unsupported, Ordering::Relaxed);
    }

    pub fn watch_progress_unsupported(&self) -> bool {
        self.no_watch_progress.load(Ordering::Relaxed)
    }

    /// Severs every open watch connection mid-stream, as a restarting server or
    /// a dropped network would; clients see the connection end and re-watch.
    pub fn drop_watches(&self) {
        self.watch_drops.send_modify(|generation| *generation += 1);
    }

    pub(crate) fn watch_drops(&self) -> watch::Receiver<u64> {
        self.watch_drops.subscribe()
    }

    /// The failure the first matching rule injects into this request, counting
    /// it against the rule.
    pub(crate) fn take_failure(&self, path: &str, verb: &str) -> Option<Failure> {
        let mut rules = self.rules.lock().unwrap_or_else(PoisonError::into_inner);
        let index = rules.iter().position(|r| r.matches(path, verb))?;
        let failure = rules[index].failure.clone();
        if let Some(remaining) = &mut rules[index].remaining {
            *remaining = remaining.saturating_sub(1);
            if *remaining == 0 {
                rules.remove(index);
            }
        }
        Some(failure)
    }
}

impl Failure {
    pub(crate) fn response(&self, request: &ForbiddenRequest<'_>) -> Response<Body> {
        match self {
            Failure::Forbidden { user } => {
                response::status(&Status::forbidden(&ForbiddenRequest { user, ..*request }))
            }
            Failure::TooManyRequests {
                retry_after_seconds,
            } => {
                // http.Error: plain text with a trailing newline, marked nosniff.
                let mut response =
                    response::text(429, "Too many requests, please try again later.\n");
                let headers = response.headers_mut();
                headers.insert(RETRY_AFTER, HeaderValue::from(*retry_after_seconds));
                headers.insert(
                    HeaderName::from_static("x-content-type-options"),
                    HeaderValue::from_static("nosniff"),
                );
                response
            }
            Failure::InternalError { cause } => response::status(&Status::internal_error(cause)),
            Failure::Status {
                code,
                reason,
                message,
            } => response::status(&Status::custom(*code, reason, message.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal() -> Failure {
        Failure::InternalError {
            cause: "etcdserver: request timed out".into(),
        }
    }

    #[test]
    fn rules_fail_a_counted_number_of_matching_requests() {
        let faults = Faults::default();
        faults.fail(
            FailureRule::new("/api/v1/pods", internal())
                .verb("list")
                .times(2),
        );
        assert_eq!(faults.take_failure("/api/v1/pods", "watch"), None);
        assert_eq!(faults.take_failure("/api/v1/nodes", "list"), None);
        assert_eq!(
            faults.take_failure("/api/v1/pods", "list"),
            Some(internal())
        );
        assert_eq!(
            faults.take_failure("/api/v1/pods", "list"),
            Some(internal())
        );
        assert_eq!(faults.take_failure("/api/v1/pods", "list"), None);
    }

    #[test]
    fn unlimited_rules_last_until_cleared() {
        let faults = Faults::default();
        faults.fail(FailureRule::new("/", internal()).until_cleared());
        for _ in 0..5 {
            assert!(faults.take_failure("/api", "get").is_some());
        }
        faults.clear_failures();
        assert!(faults.take_failure("/api", "get").is_none());
    }

    #[test]
    fn dropping_watches_signals_every_watcher() {
        let faults = Faults::default();
        let mut watcher = faults.watch_drops();
        faults.drop_watches();
        assert!(watcher.has_changed().unwrap_or(false));
        assert_eq!(*watcher.borrow_and_update(), 1);
    }
}
