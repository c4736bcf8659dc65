//! Fitting table columns into the width there is. Columns are placed in order of
//! importance at their natural width; a flexible column that does not fit takes
//! whatever room is left (truncating its cells); space left over at the end goes
//! back to truncated columns, most important first.

use crate::model::table::Column;

pub const GAP: u16 = 2;

/// Columns at or below this priority are optional: they never take width that an
/// essential column (the name) still lacks.
const OPTIONAL: u8 = 2;

/// Essential columns (priority 0) first, then by falling priority, left to right.
fn importance_order(columns: &[Column], shown: &[usize]) -> Vec<usize> {
    let mut order = shown.to_vec();
    order.sort_by_key(|&c| {
        (
            columns[c].priority != 0,
            std::cmp::Reverse(columns[c].priority),
            c,
        )
    });
    order
}

/// The columns to draw, as (index, width), left to right.
pub fn fit(
    columns: &[Column],
    natural: &[u16],
    hidden: &[usize],
    available: u16,
) -> Vec<(usize, u16)> {
    let shown: Vec<usize> = (0..columns.len()).filter(|c| !hidden.contains(c)).collect();
    let natural_of = |c: usize| natural.get(c).copied().unwrap_or(columns[c].min);
    let order = importance_order(columns, &shown);
    // Essential flexible columns first reserve only their minimum, so that the
    // columns after them still get a chance; the rest comes back to them below.
    let reserve = |c: usize| {
        let column = &columns[c];
        if column.priority == 0 && column.flexible {
            natural_of(c).min(column.min)
        } else {
            natural_of(c)
        }
    };
    // What essential columns still lack; a flexible column that takes "the rest"
    // must leave this much, or a wide TAINTS column would starve NAME.
    let shortfall: u16 = order
        .iter()
        .filter(|&&c| columns[c].priority == 0)
        .map(|&c| natural_of(c) - reserve(c))
        .sum();
    let mut placed: Vec<(usize, u16)> = Vec::new();
    let mut used: u16 = 0;
    for c in order {
        let column = &columns[c];
        let gap = if placed.is_empty() { 0 } else { GAP };
        let room = available.saturating_sub(used + gap);
        let want = reserve(c);
        let spare = room.saturating_sub(shortfall);
        let usable = if column.priority <= OPTIONAL && column.priority != 0 {
            spare
        } else {
            room
        };
        let width = if want <= usable {
            want
        } else if column.flexible && column.priority != 0 && spare >= column.min {
            spare
        } else if column.priority == 0 {
            want
        } else {
            continue;
        };
        placed.push((c, width));
        used += gap + width;
    }
    let mut leftover = available.saturating_sub(used);
    for (c, width) in &mut placed {
        let grow = natural_of(*c).saturating_sub(*width).min(leftover);
        *width += grow;
        leftover -= grow;
    }
    placed.sort_by_key(|(c, _)| *c);
    placed
}

/// `text` cut to `width` characters, with an ellipsis when it was longer.
pub fn truncate(text: &str, width: usize) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= width {
        return std::borrow::Cow::Borrowed(text);
    }
    if width == 0 {
        return std::borrow::Cow::Borrowed("");
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Column] = &[
        Column {
            title: "NAME",
            min: 8,
            max: 60,
            priority: 0,
            flexible: true,
        },
        Column {
            title: "STATUS",
            min: 6,
            max: 20,
            priority: 0,
            flexible: false,
        },
        Column {
            title: "IP",
            min: 2,
            max: 15,
            priority: 1,
            flexible: false,
        },
        Column {
            title: "TAINTS",
            min: 6,
            max: 90,
            priority: 2,
            flexible: true,
        },
        Column {
            title: "AGE",
            min: 3,
            max: 5,
            priority: 5,
            flexible: false,
        },
    ];

    #[test]
    fn everything_fits_when_there_is_room() {
        let natural = [20, 10, 12, 8, 5];
        assert_eq!(
            fit(COLS, &natural, &[], 200),
            vec![(0, 20), (1, 10), (2, 12), (3, 8), (4, 5)]
        );
    }

    #[test]
    fn least_important_columns_make_way_first() {
        let natural = [20, 10, 12, 8, 5];
        // 20+10+8+5 + 3 gaps of 2 = 49: the IP (least important) goes.
        assert_eq!(
            fit(COLS, &natural, &[], 49),
            vec![(0, 20), (1, 10), (3, 8), (4, 5)]
        );
        // The taints are optional too: they never take width the name lacks.
        assert_eq!(fit(COLS, &natural, &[], 39), vec![(0, 20), (1, 10), (4, 5)]);
    }

    #[test]
    fn a_wide_flexible_column_takes_what_is_left_without_pushing_others_out() {
        let natural = [20, 10, 12, 80, 5];
        // The taints take what is left once the name has its natural width; the IP,
        // less important than the taints, no longer fits.
        assert_eq!(
            fit(COLS, &natural, &[], 100),
            vec![(0, 20), (1, 10), (3, 59), (4, 5)]
        );
    }

    #[test]
    fn names_shrink_only_when_essential_columns_alone_do_not_fit() {
        let natural = [20, 10, 12, 8, 5];
        assert_eq!(fit(COLS, &natural, &[], 26), vec![(0, 14), (1, 10)]);
        assert_eq!(fit(COLS, &natural, &[], 20), vec![(0, 8), (1, 10)]);
        // Below the essential minimum, essential columns still draw (and get clipped).
        assert_eq!(fit(COLS, &natural, &[], 10), vec![(0, 8), (1, 10)]);
    }

    #[test]
    fn hidden_columns_are_not_drawn() {
        assert_eq!(
            fit(COLS, &[20, 10, 12, 8, 5], &[2, 3], 200),
            vec![(0, 20), (1, 10), (4, 5)]
        );
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("worker-1", 20), "worker-1");
        assert_eq!(truncate("worker-1", 6), "worke…");
        assert_eq!(truncate("abc", 0), "");
    }
}
