//! The screen's regions: a header line, the bordered table, a footer line.

use ratatui::layout::Rect;

pub struct Areas {
    pub header: Rect,
    pub body: Rect,
    pub footer: Rect,
}

pub fn split(area: Rect) -> Areas {
    let header = Rect {
        height: area.height.min(1),
        ..area
    };
    let footer_y = area.y + area.height.saturating_sub(1);
    let footer = Rect {
        y: footer_y,
        height: u16::from(area.height >= 2),
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
