//! A bordered table of rows. Only the rows on screen are formatted, so a frame costs
//! the same with fifty pods or fifty thousand.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders};

use super::columns::{GAP, fit, truncate};
use crate::app::App;
use crate::app::views::TableView;
use crate::config::theme::Theme;
use crate::model::table::{TableRow, Tone};

pub fn tone_color(theme: &Theme, tone: Tone) -> ratatui::style::Color {
    match tone {
        Tone::Normal => theme.text,
        Tone::Good => theme.good,
        Tone::Progressing => theme.progressing,
        Tone::Warning => theme.warning,
        Tone::Bad => theme.bad,
        Tone::Muted => theme.muted,
    }
}

/// How one table is framed: its title, the columns left out, the marked rows
/// and the kind whose freshness it reports.
pub struct TableFrame<'a> {
    pub title: &'a str,
    pub hidden: &'a [usize],
    pub marked: Option<&'a std::collections::BTreeSet<String>>,
    /// How current the rows are: a cached kind's store, or a generic table's
    /// stream.
    pub status: crate::cache::KindStatus,
}

pub fn draw_table<R: TableRow>(
    frame: &mut Frame,
    area: Rect,
    view: &TableView<R>,
    framing: TableFrame,
    app: &App,
) {
    let TableFrame {
        title,
        hidden,
        marked,
        status,
    } = framing;
    let theme = &app.theme;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(theme.border))
        .title(
            Line::styled(
                title.to_string(),
                Style::default()
                    .fg(theme.title)
                    .add_modifier(Modifier::BOLD),
            )
            .centered(),
        );
    // Why the data is not live, in full, where the eye already is.
    let block = match crate::model::freshness::detail(&status, app.clock.now()) {
        Some(detail) => {
            let color = if matches!(status.freshness, crate::cache::Freshness::Live) {
                theme.warning
            } else {
                theme.error
            };
            block.title_bottom(
                Line::styled(format!(" {detail} "), Style::default().fg(color)).left_aligned(),
            )
        }
        None => block,
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }

    let columns = view.table.columns();
    let sort = view.table.sort();
    // Room for the sort arrow next to the sorted column's title.
    let natural: Vec<u16> = view
        .table
        .content_widths()
        .iter()
        .enumerate()
        .map(|(c, w)| {
            if c == sort.column {
                (*w).max(columns[c].title.len() as u16 + 1)
            } else {
                *w
            }
        })
        .collect();
    // One blank column of margin on each side.
    let layout = fit(columns, &natural, hidden, inner.width.saturating_sub(2));
    let buf = frame.buffer_mut();

    // Column titles.
    let mut x = inner.x + 1;
    let header_style = Style::default()
        .fg(theme.column_header)
        .add_modifier(Modifier::BOLD);
    for &(c, width) in &layout {
        let mut title = columns[c].title.to_string();
        if c == sort.column {
            title.push(if sort.descending { '↓' } else { '↑' });
        }
        buf.set_stringn(
            x,
            inner.y,
            truncate(&title, usize::from(width)),
            usize::from(width),
            header_style,
        );
        x += width + GAP;
    }

    let rows_area = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    if view.table.is_empty() {
        // An empty table must not pass for an empty cluster.
        let message = match &status.freshness {
            _ if view.table.total() > 0 => "Nothing matches the filter.".to_string(),
            crate::cache::Freshness::Syncing { .. } => "Loading…".to_string(),
            crate::cache::Freshness::Stale { reason, .. } => format!("Not loaded: {reason}"),
            crate::cache::Freshness::Forbidden { reason } => format!("Forbidden: {reason}"),
            crate::cache::Freshness::Static | crate::cache::Freshness::Live => {
                "No resources found.".to_string()
            }
        };
        buf.set_stringn(
            rows_area.x + 1,
            rows_area.y,
            &message,
            usize::from(rows_area.width),
            Style::default().fg(theme.muted),
        );
        return;
    }
    let now = app.clock.now();
    let visible = usize::from(rows_area.height);
    for (line, index) in (view.offset..view.table.len()).take(visible).enumerate() {
        let Some(row) = view.table.get(index) else {
            break;
        };
        let y = rows_area.y + line as u16;
        let selected = index == view.selected;
        let style = if selected {
            Style::default()
                .fg(theme.selection_fg)
                .bg(theme.selection_bg)
        } else {
            Style::default().fg(tone_color(theme, row.tone()))
        };
        if selected {
            buf.set_style(
                Rect {
                    y,
                    height: 1,
                    ..rows_area
                },
                style,
            );
        }
        // A marked row (for an operation on several) is flagged in the margin.
        let style = if marked.is_some_and(|m| m.contains(row.name())) {
            buf.set_string(
                rows_area.x,
                y,
                "▌",
                Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
            );
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        };
        let mut x = rows_area.x + 1;
        for &(c, width) in &layout {
            let cell = row.cell(c, now);
            buf.set_stringn(
                x,
                y,
                truncate(&cell, usize::from(width)),
                usize::from(width),
                style,
            );
            x += width + GAP;
        }
    }
}
