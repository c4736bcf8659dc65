//! The header (where the data comes from) and the footer (keys, prompts, messages).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::docs::DocKind;
use crate::app::views::{Navigable, Screen};
use crate::app::{App, Mode, Prompt};
use crate::config::keymap::KeyAction;

/// ` pods(shop)[3/12] </app=web> `, like k9s: resource, scope, counts, filter.
pub fn table_title(
    resource: &str,
    node: Option<&str>,
    namespace: Option<&str>,
    view: &dyn Navigable,
) -> String {
    let scope = match (node, resource) {
        (Some(node), _) => format!("{resource} on {node}({})", namespace.unwrap_or("all")),
        (None, "nodes") => resource.to_string(),
        // A cluster-scoped kind has no namespace to name.
        (None, _) if namespace == Some("") => resource.to_string(),
        (None, _) => format!("{resource}({})", namespace.unwrap_or("all")),
    };
    let count = if view.filter().is_active() {
        format!("[{}/{}]", view.len(), view.total())
    } else {
        format!("[{}]", view.len())
    };
    let filter = if view.filter().is_active() {
        format!(" </{}>", view.filter_text())
    } else {
        String::new()
    };
    format!(" {scope}{count}{filter} ")
}

pub fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let base = Style::default().bg(theme.header_bg).fg(theme.header_fg);
    let key = Style::default().bg(theme.header_bg).fg(theme.header_key);
    let value = base.add_modifier(Modifier::BOLD);
    let namespace = app.namespace.as_deref().unwrap_or("all");
    let line = Line::from(vec![
        Span::styled(
            " kubesight ",
            Style::default()
                .bg(theme.accent)
                .fg(theme.header_bg)
                .add_modifier(Modifier::BOLD),
        ),
        Span::styled("  context: ", key),
        Span::styled(app.source.context.clone(), value),
        Span::styled("  namespace: ", key),
        Span::styled(namespace.to_string(), value),
    ]);
    let mut line = line;
    if app.readonly {
        // Right after the context: which cluster, and that nothing will be changed.
        line.spans.push(Span::styled("  ", base));
        line.spans.push(Span::styled(
            "READONLY",
            Style::default()
                .bg(theme.header_bg)
                .fg(super::table::tone_color(
                    theme,
                    crate::model::table::Tone::Warning,
                ))
                .add_modifier(Modifier::BOLD),
        ));
    }
    // Freshness before the source: a long server URL must not push it off screen.
    let statuses = app.cache.freshness.snapshot();
    if let Some((note, tone)) = crate::model::freshness::summary(&statuses, app.clock.now()) {
        let color = super::table::tone_color(theme, tone);
        line.spans.push(Span::styled("  ", base));
        line.spans.push(Span::styled(
            note,
            Style::default()
                .bg(theme.header_bg)
                .fg(color)
                .add_modifier(Modifier::BOLD),
        ));
    }
    line.spans.push(Span::styled("  source: ", key));
    line.spans
        .push(Span::styled(app.source.label.clone(), value));
    frame.render_widget(Paragraph::new(line).style(base), area);
}

pub fn draw_footer(frame: &mut Frame, area: Rect, app: &App) {
    let line = footer_line(app);
    let paragraph = if footer_wraps(app) {
        Paragraph::new(line).wrap(ratatui::widgets::Wrap { trim: false })
    } else {
        Paragraph::new(line)
    };
    frame.render_widget(paragraph, area);
}

/// Whether the footer says something that must be read whole (a message, a
/// prompt's error), rather than key hints that may be cut.
fn footer_wraps(app: &App) -> bool {
    match &app.mode {
        Mode::Normal => app.flash.is_some(),
        Mode::Filter(prompt)
        | Mode::Command(prompt)
        | Mode::EditLabels(prompt)
        | Mode::Forward { prompt, .. }
        | Mode::Shell { prompt, .. } => prompt.error.is_some(),
        Mode::Confirm(_) => true,
    }
}

/// The footer's rows on a screen `width` × `height`: one, or as many as a long
/// message needs, up to a third of the screen.
pub fn footer_rows(app: &App, width: u16, height: u16) -> u16 {
    if width == 0 || !footer_wraps(app) {
        return 1;
    }
    let needed = footer_line(app).width().div_ceil(usize::from(width)).max(1);
    u16::try_from(needed)
        .unwrap_or(u16::MAX)
        .min((height / 3).max(1))
}

fn footer_line(app: &App) -> Line<'static> {
    let theme = &app.theme;
    match &app.mode {
        Mode::Filter(prompt) => prompt_line("/", prompt, app),
        Mode::Command(prompt) => prompt_line(":", prompt, app),
        Mode::EditLabels(prompt) => prompt_line("change (key=value, key-): ", prompt, app),
        Mode::Shell {
            target,
            choices,
            prompt,
        } => prompt_line(
            &format!(
                "shell in {}/{} — {} (tab for the next): ",
                target.namespace,
                target.name,
                choices
                    .iter()
                    .map(|c| c.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            prompt,
            app,
        ),
        Mode::Forward { target, prompt } => prompt_line(
            &format!(
                "forward to {} — REMOTE-PORT [LOCAL-PORT]: ",
                crate::app::targets::forward_target_text(target)
            ),
            prompt,
            app,
        ),
        Mode::Confirm(confirm) => Line::from(vec![
            Span::styled(
                format!(" {} ", confirm.question),
                Style::default()
                    .fg(theme.warning)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                "y to go ahead, any other key cancels",
                Style::default().fg(theme.muted),
            ),
        ]),
        Mode::Normal => match &app.flash {
            Some(flash) => Line::styled(
                format!(" {}", flash.text),
                Style::default().fg(if flash.is_error {
                    theme.error
                } else {
                    theme.info
                }),
            ),
            None => key_hints(app),
        },
    }
}

fn prompt_line(sigil: &str, prompt: &Prompt, app: &App) -> Line<'static> {
    let theme = &app.theme;
    let mut spans = vec![
        Span::styled(
            format!(" {sigil}"),
            Style::default()
                .fg(theme.prompt)
                .add_modifier(Modifier::BOLD),
        ),
        Span::styled(prompt.input.clone(), Style::default().fg(theme.text)),
        // The cursor: a reversed blank, so that text output shows no stray glyph.
        Span::styled(" ", Style::default().add_modifier(Modifier::REVERSED)),
    ];
    if let Some(error) = &prompt.error {
        spans.push(Span::styled(
            format!("  ✗ {error}"),
            Style::default().fg(theme.error),
        ));
    }
    Line::from(spans)
}

/// The keys that matter on this screen, as the keymap binds them.
fn key_hints(app: &App) -> Line<'static> {
    let theme = &app.theme;
    let mut hints: Vec<(KeyAction, &str)> = Vec::new();
    let doc_kind = match app.screen() {
        Screen::Doc { kind, view } => {
            if view.selected_target().is_some() {
                hints.push((KeyAction::Select, "open"));
            }
            Some(kind)
        }
        Screen::Nodes { .. } => {
            hints.extend([
                (KeyAction::Select, "pods"),
                (KeyAction::Drain, "drain"),
                (KeyAction::Toggle, "mark"),
                (KeyAction::Cordon, "cordon"),
                (KeyAction::Uncordon, "uncordon"),
            ]);
            None
        }
        Screen::Resources { .. } => {
            hints.push((KeyAction::Wide, "wide"));
            None
        }
        Screen::Pods { .. } => None,
    };
    if app.stack.len() > 1 || app.screen().nav_ref().filter().is_active() {
        hints.push((KeyAction::Back, "back"));
    }
    match doc_kind {
        Some(kind) => {
            hints.push((
                KeyAction::Filter,
                if matches!(kind, DocKind::Logs) {
                    "filter (regex)"
                } else {
                    "search"
                },
            ));
            if !app.screen().nav_ref().filter_text().is_empty() {
                hints.push((KeyAction::NextMatch, "next"));
            }
            match kind {
                DocKind::Yaml { .. } => hints.extend([
                    (KeyAction::ManagedFields, "managedFields"),
                    (KeyAction::CopyYaml, "copy"),
                    (KeyAction::CopyName, "copy name"),
                ]),
                DocKind::Rollout { .. } => hints.extend([
                    (KeyAction::Toggle, "mark"),
                    (KeyAction::Diff, "diff"),
                    (KeyAction::Undo, "undo"),
                ]),
                DocKind::DrainPlan { .. } => hints.push((KeyAction::Drain, "start the drain")),
                DocKind::Forwards => hints.push((KeyAction::Cancel, "stop")),
                DocKind::Logs => hints.extend([
                    (KeyAction::Pause, "pause"),
                    (KeyAction::Container, "container"),
                    (KeyAction::Previous, "previous"),
                    (KeyAction::Timestamps, "timestamps"),
                    (KeyAction::Wrap, "wrap"),
                    (KeyAction::Save, "save"),
                ]),
                DocKind::Labels(_) => hints.extend([
                    (KeyAction::Edit, "change"),
                    (KeyAction::Select, "apply"),
                    (KeyAction::Toggle, "labels/annotations"),
                ]),
                DocKind::DrainRun => hints.push((KeyAction::Cancel, "cancel")),
                DocKind::Tree { .. } | DocKind::Forest { .. } => {
                    hints.push((KeyAction::Toggle, "collapse/expand"))
                }
                _ => {
                    hints.push((KeyAction::Yaml, "yaml"));
                    if kind
                        .subject()
                        .is_some_and(|t| t.kind == crate::cache::Kind::Pod)
                    {
                        hints.extend([
                            (KeyAction::Logs, "logs"),
                            (KeyAction::Shell, "shell"),
                            (KeyAction::Events, "events"),
                            (KeyAction::Qos, "qos"),
                            (KeyAction::Probes, "probes"),
                        ]);
                    }
                }
            }
        }
        None => {
            hints.push((KeyAction::Yaml, "yaml"));
            if matches!(app.screen(), Screen::Pods { .. }) {
                hints.extend([
                    (KeyAction::Logs, "logs"),
                    (KeyAction::Shell, "shell"),
                    (KeyAction::PortForward, "port-forward"),
                    (KeyAction::Rollout, "rollout"),
                    (KeyAction::Qos, "qos"),
                    (KeyAction::Probes, "probes"),
                ]);
            }
            hints.extend([(KeyAction::Filter, "filter"), (KeyAction::SortNext, "sort")]);
        }
    }
    hints.extend([
        (KeyAction::Command, "command"),
        (KeyAction::Help, "help"),
        (KeyAction::Quit, "quit"),
    ]);
    let mut spans = vec![Span::raw(" ")];
    for (action, label) in hints {
        let key = app.keymap.hint(action);
        if key.is_empty() {
            continue;
        }
        spans.push(Span::styled(
            format!("<{key}>"),
            Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(
            format!(" {label}  "),
            Style::default().fg(theme.muted),
        ));
    }
    Line::from(spans)
}
