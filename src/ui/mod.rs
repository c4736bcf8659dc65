//! Drawing. Pure functions of the app state and theme into a ratatui frame; the same
//! code draws the terminal and the headless `render` output.

pub mod chrome;
pub mod columns;
pub mod doc;
pub mod help;
pub mod layout;
pub mod table;
pub mod text;

use ratatui::Frame;

use crate::app::App;
use crate::app::views::Screen;

/// ` pods(all)[43] STALE `: a table whose data is not live says so in its title.
fn with_marker(title: String, app: &App, kind: crate::cache::Kind) -> String {
    match crate::model::freshness::title_marker(&app.cache.freshness.get(kind)) {
        Some(marker) => format!("{title}{marker} "),
        None => title,
    }
}

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let areas = layout::split(area, chrome::footer_rows(app, area.width, area.height));
    chrome::draw_header(frame, areas.header, app);
    match app.screen() {
        Screen::Pods { view, node } => {
            let title =
                chrome::table_title("pods", node.as_deref(), app.namespace.as_deref(), view);
            let title = with_marker(title, app, crate::cache::Kind::Pod);
            // A column that would repeat the scope on every row is left out.
            let mut hidden = Vec::new();
            if app.namespace.is_some() {
                hidden.push(crate::model::pod_rows::NAMESPACE);
            }
            if node.is_some() {
                hidden.push(crate::model::pod_rows::NODE);
            }
            table::draw_table(
                frame,
                areas.body,
                view,
                table::TableFrame {
                    title: &title,
                    hidden: &hidden,
                    marked: None,
                    status: app.cache.freshness.get(crate::cache::Kind::Pod),
                },
                app,
            );
        }
        Screen::Nodes { view, marked } => {
            let mut title = chrome::table_title("nodes", None, None, view);
            if !marked.is_empty() {
                title = format!("{}{} marked ", title, marked.len());
            }
            let title = with_marker(title, app, crate::cache::Kind::Node);
            table::draw_table(
                frame,
                areas.body,
                view,
                table::TableFrame {
                    title: &title,
                    hidden: &[],
                    marked: Some(marked),
                    status: app.cache.freshness.get(crate::cache::Kind::Node),
                },
                app,
            );
        }
        Screen::Resources { resource, view } => {
            let session = app.generic.as_ref();
            let scope = if resource.namespaced {
                app.namespace.as_deref()
            } else {
                Some("")
            };
            let mut title = chrome::table_title(&resource.plural, None, scope, view);
            if let Some(session) = session {
                if session.wide {
                    title = format!("{title}wide ");
                }
                if !session.listed {
                    title = format!("{title}LOADING ");
                }
                if session.error.is_some() {
                    title = format!("{title}STALE ");
                }
            }
            let status = session
                .map(|s| s.status())
                .unwrap_or_else(|| app.cache.freshness.get(crate::cache::Kind::Namespace));
            table::draw_table(
                frame,
                areas.body,
                view,
                table::TableFrame {
                    title: &title,
                    hidden: &[],
                    marked: None,
                    status,
                },
                app,
            );
        }
        Screen::Doc { view, kind } => {
            // A document built from stale data says so, as the tables do.
            let stale = crate::cache::Kind::ALL.iter().find_map(|kind| {
                crate::model::freshness::title_marker(&app.cache.freshness.get(*kind))
                    .filter(|m| *m != "FORBIDDEN")
            });
            let wrap = app.wraps(kind);
            doc::draw_doc(frame, areas.body, view, stale, wrap, app);
        }
    }
    chrome::draw_footer(frame, areas.footer, app);
    if app.help_open {
        help::draw_help(frame, frame.area(), app);
    }
}
