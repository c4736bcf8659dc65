//! Timestamps as the API server reads them: `metav1.Time` is Go's `time.Parse`
//! with RFC 3339, which takes any instant of the years 0000 to 9999 and an offset
//! below 24 hours. jiff, under k8s-openapi, is narrower at the ends of that range
//! (`9999-12-31T23:59:59Z` is past its maximum) and wider in offsets (it takes
//! `+25:00`). [`normalize_times`] closes both gaps before an object is decoded.

use std::sync::LazyLock;

use jiff::Timestamp;
use regex::Regex;
use serde_json::Value;

/// One step from an object's root to a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

static RFC3339: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$",
    )
    .expect("a valid pattern")
});

/// Whether a field of this name holds an instant (metadata, conditions,
/// container states, events, jobs).
pub fn is_time_field(key: &str) -> bool {
    key.ends_with("Timestamp") || key.ends_with("Time") || key.ends_with("At") || key == "time"
}

static SUSPECT: LazyLock<Regex> = LazyLock::new(|| {
    // An offset of 24 hours or more, a leap second, or the year 9999: where jiff
    // and Go disagree.
    Regex::new(
        r#"T\d{2}:\d{2}:\d{2}(?:\.\d+)?[+-](?:2[4-9]|[3-9]\d):\d{2}"|T\d{2}:\d{2}:60|"9999-"#,
    )
    .expect("a valid pattern")
});

/// Whether an object's JSON text has no instant that [`normalize_times`] would
/// change or refuse, so it may be decoded straight from its text.
pub fn plain_times(json: &str) -> bool {
    !SUSPECT.is_match(json)
}

/// Checks every instant in `object` as the API server would, and brings those
/// past jiff's range to its nearest end (years 9999 and 0000 show the same
/// ages either way). Maps of free text (labels, annotations, data) are left
/// alone. An instant the API server would refuse is an error naming its field.
pub fn normalize_times(object: &mut Value) -> Result<(), (Vec<Step>, String)> {
    let mut path = Vec::new();
    walk(object, &mut path)
}

fn walk(value: &mut Value, path: &mut Vec<Step>) -> Result<(), (Vec<Step>, String)> {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if matches!(
                    key.as_str(),
                    "labels" | "annotations" | "data" | "stringData"
                ) {
                    continue;
                }
                path.push(Step::Key(key.clone()));
                if let Value::String(text) = field
                    && is_time_field(key)
                {
                    match normalize(text) {
                        Ok(Some(replacement)) => *text = replacement,
                        Ok(None) => {}
                        Err(message) => return Err((path.clone(), message)),
                    }
                } else {
                    walk(field, path)?;
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                path.push(Step::Index(index));
                walk(item, path)?;
                path.pop();
            }
        }
        _ => {}
    }
    Ok(())
}

/// `None` when `text` is fine as it is; a replacement for an instant past
/// jiff's range; an error for what RFC 3339 (as Go reads it) refuses.
fn normalize(text: &str) -> Result<Option<String>, String> {
    let refuse = || format!("{text:?} is not an RFC 3339 time");
    let Some(parts) = RFC3339.captures(text) else {
        return Err(refuse());
    };
    let number = |i: usize| {
        parts
            .get(i)
            .and_then(|m| m.as_str().parse::<u32>().ok())
            .unwrap_or(0)
    };
    let (year, month, day) = (number(1), number(2), number(3));
    let (hour, minute, second) = (number(4), number(5), number(6));
    let (offset_hours, offset_minutes) = (number(8), number(9));
    let in_range = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60
        && offset_hours < 24
        && offset_minutes < 60;
    if !in_range {
        return Err(refuse());
    }
    if text.parse::<Timestamp>().is_ok() {
        return Ok(None);
    }
    // A valid instant jiff cannot hold: only the last day of year 9999 (and
    // its offsets) comes here, as jiff's range ends a little before Go's.
    let end = if year >= 9999 {
        Timestamp::MAX
    } else {
        Timestamp::MIN
    };
    Ok(Some(
        end.round(jiff::Unit::Second).unwrap_or(end).to_string(),
    ))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn instants_go_accepts_are_kept_or_brought_into_range() {
        assert_eq!(normalize("2026-11-23T12:00:00Z"), Ok(None));
        assert_eq!(normalize("2026-11-23T12:00:00.123456+05:30"), Ok(None));
        assert_eq!(normalize("2024-02-29T00:00:00Z"), Ok(None));
        let last = normalize("9999-12-31T23:59:59Z")
            .expect("Go accepts the last second of 9999")
            .expect("past jiff's maximum");
        assert!(last.parse::<Timestamp>().is_ok(), "{last}");
        assert!(last.starts_with("9999-12-"), "{last}");
        assert_eq!(normalize("0000-01-01T00:00:00Z"), Ok(None));
    }

    #[test]
    fn the_fast_check_finds_what_normalize_would_touch() {
        assert!(plain_times(r#"{"startedAt":"2026-11-23T12:00:00+05:30"}"#));
        assert!(!plain_times(r#"{"startedAt":"2026-11-23T12:00:00+25:00"}"#));
        assert!(!plain_times(r#"{"startedAt":"9999-12-31T23:59:59Z"}"#));
    }

    #[test]
    fn what_go_refuses_is_refused() {
        for bad in [
            "2026-11-23T12:00:00+25:00",
            "2026-11-23T12:00:00+24:00",
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-23 12:00:00Z",
            "2026-11-23T12:00:00",
            "yesterday",
        ] {
            assert_eq!(
                normalize(bad),
                Err(format!("{bad:?} is not an RFC 3339 time")),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_walk_names_the_field_and_skips_free_text() {
        let mut pod = json!({
            "metadata": {
                "creationTimestamp": "2026-11-23T12:00:00Z",
                "annotations": {"example.com/expiresAt": "never"},
                "labels": {"builtAt": "today"}
            },
            "status": {"conditions": [
                {"lastTransitionTime": "2026-11-23T12:00:00Z"},
                {"lastTransitionTime": "2026-11-23T12:00:00+25:00"}
            ]}
        });
        assert_eq!(
            normalize_times(&mut pod),
            Err((
                vec![
                    Step::Key("status".into()),
                    Step::Key("conditions".into()),
                    Step::Index(1),
                    Step::Key("lastTransitionTime".into()),
                ],
                "\"2026-11-23T12:00:00+25:00\" is not an RFC 3339 time".to_string()
            ))
        );
    }
}
