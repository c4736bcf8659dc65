//! The simulated containers' output: one line per second of a run, from its
//! start to its end (or to now while it runs), deterministic per pod, container
//! and run so that the same request reads the same log. Lines are computed by
//! index rather than stored, so a run that started days ago costs nothing until
//! it is read.

use jiff::{SignedDuration, Timestamp};

use super::object::splitmix64;
use super::pod_runtime::{Container, Run};

/// The kubelet rotates container logs at 10 MiB; like it, a run only keeps its
/// most recent lines.
const KEPT_LINES: i64 = 10_000;

/// One run of one container, as its log file.
#[derive(Debug, Clone)]
pub struct RunLog {
    seed: u64,
    start: Timestamp,
    web: bool,
    port: u16,
    /// Exit code of a failed run: its last line says why it stopped.
    failed: Option<i64>,
    /// The end of a finished run; `None` while it runs.
    end: Option<Timestamp>,
}

/// A line of a run's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub at: Timestamp,
    pub text: String,
}

impl RunLog {
    /// The log of `container`'s run that started at `start`; `finished` for a
    /// run that ended.
    pub fn new(container: &Container, start: Timestamp, finished: Option<&Run>) -> RunLog {
        let key = format!(
            "{}/{}/{}/{}",
            container.namespace,
            container.pod,
            container.name,
            start.as_second()
        );
        RunLog {
            seed: fnv1a(key.as_bytes()),
            start,
            web: is_web_image(&container.image),
            port: container.pod_ports.first().copied().unwrap_or(8080),
            failed: finished.filter(|r| r.exit_code != 0).map(|r| r.exit_code),
            end: finished.map(|r| r.finished_at),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.end.is_some()
    }

    /// How many lines the run has written by `now` (all of them once finished),
    /// counting those rotated away.
    pub fn count(&self, now: Timestamp) -> i64 {
        let until = self.end.map_or(now, |end| end.min(now));
        if until < self.start {
            return 0;
        }
        let mut periodic = until.duration_since(self.start).as_secs();
        if self.at(periodic) > until {
            periodic -= 1;
        }
        let crash_line = i64::from(self.failed.is_some() && self.end.is_some_and(|e| e <= now));
        periodic + 1 + crash_line
    }

    /// The index of the oldest line still kept when `count` lines were written.
    pub fn first_kept(&self, count: i64) -> i64 {
        (count - KEPT_LINES).max(0)
    }

    /// The index of the first line written at or after `since`.
    pub fn first_since(&self, since: Timestamp) -> i64 {
        if since <= self.start {
            return 0;
        }
        let mut index = since.duration_since(self.start).as_secs();
        while self.at(index) < since {
            index += 1;
        }
        index
    }

    /// Line `index` (`index` < [`RunLog::count`]).
    pub fn line(&self, index: i64) -> Line {
        let periodic_end = self.end.map(|end| {
            let mut last = end.duration_since(self.start).as_secs();
            if self.at(last) > end {
                last -= 1;
            }
            last + 1
        });
        if let (Some(code), Some(end), Some(crash_index)) = (self.failed, self.end, periodic_end)
            && index >= crash_index
        {
            return Line {
                at: end,
                text: format!(
                    "fatal: dial tcp 10.96.0.10:5432: connect: connection refused; exiting with code {code}"
                ),
            };
        }
        Line {
            at: self.at(index),
            text: self.text(index),
        }
    }

    /// When line `index` was written: `index` seconds into the run, plus a
    /// sub-second offset so that timestamps look like real ones.
    fn at(&self, index: i64) -> Timestamp {
        let nanos = (splitmix64(self.seed ^ index as u64) % 1_000_000_000) as i64;
        let offset = SignedDuration::from_secs(index) + SignedDuration::from_nanos(nanos);
        self.start.checked_add(offset).unwrap_or(self.start)
    }

    fn text(&self, index: i64) -> String {
        let roll = splitmix64(self.seed.wrapping_add(index as u64));
        let millis = 1 + roll % 5;
        match (self.web, index) {
            (true, 0) => format!("listening on :{}", self.port),
            (false, 0) => "starting worker".to_string(),
            (true, _) if roll % 7 == 0 => format!("GET /api/items 200 {}ms", 10 + roll % 40),
            (true, _) if roll % 11 == 0 => format!("POST /api/cart 201 {}ms", 20 + roll % 60),
            (true, _) => format!("GET /healthz 200 {millis}ms"),
            (false, _) => format!("processed batch {index} in {}ms", 5 * millis),
        }
    }
}

/// Images that serve HTTP, whose logs are access logs.
fn is_web_image(image: &str) -> bool {
    let name = image.rsplit('/').next().unwrap_or(image);
    [
        "nginx", "httpd", "caddy", "envoy", "traefik", "web", "api", "frontend", "node",
    ]
    .iter()
    .any(|web| name.starts_with(web))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pod_runtime::State;

    fn container(image: &str) -> Container {
        Container {
            namespace: "shop".into(),
            pod: "web-1".into(),
            pod_uid: String::new(),
            name: "web".into(),
            image: image.into(),
            env: Vec::new(),
            pod_ports: vec![80],
            state: State::Waiting {
                reason: String::new(),
            },
            last_run: None,
        }
    }

    fn instant(text: &str) -> Timestamp {
        text.parse().unwrap_or(Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn a_running_container_writes_a_line_per_second() {
        let log = RunLog::new(
            &container("nginx:1.27"),
            instant("2026-11-23T12:00:00Z"),
            None,
        );
        let count = log.count(instant("2026-11-23T12:00:10Z"));
        assert!((10..=11).contains(&count), "{count}");
        assert_eq!(log.line(0).text, "listening on :80");
        for index in 1..count {
            assert!(log.line(index).at > log.line(index - 1).at);
        }
        assert_eq!(log.line(3), log.line(3), "deterministic");
        assert_eq!(log.first_since(instant("2026-11-23T12:00:05Z")), 5);
    }

    #[test]
    fn a_failed_run_ends_with_its_error() {
        let start = instant("2026-11-23T12:00:00Z");
        let run = Run {
            started_at: start,
            finished_at: instant("2026-11-23T12:00:02Z"),
            exit_code: 1,
        };
        let log = RunLog::new(&container("busybox"), start, Some(&run));
        let count = log.count(instant("2026-11-23T13:00:00Z"));
        let last = log.line(count - 1);
        assert!(last.text.contains("exiting with code 1"), "{last:?}");
        assert_eq!(last.at, run.finished_at);
        assert_eq!(log.line(0).text, "starting worker");
    }
}
