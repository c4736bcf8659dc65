//! Headless commands waiting for a complete cache: the deadline
//! (`--request-timeout`), a progress line on a terminal, and what was still
//! missing when time ran out.

use crate::cache::Cache;
use crate::cli::{Cli, Failure};

/// A live source renders once every store is listed (however long a big first
/// list takes), and fails at the first store that cannot be read at all.
pub(super) async fn wait_until_ready(cache: &Cache, server: &str) -> Result<(), Failure> {
    let progress = Progress::new();
    loop {
        if cache.freshness.all_ready() {
            progress.done();
            return Ok(());
        }
        progress.show(cache, server);
        let failed = cache
            .freshness
            .snapshot()
            .into_iter()
            .find_map(|(kind, s)| match s.freshness {
                crate::cache::Freshness::Stale { reason, .. } => Some((kind, reason)),
                _ => None,
            });
        if let Some((kind, reason)) = failed {
            progress.done();
            return Err(Failure {
                code: 1,
                message: format!("cannot read {} from {server}: {reason}", kind.name()),
            });
        }
        // Every freshness change notifies; the timeout only guards against a
        // missed wake-up.
        let _ = tokio::time::timeout(
            std::time::Duration::from_millis(250),
            cache.changes.changed(),
        )
        .await;
    }
}

/// A progress line on a terminal's stderr while a long first list runs, so a
/// headless command never waits silently.
pub(super) struct Progress {
    started: std::time::Instant,
    on_terminal: bool,
}

impl Progress {
    /// Quiet for the first second: most caches are ready by then.
    const QUIET: std::time::Duration = std::time::Duration::from_secs(1);

    pub(super) fn new() -> Progress {
        use std::io::IsTerminal;
        Progress {
            started: std::time::Instant::now(),
            on_terminal: std::io::stderr().is_terminal(),
        }
    }

    fn show(&self, cache: &Cache, server: &str) {
        if !self.on_terminal || self.started.elapsed() < Self::QUIET {
            return;
        }
        let waiting: Vec<String> = cache
            .freshness
            .snapshot()
            .into_iter()
            .filter(|(_, status)| !status.is_ready())
            .map(|(kind, status)| match status.freshness {
                crate::cache::Freshness::Syncing { objects } if objects > 0 => {
                    format!("{} {objects}", kind.name())
                }
                _ => kind.name().to_string(),
            })
            .collect();
        eprint!(
            "\r\x1b[2Kkubesight: listing from {server} ({}s): {}",
            self.started.elapsed().as_secs(),
            waiting.join(", ")
        );
    }

    fn done(&self) {
        if self.started.elapsed() >= Self::QUIET {
            self.clear();
        }
    }

    pub(super) fn clear(&self) {
        if self.on_terminal {
            eprint!("\r\x1b[2K");
        }
    }
}

/// How long kubesight waits for a credential plugin, and headless commands for a
/// ready cache: `--request-timeout`, or a minute; `0` is no deadline (as in
/// kubectl).
pub(super) fn request_timeout(cli: &Cli) -> Result<Option<std::time::Duration>, Failure> {
    const DEFAULT: std::time::Duration = std::time::Duration::from_secs(60);
    let Some(text) = &cli.source.connect.request_timeout else {
        return Ok(Some(DEFAULT));
    };
    // kubectl takes a bare number as seconds.
    let parsed = match text.trim().parse::<u64>() {
        Ok(seconds) => Ok(std::time::Duration::from_secs(seconds)),
        Err(_) => crate::drain_args::parse_go_duration(text),
    };
    match parsed {
        Ok(duration) if duration.is_zero() => Ok(None),
        Ok(duration) => Ok(Some(duration)),
        Err(message) => Err(Failure::input(format!(
            "invalid argument {text:?} for \"--request-timeout\" flag: {message}"
        ))),
    }
}

/// What was still missing when the deadline passed, kind by kind.
pub(super) fn not_ready(cache: &Cache, server: &str, deadline: std::time::Duration) -> Failure {
    let waiting: Vec<String> = cache
        .freshness
        .snapshot()
        .into_iter()
        .filter(|(_, status)| !status.is_ready())
        .map(|(kind, status)| match status.freshness {
            crate::cache::Freshness::Syncing { objects } => {
                format!("{} (syncing, {objects} so far)", kind.name())
            }
            other => format!("{} ({other:?})", kind.name()),
        })
        .collect();
    Failure {
        code: 1,
        message: format!(
            "{server} did not fill the cache within {}s (--request-timeout); still waiting for: {}",
            deadline.as_secs_f64(),
            waiting.join(", ")
        ),
    }
}
