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
    (":q", "quit"),
];

const FILTERS: &[(&str, &str)] = &[
    ("web", "names containing \"web\""),
    ("app=web,tier!=db", "label selector, as kubectl -l"),
    ("env in (a,b)", "set-based selector"),
    ("!legacy", "without the label"),
    ("-l legacy", "with the label (any value)"),
];

/// How many lines the help has, for scrolling.
pub fn help_len(app: &App) -> usize {
    help_lines(app).len()
}

pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let key_style = Style::default().fg(theme.key).add_modifier(Modifier::BOLD);
    let text_style = Style::default().fg(theme.text);
    let section = |title: &str| {
        Line::styled(
            title.to_string(),
            Style::default()
                .fg(theme.column_header)
                .add_modifier(Modifier::BOLD),
        )
    };
    let row = |left: String, right: &str| {
        Line::from(vec![
            Span::styled(format!("  {left:<20}"), key_style),
            Span::styled(right.to_string(), text_style),
        ])
    };
    let mut lines = vec![section("KEYS")];
    for action in KeyAction::ALL {
        let keys: Vec<String> = app
            .keymap
            .keys(*action)
            .iter()
            .map(Key::to_string)
            .collect();
        lines.push(row(keys.join(", "), action.help()));
    }
    lines.push(Line::default());
    lines.push(section("COMMANDS"));
    lines.extend(COMMANDS.iter().map(|(c, what)| row((*c).to_string(), what)));
    lines.push(Line::default());
    lines.push(section("FILTER"));
    lines.extend(FILTERS.iter().map(|(c, what)| row(format!("/{c}"), what)));
    lines
}

pub fn draw_help(frame: &mut Frame, area: Rect, app: &App) {
    let lines = help_lines(app);
    let width = 80.min(area.width);
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
