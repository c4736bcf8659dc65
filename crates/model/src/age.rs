//! Durations printed the way kubectl prints them (`apimachinery/pkg/util/duration`).

use jiff::Timestamp;

/// kubectl's `HumanDuration`: at most two units, precision falling as the age grows.
pub fn human_duration(seconds: i64) -> String {
    // kubectl tolerates up to 2s of clock skew as "now".
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{}h", hours / 24, h)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{}d", hours / 24 / 365, dy)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// kubectl's `translateTimestampSince`: `<unknown>` for a missing timestamp.
pub fn age_since(then: Option<Timestamp>, now: Timestamp) -> String {
    match then {
        None => "<unknown>".to_string(),
        Some(then) => human_duration(whole_seconds_between(then, now)),
    }
}

/// Whole seconds from `then` to `now`, truncated toward zero like Go's
/// `int(d.Seconds())`.
pub fn whole_seconds_between(then: Timestamp, now: Timestamp) -> i64 {
    now.duration_since(then).as_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_duration_table() {
        let cases: &[(i64, &str)] = &[
            (-5, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (45, "45s"),
            (119, "119s"),
            (120, "2m"),
            (192, "3m12s"),
            (599, "9m59s"),
            (600, "10m"),
            (3 * 3600 - 1, "179m"),
            (3 * 3600, "3h"),
            (5 * 3600 + 30 * 60, "5h30m"),
            (8 * 3600, "8h"),
            (47 * 3600 + 59 * 60, "47h"),
            (48 * 3600, "2d"),
            (3 * 86400 + 5 * 3600, "3d5h"),
            (8 * 86400, "8d"),
            (400 * 86400, "400d"),
            (2 * 365 * 86400, "2y"),
            (3 * 365 * 86400 + 10 * 86400, "3y10d"),
            (9 * 365 * 86400, "9y"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(*secs), *want, "{secs}s");
        }
    }

    #[test]
    fn missing_timestamp_is_unknown() {
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        assert_eq!(age_since(None, now), "<unknown>");
        let then: Timestamp = "2026-11-23T11:56:48Z".parse().unwrap();
        assert_eq!(age_since(Some(then), now), "3m12s");
    }

    #[test]
    fn sub_second_difference_truncates() {
        let then: Timestamp = "2026-11-23T11:59:00.900Z".parse().unwrap();
        let now: Timestamp = "2026-11-23T12:00:00.100Z".parse().unwrap();
        assert_eq!(whole_seconds_between(then, now), 59);
    }
}
