//! Drawing. Pure functions of the app state and theme into a ratatui frame; the same
//! code draws the terminal and the headless `render` output.

pub mod chrome;
pub mod columns;
pub mod help;
pub mod layout;
pub mod table;
pub mod text;

use ratatui::Frame;

use crate::app::App;
use crate::app::views::Screen;

pub fn draw(frame: &mut Frame, app: &App) {
    let areas = layout::split(frame.area());
    chrome::draw_header(frame, areas.header, app);
    match app.screen() {
        Screen::Pods { view, node } => {
            let title =
                chrome::table_title("pods", node.as_deref(), app.namespace.as_deref(), view);
            // A column that would repeat the scope on every row is left out.
            let mut hidden = Vec::new();
            if app.namespace.is_some() {
                hidden.push(crate::model::pod_rows::NAMESPACE);
            }
            if node.is_some() {
                hidden.push(crate::model::pod_rows::NODE);
            }
            table::draw_table(frame, areas.body, &title, view, &hidden, app);
        }
        Screen::Nodes { view } => {
            let title = chrome::table_title("nodes", None, None, view);
            table::draw_table(frame, areas.body, &title, view, &[], app);
        }
    }
    chrome::draw_footer(frame, areas.footer, app);
    if app.help_open {
        help::draw_help(frame, frame.area(), app);
    }
}
