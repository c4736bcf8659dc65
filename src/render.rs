//! Headless rendering: the very frame the TUI draws, into an in-memory buffer,
//! printed as plain text.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::{Action, App};
use crate::ui;

/// Draws `app` at `width`×`height` and returns the screen as text, one line per
/// terminal row with trailing blanks trimmed.
pub fn render_to_text(app: &mut App, width: u16, height: u16) -> String {
    app.update(Action::Resize(width, height));
    let backend = TestBackend::new(width, height);
    let mut terminal = match Terminal::new(backend) {
        Ok(t) => t,
        Err(never) => match never {},
    };
    match terminal.draw(|frame| ui::draw(frame, app)) {
        Ok(_) => {}
        Err(never) => match never {},
    }
    ui::text::buffer_to_text(terminal.backend().buffer())
}

/// Draws `app` tall enough for everything on its screen (every row of a table,
/// every line of a document), then drops the frame's empty rows: the whole
/// content and nothing else, for scripts.
pub fn render_whole(app: &mut App, width: u16) -> String {
    let chrome = 30 - ui::layout::table_body_rows(30);
    app.update(Action::Resize(width, 30));
    let content = match app.screen() {
        // Wrapped lines take several rows each.
        crate::app::views::Screen::Doc { view, .. } => {
            (0..view.doc.lines.len()).map(|i| view.rows_of(i)).sum()
        }
        screen => screen.nav_ref().len(),
    }
    .max(1);
    let height = u16::try_from(content + chrome).unwrap_or(u16::MAX).max(6);
    let text = render_to_text(app, width, height);
    drop_blank_frame_rows(&text)
}

/// Removes rows that are only a frame's sides with blanks between, as padding
/// below the content leaves them.
fn drop_blank_frame_rows(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let inner = line.strip_prefix('│').and_then(|l| l.strip_suffix('│'));
        if inner.is_some_and(|inner| inner.trim().is_empty()) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_frame_rows_go_and_content_stays() {
        let text = "head\n┌─ t ─┐\n│ a   │\n│     │\n│     │\n└─────┘\nfoot\n";
        assert_eq!(
            drop_blank_frame_rows(text),
            "head\n┌─ t ─┐\n│ a   │\n└─────┘\nfoot\n"
        );
    }
}
