//! Scrolling everywhere, on the demo pinned to 2026-11-26: the help overlay (keys, filter,
//! wheel, closing), the detail pane at 80x24, the running exercise's inject, the Review pack as
//! rendered Markdown, the tab bar's real keys, the first screen's hints and the notice on a
//! terminal too small.

use certready::domain::Date;
use certready::tui::action::Action;
use certready::tui::app::{App, Mode, Msg};
use certready::tui::data::Data;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

fn today() -> Date {
    "2026-11-26".parse().unwrap()
}

fn demo_data() -> (tempfile::TempDir, Data) {
    let t = tempfile::tempdir().unwrap();
    let store = certready::demo::build(t.path(), today(), "2026-11-26T09:00:00Z").unwrap();
    let mut data = Data::load(&store, today(), true).unwrap();
    data.chain = Some(store.verify().unwrap());
    (t, data)
}

fn app(data: Data, tab: Tab, size: (u16, u16)) -> App {
    snapshot::app_with(
        data,
        tab,
        size,
        Theme::named("default").unwrap(),
        "Lumen Health AI",
    )
    .unwrap()
}

fn screen(a: &App) -> String {
    snapshot::text(&snapshot::render(a).unwrap())
}

fn key(a: &mut App, code: KeyCode) {
    a.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)), today());
}

fn keys(a: &mut App, s: &str) {
    for c in s.chars() {
        key(a, KeyCode::Char(c));
    }
}

fn select(a: &mut App, id: &str) {
    let i = a.rows.iter().position(|r| r.id == id).unwrap();
    a.update(Msg::Action(Action::Top), today());
    for _ in 0..i {
        a.update(Msg::Action(Action::Down), today());
    }
    assert_eq!(a.selected_row().unwrap().id, id);
}

#[test]
fn help_overlay_scrolls_at_two_sizes() {
    let (_t, data) = demo_data();
    for size in [(80, 24), (160, 48)] {
        let mut a = app(data.clone(), Tab::Controls, size);
        keys(&mut a, "?");
        let top = screen(&a);
        assert!(top.contains(" keys ") && top.contains("1-"), "{top}");
        insta::assert_snapshot!(format!("help_{}x{}", size.0, size.1), top);
        keys(&mut a, "G");
        assert_eq!(a.mode, Mode::Help, "G scrolls help, it does not close it");
        let bottom = screen(&a);
        assert!(bottom.contains("Review: record an action"), "{bottom}");
        insta::assert_snapshot!(format!("help_{}x{}_end", size.0, size.1), bottom);
    }
}

#[test]
fn help_lines_wrap_at_words_and_nothing_is_cut() {
    let (_t, data) = demo_data();
    let mut a = app(data, Tab::Overview, (80, 24));
    keys(&mut a, "?/attestations");
    key(&mut a, KeyCode::Enter);
    let text = screen(&a);
    // The Vendors binding's description is longer than the overlay: it wraps, whole words.
    assert!(
        text.contains("Go to Vendors (business associates,"),
        "{text}"
    );
    assert!(text.contains("attestations)"), "{text}");
    assert!(text.contains("filter: attestations"), "{text}");
}

#[test]
fn a_key_sequence_scrolls_help_filters_it_and_esc_closes_it() {
    let (_t, data) = demo_data();
    let mut a = app(data, Tab::Controls, (80, 24));
    keys(&mut a, "?");
    assert_eq!(a.mode, Mode::Help);
    let first = screen(&a);
    keys(&mut a, "jjj");
    assert_eq!(a.help.offset, 3);
    let moved = screen(&a);
    assert_ne!(first, moved);
    assert!(moved.contains("4-"), "the position follows: {moved}");
    keys(&mut a, "k");
    assert_eq!(a.help.offset, 2);
    key(&mut a, KeyCode::PageDown);
    assert!(a.help.offset > 10, "{}", a.help.offset);
    keys(&mut a, "g");
    assert_eq!(a.help.offset, 0);
    // The wheel scrolls it too.
    a.update(
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 40,
            row: 12,
            modifiers: KeyModifiers::NONE,
        }),
        today(),
    );
    assert_eq!(a.help.offset, 3);
    // Scrolling stops at the last line: G then j stays put.
    keys(&mut a, "G");
    let end = a.help.offset;
    keys(&mut a, "j");
    assert_eq!(a.help.offset, end);
    // `/` filters as you type; j is then text, not a scroll.
    keys(&mut a, "/ledger");
    assert!(a.help.typing);
    assert_eq!(a.help.query, "ledger");
    let filtered = screen(&a);
    assert!(filtered.contains("Type II ledger"), "{filtered}");
    assert!(!filtered.contains("Undo the last edit"), "{filtered}");
    key(&mut a, KeyCode::Enter);
    assert!(!a.help.typing);
    assert_eq!(a.mode, Mode::Help);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.mode, Mode::Normal, "Esc closes help");
    assert_eq!(a.tab, Tab::Controls);
    // `?` and `q` close it as well (q does not quit from help).
    keys(&mut a, "??");
    assert_eq!(a.mode, Mode::Normal);
    keys(&mut a, "?q");
    assert_eq!(a.mode, Mode::Normal);
    assert!(!a.quit);
}

#[test]
fn the_detail_pane_scrolls_at_80x24() {
    let (_t, data) = demo_data();
    let mut a = app(data, Tab::Controls, (80, 24));
    select(&mut a, "GW-ASSET-01");
    a.update(Msg::Action(Action::Open), today());
    let top = screen(&a);
    assert!(top.contains("1-") && top.contains("J/K"), "{top}");
    let selected = a.list().selected;
    for _ in 0..8 {
        keys(&mut a, "J");
    }
    assert_eq!(a.pane, 8);
    assert_eq!(
        a.list().selected,
        selected,
        "J scrolls the pane, not the list"
    );
    a.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
        today(),
    );
    assert!(a.pane > 8);
    let scrolled = screen(&a);
    assert!(!scrolled.contains("GW-ASSET-01 Inventory"), "{scrolled}");
    insta::assert_snapshot!("detail_scrolled_80x24", scrolled);
    // The bottom is reachable and the end is the end.
    for _ in 0..100 {
        keys(&mut a, "J");
    }
    let end = a.pane;
    let bottom = screen(&a);
    assert!(bottom.contains(" of "), "{bottom}");
    keys(&mut a, "K");
    assert_eq!(a.pane, end - 1);
    // Moving the selection starts the next item's detail at its top.
    keys(&mut a, "j");
    assert_eq!(a.pane, 0);
}

#[test]
fn the_review_pack_is_rendered_markdown_that_scrolls() {
    let (_t, data) = demo_data();
    let mut a = app(data, Tab::Review, (80, 24));
    let text = screen(&a);
    assert!(!text.contains("| ---") && !text.contains("## "), "{text}");
    assert!(
        text.contains("Management review: Lumen Health AI"),
        "{text}"
    );
    assert!(text.contains("1-"), "position shown: {text}");
    keys(&mut a, "G");
    let end = screen(&a);
    assert!(a.pane > 20, "{}", a.pane);
    assert!(!end.contains("| "), "{end}");
    // Table rows come out as aligned columns with a rule under the header.
    keys(&mut a, "g");
    for _ in 0..8 {
        keys(&mut a, "J");
    }
    let table = screen(&a);
    assert!(
        table.contains("Framework") && table.contains("──"),
        "{table}"
    );
    insta::assert_snapshot!("review_scrolled_80x24", table);
}

#[test]
fn tab_bar_shows_the_real_keys_and_names_at_every_width() {
    let (_t, data) = demo_data();
    let wide = screen(&app(data.clone(), Tab::Overview, (160, 48)));
    let bar = wide.lines().next().unwrap();
    assert!(
        bar.contains("0 Tabletop") && bar.contains("R Review"),
        "{bar}"
    );
    assert!(!bar.contains("10 ") && !bar.contains("11 "), "{bar}");
    let narrow = screen(&app(data, Tab::Controls, (80, 24)));
    let bar = narrow.lines().next().unwrap();
    assert!(
        bar.contains("3 Controls") && bar.contains("1 Ove") && bar.contains("R Rev"),
        "{bar}"
    );
    assert!(!bar.contains(" 2 3 "), "no bare keys: {bar}");
}

#[test]
fn first_screen_hints_and_a_terminal_too_small() {
    let (_t, data) = demo_data();
    let mut a = app(data, Tab::Overview, (80, 24));
    let first = screen(&a);
    let status = first.lines().last().unwrap();
    assert!(
        status.contains("? help") && status.contains("q quit"),
        "{status}"
    );
    assert!(status.chars().count() <= 80);
    a.message = None;
    let plain = screen(&a);
    let status = plain.lines().last().unwrap();
    assert!(
        status.contains(": commands") && status.ends_with("q quit"),
        "{status}"
    );
    a.update(Msg::Resize(40, 12), today());
    let small = screen(&a);
    assert!(small.contains("terminal too small"), "{small}");
    assert!(small.contains("need 74x18"), "{small}");
    assert!(!small.contains("Readiness"), "{small}");
}

#[test]
fn the_running_inject_scrolls_to_the_questions_at_80x24() {
    use certready::tabletop::exercise::Exercise;
    use certready::tui::tabs::tabletop::Running;
    let (_t, data) = demo_data();
    let scenario = data
        .scenarios
        .iter()
        .find(|s| s.id == "gateway-outage")
        .unwrap()
        .clone();
    let mut a = app(data, Tab::Tabletop, (80, 24));
    let start = 1_800_000_000;
    let ex = Exercise::start("TT-20270115-1", "gateway-outage", "Dana Reyes", start);
    a.update(
        Msg::ExerciseStarted(Box::new(Running {
            exercise: ex,
            scenario,
        })),
        today(),
    );
    a.update(Msg::Tick(start + 5), today());
    let top = screen(&a);
    assert!(!top.contains("Questions for the room"), "{top}");
    assert!(top.contains("J/K"), "{top}");
    // j scrolls the inject (there is no list while an exercise runs), as does J.
    keys(&mut a, "G");
    let end = screen(&a);
    assert!(end.contains("Questions for the room"), "{end}");
    assert!(end.contains(" of "), "{end}");
}
