//! `?`: every binding of the keymap, the commands and the filter syntax.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::App;
use crate::config::keymap::{Key, KeyAction};

const COMMANDS: &[(&str, &str)] = &[
    (":pods", "all pods in the namespace scope"),
    (":nodes", "nodes; enter shows a node's pods"),
    (":ns NAME", "only namespace NAME"),
    (":ns all", "every namespace"),
    (
        ":tree [KIND/NAME]",
        "ownership tree (the namespace's forest)",
    ),
    (
        ":events [KIND/NAME]",
        "events of an object (of the namespace)",
    ),
    (":qos", "pods by node in memory-pressure eviction order"),
    (":rollout [KIND/NAME]", "rollout history and status"),
    (":yaml [KIND/NAME]", "an object as YAML"),
    (
        ":drain [NODE…] [flags]",
        "drain plan with kubectl drain's flags",
    ),
    (":pdb [pod/NAME]", "PodDisruptionBudgets (covering a pod)"),
    (":logs [KIND/NAME] [flags]", "logs with kubectl logs' flags"),
    (":pf [KIND/NAME PORT [LOCAL]]", "port-forwards (start one)"),
    (":shell [pod/NAME] [-c C]", "shell in a chosen container"),
    (":snapshot FILE", "save the cache for --snapshot"),
    (":NAME", "any kind's table: :deploy :svc :cm :crd :widgets"),
    (":api", "every resource the cluster serves"),
    (":describe KIND/NAME", "any object described"),
    (":q", "quit"),
];

const FILTERS: &[(&str, &str)] = &[
    ("web", "names containing \"web\""),
    ("app=web,tier!=db", "label selector, as kubectl -l"),
    ("env in (a,b)", "set-based selector"),
    ("!legacy", "without the label"),
    ("-l legacy", "with the label (any value)"),
];

/// How many rows the help has at the current screen width, for scrolling.
pub fn help_len(app: &App) -> usize {
    help_lines(app, popup_width(app.size.0)).len()
}

/// The help is 100 columns wide at most, the screen's width at least.
fn popup_width(screen: u16) -> u16 {
    100.min(screen)
}

/// The help's rows for a popup `width` columns wide: a description too long
/// for one row goes on under itself.
pub fn help_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    use crate::model::doc::Span as DocSpan;
    use crate::model::table::Tone;
    let theme = &app.theme;
    let key_style = Style::default().fg(theme.key).add_modifier(Modifier::BOLD);
    let text_style = Style::default().fg(theme.text);
    let inner = usize::from(width.saturating_sub(2));
    let section = |title: &str| {
        Line::styled(
            title.to_string(),
            Style::default()
                .fg(theme.column_header)
                .add_modifier(Modifier::BOLD),
        )
    };
    let keys: Vec<(String, &str)> = KeyAction::ALL
        .iter()
        .map(|action| {
            let keys: Vec<String> = app
                .keymap
                .keys(*action)
                .iter()
                .map(Key::to_string)
                .collect();
            (keys.join(", "), action.help())
        })
        .collect();
    let commands: Vec<(String, &str)> = COMMANDS
        .iter()
        .map(|(command, what)| ((*command).to_string(), *what))
        .collect();
    let filters: Vec<(String, &str)> = FILTERS
        .iter()
        .map(|(filter, what)| (format!("/{filter}"), *what))
        .collect();
    // One column for keys, commands and filters, as wide as the widest unless
    // that leaves the descriptions less than half the popup.
    let left_width = keys
        .iter()
        .chain(&commands)
        .chain(&filters)
        .map(|(left, _)| left.chars().count())
        .max()
        .unwrap_or(0)
        .min((inner / 2).saturating_sub(4));
    // The keys column as one tone, the description as another, so the rows
    // wrapping makes keep their styles.
    let rows = |(left, right): &(String, &str)| -> Vec<Line<'static>> {
        // A key or command wider than its column gets a row of its own.
        let (own_row, left) = if left.chars().count() > left_width {
            (Some(Line::styled(format!("  {left}"), key_style)), "")
        } else {
            (None, left.as_str())
        };
        let spans = [
            DocSpan::new(format!("  {left:<left_width$}  "), Tone::Good),
            DocSpan::new(right.to_string(), Tone::Normal),
        ];
        own_row
            .into_iter()
            .chain(
                crate::model::doc_wrap::wrap_spans(&spans, inner)
                    .into_iter()
                    .map(|row| {
                        Line::from(
                            row.into_iter()
                                .map(|span| {
                                    let style = if span.tone == Tone::Good {
                                        key_style
                                    } else {
                                        text_style
                                    };
                                    Span::styled(span.text, style)
                                })
                                .collect::<Vec<_>>(),
                        )
                    }),
            )
            .collect()
    };
    let mut lines = vec![section("KEYS")];
    lines.extend(keys.iter().flat_map(rows));
    lines.push(Line::default());
    lines.push(section("COMMANDS"));
    lines.extend(commands.iter().flat_map(rows));
    lines.push(Line::default());
    lines.push(section("FILTER"));
    lines.extend(filters.iter().flat_map(rows));
    lines
}

pub fn draw_help(frame: &mut Frame, area: Rect, app: &App) {
    let width = popup_width(area.width);
    let lines = help_lines(app, width);
    let height = (lines.len() as u16 + 2).min(area.height);
    let scroll = app
        .help_scroll
        .min((lines.len() as u16 + 2).saturating_sub(height));
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(app.theme.accent))
        .title(
            Line::styled(
                " help — j/k scroll, esc closes ",
                Style::default().fg(app.theme.title),
            )
            .centered(),
        );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}
