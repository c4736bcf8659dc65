//! Where a log stream left off, so that a reconnect neither repeats nor loses
//! lines. The API server only forwards `sinceTime` to the kubelet with second
//! precision (`metav1.Time` is RFC 3339 without fractions; kube-rs even rounds
//! to the nearest second, which could skip lines, so we pass the floor), so a
//! resumed stream starts at the beginning of the last line's second: lines
//! before the last timestamp are repeats, and of the lines carrying exactly
//! the last timestamp, the ones already received come back first, in order.

use std::collections::VecDeque;

use jiff::Timestamp;

/// The resume point of one container's stream.
#[derive(Debug, Default, Clone)]
pub struct Resume {
    last: Option<Timestamp>,
    /// Texts received with timestamp `last`, in order (usually one).
    at_last: Vec<String>,
    /// Of `at_last`, those the current connection has not repeated yet.
    pending: VecDeque<String>,
}

impl Resume {
    /// The `sinceTime` to resume from: the last line's second, or `None`
    /// when no line was received yet.
    pub fn since_time(&self) -> Option<Timestamp> {
        self.last
            .and_then(|last| Timestamp::from_second(floor_second(last)).ok())
    }

    /// A new connection starts: the lines at the last timestamp will repeat.
    pub fn reconnect(&mut self) {
        self.pending = self.at_last.iter().cloned().collect();
    }

    /// Whether a line is new (and then remembers it) or a repeat.
    pub fn accept(&mut self, at: Timestamp, text: &str) -> bool {
        if let Some(last) = self.last {
            if at < last {
                return false;
            }
            if at == last {
                if self.pending.front().is_some_and(|t| t == text) {
                    self.pending.pop_front();
                    return false;
                }
                self.at_last.push(text.to_string());
                return true;
            }
        }
        self.last = Some(at);
        self.at_last = vec![text.to_string()];
        self.pending.clear();
        true
    }
}

fn floor_second(at: Timestamp) -> i64 {
    let seconds = at.as_second();
    if at.subsec_nanosecond() < 0 {
        seconds - 1
    } else {
        seconds
    }
}

/// Splits a line the server prefixed with its RFC 3339 timestamp; a line
/// without one keeps all its text.
pub fn split_timestamp(line: &str) -> (Option<Timestamp>, &str) {
    let (stamp, text) = line.split_once(' ').unwrap_or((line, ""));
    match stamp.parse::<Timestamp>() {
        Ok(at) => (Some(at), text),
        Err(_) => (None, line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a valid instant")
    }

    #[test]
    fn a_resumed_stream_skips_exactly_what_was_received() {
        let mut resume = Resume::default();
        assert_eq!(resume.since_time(), None);
        assert!(resume.accept(at("2026-11-23T12:00:01.2Z"), "a"));
        assert!(resume.accept(at("2026-11-23T12:00:01.7Z"), "b"));
        assert!(resume.accept(at("2026-11-23T12:00:01.7Z"), "c"));
        assert_eq!(resume.since_time(), Some(at("2026-11-23T12:00:01Z")));
        resume.reconnect();
        // The server replays the whole second.
        assert!(!resume.accept(at("2026-11-23T12:00:01.2Z"), "a"));
        assert!(!resume.accept(at("2026-11-23T12:00:01.7Z"), "b"));
        assert!(!resume.accept(at("2026-11-23T12:00:01.7Z"), "c"));
        // A third line with the same timestamp was written after the drop.
        assert!(resume.accept(at("2026-11-23T12:00:01.7Z"), "d"));
        assert!(resume.accept(at("2026-11-23T12:00:02.1Z"), "e"));
        resume.reconnect();
        assert!(!resume.accept(at("2026-11-23T12:00:02.1Z"), "e"));
        assert!(
            resume.accept(at("2026-11-23T12:00:02.1Z"), "e"),
            "a real repeat line"
        );
    }

    #[test]
    fn timestamps_are_split_from_the_text() {
        assert_eq!(
            split_timestamp("2026-11-23T11:59:50.5Z GET / 200"),
            (Some(at("2026-11-23T11:59:50.5Z")), "GET / 200")
        );
        assert_eq!(
            split_timestamp("2026-11-23T11:59:50Z "),
            (Some(at("2026-11-23T11:59:50Z")), "")
        );
        assert_eq!(split_timestamp("no stamp here"), (None, "no stamp here"));
    }
}
