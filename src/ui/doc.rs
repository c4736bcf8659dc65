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
    let height = usize::from(inner.height);
    let lines: Vec<Line> = view
        .doc
        .lines
        .iter()
        .enumerate()
        .skip(view.offset)
        .take(height)
        .map(|(index, line)| {
            let mut style = Style::default();
            if line.heading {
                style = style.fg(theme.column_header).add_modifier(Modifier::BOLD);
            }
            if view.line_matches(index) {
                style = style.add_modifier(Modifier::UNDERLINED);
            }
            let spans: Vec<Span> = line
                .spans
                .iter()
                .map(|s| {
                    let mut span_style = Style::default().fg(tone_color(theme, s.tone));
                    if line.heading {
                        span_style = span_style.fg(theme.column_header);
                    }
                    Span::styled(s.text.clone(), span_style)
                })
                .collect();
            let mut rendered = Line::from(spans).style(style);
            if index == view.selected {
                // The tokens keep their tones on the cursor line; only the
                // background says where the cursor is.
                rendered = rendered.style(style.bg(theme.selection_bg));
            }
            rendered
        })
        .collect();
    // One column of margin inside the border, as the tables have.
    let padded = Rect {
        x: inner.x.saturating_add(1),
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let paragraph = Paragraph::new(lines);
    let paragraph = if wrap {
        paragraph.wrap(ratatui::widgets::Wrap { trim: false })
    } else {
        paragraph
    };
    frame.render_widget(paragraph, padded);
}
