//! A bordered, scrolled document with a cursor line. Only the lines on screen are
//! turned into widgets, so a long YAML or a namespace-wide forest costs the same
//! per frame as a short one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::table::tone_color;
use crate::app::App;
use crate::app::doc_view::DocView;

pub fn draw_doc(
    frame: &mut Frame,
    area: Rect,
    view: &DocView,
    marker: Option<&str>,
    wrap: bool,
    app: &App,
) {
    let theme = &app.theme;
    let mut title = format!(" {} ", view.doc.title);
    if !view.search.is_empty() {
        title.push_str(&format!(
            "</{}> {} matches ",
            view.search,
            view.match_count()
        ));
    }
    if let Some(marker) = marker {
        title.push_str(marker.trim_start());
        title.push(' ');
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(theme.border))
        .title(
            Line::styled(
                title,
                Style::default()
                    .fg(theme.title)
                    .add_modifier(Modifier::BOLD),
            )
            .centered(),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // One column of margin inside the border, as the tables have.
    let padded = Rect {
        x: inner.x.saturating_add(1),
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let height = usize::from(inner.height);
    let width = usize::from(padded.width);
    let mut rows: Vec<Line> = Vec::with_capacity(height);
    for (index, line) in view.doc.lines.iter().enumerate().skip(view.offset) {
        if rows.len() >= height {
            break;
        }
        let mut style = Style::default();
        if line.heading {
            style = style.fg(theme.column_header).add_modifier(Modifier::BOLD);
        }
        if view.line_matches(index) {
            style = style.add_modifier(Modifier::UNDERLINED);
        }
        if index == view.selected {
            // The tokens keep their tones on the cursor line; only the
            // background says where the cursor is.
            style = style.bg(theme.selection_bg);
        }
        let pieces = if wrap {
            crate::model::doc_wrap::wrap_spans(&line.spans, width)
        } else {
            vec![line.spans.clone()]
        };
        for piece in pieces {
            let spans: Vec<Span> = piece
                .into_iter()
                .map(|s| {
                    let color = if line.heading {
                        theme.column_header
                    } else {
                        tone_color(theme, s.tone)
                    };
                    Span::styled(s.text, Style::default().fg(color))
                })
                .collect();
            rows.push(Line::from(spans).style(style));
        }
    }
    rows.truncate(height);
    let column = if wrap { 0 } else { view.column };
    let paragraph = Paragraph::new(rows).scroll((0, u16::try_from(column).unwrap_or(u16::MAX)));
    frame.render_widget(paragraph, padded);
}
