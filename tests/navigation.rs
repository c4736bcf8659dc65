//! Driving the app as a user does (keys through actions) and checking what the
//! screen then shows.

mod common;

use common::{demo_app, footer, screen, table_rows};
use kubesight::app::{Action, App, Mode};
use kubesight::config::keymap::KeyAction;

fn press(app: &mut App, key: KeyAction) {
    app.update(Action::Key(key));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::PromptInput(c));
    }
}

fn selected_name(app: &App) -> String {
    use kubesight::app::views::Screen;
    use kubesight::model::table::TableRow;
    match app.screen() {
        Screen::Pods { view, .. } => view.table.get(view.selected).map(|r| r.name().to_string()),
        Screen::Nodes { view, .. } => view.table.get(view.selected).map(|r| r.name().to_string()),
        Screen::Resources { view, .. } => {
            view.table.get(view.selected).map(|r| r.name().to_string())
        }
        Screen::Doc { view, .. } => view.selected_target().map(|t| t.name.clone()),
    }
    .unwrap_or_default()
}

#[test]
fn typing_a_selector_filters_as_you_type_and_escape_clears_it() {
    let mut app = demo_app(&[]);
    press(&mut app, KeyAction::Filter);
    type_text(&mut app, "app=web");
    let text = screen(&mut app, 120, 30);
    let rows = table_rows(&text);
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows.iter().all(|r| r.contains("web-45dmd5frnr-")), "{text}");
    assert!(text.contains("pods(all)[3/43] </app=web>"), "{text}");
    assert_eq!(footer(&text), "/app=web");

    app.update(Action::PromptSubmit);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(
        table_rows(&screen(&mut app, 120, 30)).len(),
        3,
        "the filter stays after enter"
    );

    press(&mut app, KeyAction::Back);
    let text = screen(&mut app, 120, 30);
    assert!(
        text.contains("pods(all)[43]"),
        "esc clears the filter: {text}"
    );
}

#[test]
fn a_half_typed_selector_shows_the_error_and_keeps_the_last_good_filter() {
    let mut app = demo_app(&[]);
    press(&mut app, KeyAction::Filter);
    type_text(&mut app, "tier=frontend");
    let good = table_rows(&screen(&mut app, 120, 30));
    type_text(&mut app, ",env in (a");
    let text = screen(&mut app, 120, 30);
    assert_eq!(
        table_rows(&text),
        good,
        "rows stay as the last valid filter left them"
    );
    assert_eq!(
        footer(&text),
        // The blank after the input is the cursor.
        "/tier=frontend,env in (a   ✗ unable to parse requirement: found '', expected: ',' or ')'"
    );
    // Enter does not accept a broken selector; the input is kept for fixing.
    app.update(Action::PromptSubmit);
    assert!(matches!(&app.mode, Mode::Filter(p) if p.input == "tier=frontend,env in (a"));
    type_text(&mut app, ",b)");
    app.update(Action::PromptSubmit);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn plain_text_matches_names() {
    let mut app = demo_app(&[]);
    app.apply_filter_text("POSTGRES").unwrap();
    let rows = table_rows(&screen(&mut app, 120, 30));
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.contains("postgres-")));
}

#[test]
fn enter_on_a_node_lists_its_pods_and_escape_goes_back() {
    let mut app = demo_app(&[]);
    press(&mut app, KeyAction::Command);
    type_text(&mut app, "nodes");
    app.update(Action::PromptSubmit);
    press(&mut app, KeyAction::Down);
    press(&mut app, KeyAction::Down);
    assert_eq!(selected_name(&app), "worker-2");
    press(&mut app, KeyAction::Select);
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("pods on worker-2(all)[5]"), "{text}");
    assert!(
        table_rows(&text)
            .iter()
            .any(|r| r.starts_with("data         postgres-2")),
        "{text}"
    );
    assert!(footer(&text).contains("<esc> back"), "{text}");

    press(&mut app, KeyAction::Back);
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("nodes[5]"), "{text}");
    assert_eq!(
        selected_name(&app),
        "worker-2",
        "the cursor is where it was"
    );
}

#[test]
fn namespace_commands_scope_the_view() {
    let mut app = demo_app(&[]);
    press(&mut app, KeyAction::Command);
    type_text(&mut app, "ns data");
    app.update(Action::PromptSubmit);
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("namespace: data"), "{text}");
    assert!(text.contains("pods(data)[7]"), "{text}");
    assert!(
        !text.contains("NAMESPACE"),
        "one namespace needs no NAMESPACE column: {text}"
    );

    press(&mut app, KeyAction::Command);
    type_text(&mut app, "ns all");
    app.update(Action::PromptSubmit);
    assert!(screen(&mut app, 120, 30).contains("pods(all)[43]"));

    press(&mut app, KeyAction::Command);
    type_text(&mut app, "ns nowhere");
    app.update(Action::PromptSubmit);
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("No resources found."), "{text}");
    assert_eq!(footer(&text), "namespace \"nowhere\" is not in the cluster");
}

#[test]
fn unknown_commands_keep_the_prompt_with_an_error() {
    let mut app = demo_app(&[]);
    press(&mut app, KeyAction::Command);
    type_text(&mut app, "deploymnts");
    app.update(Action::PromptSubmit);
    let text = screen(&mut app, 120, 30);
    assert!(
        footer(&text).starts_with(
            ":deploymnts   ✗ unknown command or resource \"deploymnts\"; did you mean deploy, deployments?"
        ),
        "{text}"
    );
    app.update(Action::PromptCancel);
    assert_eq!(app.mode, Mode::Normal);
    press(&mut app, KeyAction::Command);
    type_text(&mut app, "q");
    app.update(Action::PromptSubmit);
    assert!(app.should_quit);
}

#[test]
fn movement_and_paging_keep_the_cursor_on_screen() {
    let mut app = demo_app(&[]);
    app.update(Action::Resize(120, 15)); // 10 rows of table
    press(&mut app, KeyAction::Bottom);
    assert_eq!(selected_name(&app), "web-45dmd5frnr-wrwmb");
    let text = screen(&mut app, 120, 15);
    assert!(
        table_rows(&text)
            .last()
            .unwrap()
            .contains("web-45dmd5frnr-wrwmb"),
        "{text}"
    );
    press(&mut app, KeyAction::Top);
    assert_eq!(selected_name(&app), "bulk-import");
    press(&mut app, KeyAction::PageDown);
    assert_eq!(
        selected_name(&app),
        "debug-shell",
        "a page is the 10 visible rows"
    );
    press(&mut app, KeyAction::Up);
    press(&mut app, KeyAction::PageUp);
    assert_eq!(selected_name(&app), "bulk-import");
    press(&mut app, KeyAction::Up);
    assert_eq!(
        selected_name(&app),
        "bulk-import",
        "the top stops the cursor"
    );
}

#[test]
fn sorting_by_column_and_reversing() {
    let mut app = demo_app(&[]);
    // NAMESPACE → NAME → READY → STATUS → RESTARTS
    for _ in 0..4 {
        press(&mut app, KeyAction::SortNext);
    }
    press(&mut app, KeyAction::SortReverse);
    // The cursor follows its pod to its new place; go to the top to see the order.
    press(&mut app, KeyAction::Top);
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("RESTARTS↓"), "{text}");
    let rows = table_rows(&text);
    assert!(
        rows[0].contains("payments-v5z6r2wb7c-npxvp"),
        "most restarts first: {text}"
    );
    assert!(rows[1].contains("inventory-5gh77257kk-46kml"), "{text}");
    press(&mut app, KeyAction::SortPrev);
    assert!(screen(&mut app, 120, 30).contains("STATUS↑"));
}

#[test]
fn a_refresh_keeps_the_cursor_on_the_same_pod() {
    let mut app = demo_app(&[]);
    for _ in 0..6 {
        press(&mut app, KeyAction::Down);
    }
    let before = selected_name(&app);
    app.update(Action::CacheChanged(kubesight::cache::KindSet::all()));
    assert_eq!(selected_name(&app), before);
    // Sorting moves the row, and the cursor moves with it.
    press(&mut app, KeyAction::SortReverse);
    assert_eq!(selected_name(&app), before);
}

#[test]
fn a_shell_is_asked_for_the_chosen_container_and_an_unknown_one_is_refused() {
    let mut app = demo_app(&[]);
    app.run_command(
        kubesight::app::command::parse("shell pod/web-45dmd5frnr-m9ghv -c nope").expect("parses"),
    );
    assert!(app.pending_exec.is_none());
    let text = screen(&mut app, 120, 30);
    assert_eq!(
        footer(&text),
        "Pod shop/web-45dmd5frnr-m9ghv has no container \"nope\" (it has web)"
    );
    app.run_command(
        kubesight::app::command::parse("shell web-45dmd5frnr-m9ghv -c web").expect("parses"),
    );
    let request = app.pending_exec.clone().expect("a shell to run");
    assert_eq!(
        (
            request.namespace.as_str(),
            request.pod.as_str(),
            request.container.as_str()
        ),
        ("shop", "web-45dmd5frnr-m9ghv", "web")
    );
}

#[test]
fn s_offers_the_sidecar_and_tab_chooses_it() {
    let mut app = demo_app(&[]);
    press(&mut app, KeyAction::Filter);
    type_text(&mut app, "api-xc8k88h8p5-gr5qs");
    app.update(Action::PromptSubmit);
    press(&mut app, KeyAction::Shell);
    assert!(app.pending_exec.is_none(), "asked first: the pod has two");
    let text = screen(&mut app, 160, 30);
    assert_eq!(
        footer(&text),
        "shell in shop/api-xc8k88h8p5-gr5qs — api, log-shipper (sidecar) (tab for the next): api"
    );
    app.update(Action::PromptComplete);
    app.update(Action::PromptSubmit);
    let request = app.pending_exec.clone().expect("a shell to run");
    assert_eq!(request.container, "log-shipper");

    // Named directly, a sidecar is a container like any other.
    app.pending_exec = None;
    app.run_command(
        kubesight::app::command::parse("shell pod/api-xc8k88h8p5-gr5qs -c log-shipper")
            .expect("parses"),
    );
    assert_eq!(
        app.pending_exec.map(|r| r.container).as_deref(),
        Some("log-shipper")
    );
}

#[test]
fn ages_in_documents_move_with_the_clock() {
    use kubesight::app::docs::DocKind;
    use kubesight::cache::Kind;
    use kubesight::model::doc::ObjectRef;
    let payments = ObjectRef::new(Kind::Pod, "shop", "payments-v5z6r2wb7c-npxvp");
    for (kind, before, after) in [
        (
            DocKind::PodDetail {
                target: payments.clone(),
                fetched: None,
            },
            "(5m ago)",
            "(15m ago)",
        ),
        (
            DocKind::Events {
                target: Some(payments.clone()),
            },
            "26m         26m",
            "36m         36m",
        ),
    ] {
        let mut app = demo_app(&[]);
        app.push_doc(kind);
        let text = screen(&mut app, 140, 40);
        assert!(text.contains(before), "{text}");
        // Ten minutes later, with nothing changed in the cache.
        let now = app.clock.now();
        app.clock = kubesight::clock::Clock::Fixed(now + jiff::SignedDuration::from_mins(10));
        app.update(Action::Tick);
        let text = screen(&mut app, 140, 40);
        assert!(text.contains(after), "{text}");
    }
}

#[test]
fn documents_wrap_long_lines_and_w_scrolls_them_sideways_instead() {
    use kubesight::app::docs::DocKind;
    use kubesight::cache::Kind;
    use kubesight::model::doc::ObjectRef;
    let mut app = demo_app(&[]);
    app.push_doc(DocKind::Events {
        target: Some(ObjectRef::new(
            Kind::Pod,
            "shop",
            "payments-v5z6r2wb7c-npxvp",
        )),
    });
    let tail = "payments-v5z6r2wb7c-npxvp_shop(e455f0b9-8170-4452-af55-881535a0c4bf)";
    let wrapped = screen(&mut app, 100, 30);
    assert!(
        wrapped.contains(tail),
        "the message is read whole:\n{wrapped}"
    );

    press(&mut app, KeyAction::Wrap);
    let cut = screen(&mut app, 100, 30);
    assert!(!cut.contains("e455f0b9-8170"), "{cut}");
    for _ in 0..12 {
        press(&mut app, KeyAction::ScrollRight);
    }
    let scrolled = screen(&mut app, 100, 30);
    assert!(scrolled.contains("e455f0b9-8170"), "{scrolled}");
    assert!(!scrolled.contains("Warning  BackOff"), "{scrolled}");

    // Wrapped again, the last line is on screen at the bottom, however many
    // rows the lines above it take.
    press(&mut app, KeyAction::Wrap);
    press(&mut app, KeyAction::Bottom);
    let bottom = screen(&mut app, 60, 12);
    assert!(bottom.contains("1535a0c4bf)"), "{bottom}");
    assert!(
        bottom.contains("connection refused"),
        "the line above fits too:\n{bottom}"
    );
}

#[test]
fn a_long_error_takes_the_rows_it_needs_at_the_bottom() {
    let mut app = demo_app(&[]);
    app.run_command(
        kubesight::app::command::parse("shell pod/api-xc8k88h8p5-gr5qs -c nope").expect("parses"),
    );
    let text = screen(&mut app, 50, 20);
    let bottom: Vec<&str> = text.lines().rev().take(3).collect();
    let joined: String = bottom
        .iter()
        .rev()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        joined.contains(
            "Pod shop/api-xc8k88h8p5-gr5qs has no container \"nope\" (it has api, log-shipper (sidecar))"
        ),
        "{text}"
    );
    assert_eq!(text.lines().count(), 20, "the screen keeps its height");
}

#[test]
fn pod_detail_reads_the_full_pod_for_environments_and_mounts() {
    let mut live = common::LiveApp::new(&[]);
    live.press(KeyAction::Filter);
    live.type_text("api-xc8k88h8p5-gr5qs");
    live.update(Action::PromptSubmit);
    live.press(KeyAction::Select);
    let first = live.screen(140, 80);
    assert!(first.contains("(reading the pod…)"), "{first}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        live.try_finish_task(std::time::Duration::from_millis(100));
        let text = live.screen(140, 80);
        if text.contains("DB_PASSWORD: <set to the key 'password' in secret 'api-db'>") {
            assert!(text.contains("/var/log/api from logs (rw)"), "{text}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never read:\n{text}");
    }
}

#[test]
fn tab_completes_commands_and_kinds() {
    let mut app = demo_app(&[]);
    press(&mut app, KeyAction::Command);
    type_text(&mut app, "dep");
    app.update(Action::PromptComplete);
    let Mode::Command(prompt) = &app.mode else {
        panic!("still typing");
    };
    assert_eq!(prompt.input, "deploy", "as far as the names agree");
    app.update(Action::PromptComplete);
    let Mode::Command(prompt) = &app.mode else {
        panic!("still typing");
    };
    assert_eq!(prompt.error.as_deref(), Some("deploy deployments"));
    app.update(Action::PromptClear);
    type_text(&mut app, "horiz");
    app.update(Action::PromptComplete);
    let Mode::Command(prompt) = &app.mode else {
        panic!("still typing");
    };
    assert_eq!(prompt.input, "horizontalpodautoscalers");
}
