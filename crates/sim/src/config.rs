//! Tunables of a simulator. The defaults behave like a real API server where that is
//! practical; tests shorten the timers to stay fast.

use std::time::Duration;

use kubesight_model::clock::Clock;

#[derive(Debug, Clone)]
pub struct SimConfig {
    /// How many changes watches can resume across; older resourceVersions get
    /// 410 Gone. The real watch cache holds a comparable window.
    pub history_window: usize,
    /// Changes an open watch may fall behind by before it is closed as too slow,
    /// so that one stalled client never holds the others back.
    pub watch_buffer: usize,
    /// How often a watch with `allowWatchBookmarks=true` receives a BOOKMARK.
    pub bookmark_interval: Duration,
    /// How long a watch without `timeoutSeconds` stays open (the real server
    /// picks between 30 and 60 minutes).
    pub default_watch_timeout: Duration,
    /// How long a request for a resourceVersion the store has not reached waits
    /// before the 504 `Too large resource version` (3 s on a real server).
    pub too_large_resource_version_wait: Duration,
    /// The time stamped on objects created without a `creationTimestamp`.
    pub clock: Clock,
    /// The WatchList feature (on by default since 1.32): watches may ask for
    /// `sendInitialEvents`. Off, the server answers as 1.27–1.31 do with the gate
    /// off: such a watch is refused with a 422.
    pub watch_list: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            history_window: 10_000,
            watch_buffer: 4_096,
            bookmark_interval: Duration::from_secs(5),
            default_watch_timeout: Duration::from_secs(30 * 60),
            too_large_resource_version_wait: Duration::from_secs(3),
            clock: Clock::System,
            watch_list: true,
        }
    }
}
