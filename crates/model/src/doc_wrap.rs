//! A document line as screen rows of a given width: long lines break at a
//! space where one is near, and go on under where their last part began (the
//! value of a `key: value` field, a table's last column), so a long event or
//! container message is read whole and still lines up.

use super::doc::Span;
use super::table::{Tone, display_width};

/// The rows `spans` take in `width` columns. A line that fits is one row,
/// unchanged.
pub fn wrap_spans(spans: &[Span], width: usize) -> Vec<Vec<Span>> {
    let total: usize = spans.iter().map(|s| display_width(&s.text)).sum();
    if width == 0 || total <= width {
        return vec![spans.to_vec()];
    }
    let chars: Vec<(char, Tone)> = spans
        .iter()
        .flat_map(|s| s.text.chars().map(move |c| (c, s.tone)))
        .collect();
    let indent = hanging_indent(spans, width);
    let mut rows = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let first = rows.is_empty();
        let room = if first { width } else { width - indent };
        let end = if chars.len() - at <= room {
            chars.len()
        } else {
            break_point(&chars, at, room, if first { indent } else { 0 })
        };
        let mut row = Vec::new();
        if !first && indent > 0 {
            row.push(Span::new(" ".repeat(indent), Tone::Normal));
        }
        push_runs(&mut row, &chars[at..end]);
        rows.push(row);
        at = end;
        // The space a row broke at is not carried to the next row.
        while at < chars.len() && chars[at].0 == ' ' {
            at += 1;
        }
    }
    rows
}

/// How many rows `spans` take in `width` columns.
pub fn row_count(spans: &[Span], width: usize) -> usize {
    let total: usize = spans.iter().map(|s| display_width(&s.text)).sum();
    if width == 0 || total <= width {
        1
    } else {
        wrap_spans(spans, width).len()
    }
}

/// Continuation rows start under the last span (a field's value, a table's
/// last column), or under a single span's own leading spaces; never so far
/// right that less than half the width is left.
fn hanging_indent(spans: &[Span], width: usize) -> usize {
    let indent = match spans {
        [only] => only.text.len() - only.text.trim_start_matches(' ').len(),
        [before @ .., _] => before.iter().map(|s| display_width(&s.text)).sum(),
        [] => 0,
    };
    if indent <= width / 2 { indent } else { 0 }
}

/// Where a row starting at `at` with `room` columns ends: after the last space
/// that leaves the row at least a third full (and not inside the first
/// `protected` columns), else exactly at `room`.
fn break_point(chars: &[(char, Tone)], at: usize, room: usize, protected: usize) -> usize {
    let hard = at + room;
    let earliest = at + protected.max(room / 3);
    (earliest..=hard)
        .rev()
        .find(|&i| i > at && chars.get(i).is_some_and(|(c, _)| *c == ' '))
        .unwrap_or(hard)
}

/// Characters back into spans, one per run of the same tone.
fn push_runs(row: &mut Vec<Span>, chars: &[(char, Tone)]) {
    for (c, tone) in chars {
        match row.last_mut() {
            Some(span) if span.tone == *tone => span.text.push(*c),
            _ => row.push(Span::new(c.to_string(), *tone)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: &[Vec<Span>]) -> Vec<String> {
        rows.iter()
            .map(|r| r.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn a_line_that_fits_is_left_alone() {
        let spans = vec![
            Span::new("Node: ", Tone::Muted),
            Span::new("n1", Tone::Normal),
        ];
        assert_eq!(wrap_spans(&spans, 20), vec![spans.clone()]);
        assert_eq!(row_count(&spans, 20), 1);
    }

    #[test]
    fn a_fields_value_goes_on_under_itself_breaking_at_spaces() {
        let spans = vec![
            Span::new("Message: ", Tone::Muted),
            Span::new(
                "Back-off restarting failed container app in pod payments",
                Tone::Bad,
            ),
        ];
        let rows = wrap_spans(&spans, 30);
        assert_eq!(
            text(&rows),
            [
                "Message: Back-off restarting",
                "         failed container app",
                "         in pod payments",
            ]
        );
        assert_eq!(rows[1][1].tone, Tone::Bad, "tones survive the break");
        assert_eq!(row_count(&spans, 30), 3);
    }

    #[test]
    fn a_word_longer_than_the_row_is_cut_where_the_row_ends() {
        let spans = vec![Span::new("x".repeat(25), Tone::Normal)];
        assert_eq!(
            text(&wrap_spans(&spans, 10)),
            ["xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"]
        );
    }

    #[test]
    fn a_wide_prefix_does_not_push_the_rest_into_a_sliver() {
        let spans = vec![
            Span::new("a-very-long-column-value  ", Tone::Normal),
            Span::new("then a message that is long", Tone::Normal),
        ];
        let rows = text(&wrap_spans(&spans, 30));
        assert!(rows.iter().skip(1).all(|r| !r.starts_with(' ')), "{rows:?}");
        assert!(rows.iter().all(|r| r.chars().count() <= 30), "{rows:?}");
        assert_eq!(
            rows.concat().replace(' ', ""),
            "a-very-long-column-valuethenamessagethatislong"
        );
    }
}
