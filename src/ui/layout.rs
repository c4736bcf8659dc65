//! The screen's regions: a header line, the bordered table, a footer line (or
//! a few, for a long message).

use ratatui::layout::Rect;

pub struct Areas {
    pub header: Rect,
    pub body: Rect,
    pub footer: Rect,
}

/// The regions of `area` with a footer `footer_rows` tall (a long message
/// takes several).
pub fn split(area: Rect, footer_rows: u16) -> Areas {
    let header = Rect {
        height: area.height.min(1),
        ..area
    };
    let footer_height = if area.height >= 2 {
        footer_rows.clamp(1, area.height - 1)
    } else {
        0
    };
    let footer = Rect {
        y: area.y + area.height - footer_height,
        height: footer_height,
        ..area
    };
    let body = Rect {
        y: area.y + header.height,
        height: area.height.saturating_sub(header.height + footer.height),
        ..area
    };
    Areas {
        header,
        body,
        footer,
    }
}

/// Table rows that fit in a terminal `height` rows tall: minus header and footer
/// lines, the two borders and the column titles.
pub fn table_body_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(5))
}

/// [`table_body_rows`] with a footer `footer_rows` tall.
pub fn table_body_rows_with(height: u16, footer_rows: u16) -> usize {
    table_body_rows(height).saturating_sub(usize::from(footer_rows.saturating_sub(1)))
}

/// Document lines that fit in a terminal `height` rows tall: minus header and
/// footer lines and the two borders (a document has no column titles).
pub fn doc_body_rows(height: u16, footer_rows: u16) -> usize {
    usize::from(height.saturating_sub(4)).saturating_sub(usize::from(footer_rows.saturating_sub(1)))
}
