//! The dashboard as drawn: snapshots of every tab at 80x24 and 160x48 on the demo pinned to
//! 2026-11-26, and per-cell colour checks of the status colours, the selection and NO_COLOR.

use certready::domain::Date;
use certready::tui::action::Action;
use certready::tui::app::{App, Msg};
use certready::tui::data::Data;
use certready::tui::snapshot;
use certready::tui::tab::Tab;
use certready::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

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

fn app(data: Data, tab: Tab, size: (u16, u16), theme: Theme) -> App {
    snapshot::app_with(data, tab, size, theme, "Lumen Health AI").unwrap()
}

/// Position of `needle` in the first row that contains `row_needle`.
fn find_in_row(buf: &Buffer, row_needle: &str, needle: &str) -> (u16, u16) {
    let (_, y) = find(buf, row_needle, 0).unwrap_or_else(|| panic!("no row with {row_needle}"));
    let text: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
    let start = text.find(row_needle).unwrap() + row_needle.len();
    let byte = start
        + text[start..]
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle} after {row_needle}"));
    (text[..byte].chars().count() as u16, y)
}

/// Position of the first occurrence of `needle` in the buffer at or after row `from`.
fn find(buf: &Buffer, needle: &str, from: u16) -> Option<(u16, u16)> {
    for y in from..buf.area.height {
        let line: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let text: String = line.concat();
        if let Some(byte) = text.find(needle) {
            let x = text[..byte].chars().count() as u16;
            return Some((x, y));
        }
    }
    None
}

#[test]
fn every_tab_at_two_sizes() {
    let (_t, data) = demo_data();
    for size in [(80, 24), (160, 48)] {
        for tab in Tab::ALL {
            let a = app(data.clone(), tab, size, Theme::named("default").unwrap());
            let text = snapshot::text(&snapshot::render(&a).unwrap());
            insta::assert_snapshot!(
                format!("{}_{}x{}", tab.title().to_lowercase(), size.0, size.1),
                text
            );
        }
    }
}

#[test]
fn the_sources_view_and_the_gateway_panel() {
    let (_t, data) = demo_data();
    let mut a = app(
        data,
        Tab::Evidence,
        (160, 24),
        Theme::named("default").unwrap(),
    );
    a.update(Msg::Action(Action::Sources), today());
    let text = snapshot::text(&snapshot::render(&a).unwrap());
    insta::assert_snapshot!("sources_160x24", text);
    assert!(
        text.contains("llm-gateway") && text.contains("pass"),
        "{text}"
    );
    a.update(Msg::Action(Action::Sources), today());
    let text = snapshot::text(&snapshot::render(&a).unwrap());
    assert!(
        text.contains("Chain"),
        "S switches back to the items: {text}"
    );
    let (_t, data) = demo_data();
    let a = app(
        data,
        Tab::Overview,
        (160, 48),
        Theme::named("default").unwrap(),
    );
    let buf = snapshot::render(&a).unwrap();
    // The demo workspace configures no gateway: its stored checks are not "UP" (issue 16).
    let (x, y) = find_in_row(&buf, "llm-gateway", "not configured");
    assert_eq!(buf[(x, y)].fg, Theme::named("default").unwrap().muted);
    let text = snapshot::text(&buf);
    assert!(
        text.contains("30d 99.90%"),
        "the demo's 50-minute outage: {text}"
    );
    assert!(text.contains("last 11-17 02:10 for 50 min"), "{text}");
}

#[test]
fn detail_help_and_forms_render() {
    let (_t, data) = demo_data();
    let mut a = app(
        data,
        Tab::Controls,
        (200, 60),
        Theme::named("default").unwrap(),
    );
    a.update(Msg::Action(Action::Open), today());
    let text = snapshot::text(&snapshot::render(&a).unwrap());
    assert!(
        text.contains("Satisfies") && text.contains("Evidence history"),
        "{text}"
    );
    a.update(Msg::Action(Action::EditStatus), today());
    let text = snapshot::text(&snapshot::render(&a).unwrap());
    assert!(
        text.contains("Status of GW-ACR-01") && text.contains("◂ implemented ▸"),
        "{text}"
    );
    a.update(Msg::Action(Action::Back), today());
    a.update(Msg::Action(Action::Help), today());
    let text = snapshot::text(&snapshot::render(&a).unwrap());
    assert!(
        text.contains("Undo the last edit") && text.contains("ctrl-c"),
        "{text}"
    );
}

#[test]
fn status_colours_follow_the_theme() {
    let (_t, data) = demo_data();
    let theme = Theme::named("default").unwrap();
    let a = app(data.clone(), Tab::Frameworks, (160, 48), theme.clone());
    let buf = snapshot::render(&a).unwrap();
    // CC1.3 is met and CC1.2 partial in the demo (see the frameworks snapshot).
    let (x, y) = find_in_row(&buf, "CC1.3 ", "met");
    assert_eq!(buf[(x, y)].fg, theme.met);
    assert_eq!(theme.met, Color::Green);
    let (x, y) = find_in_row(&buf, "CC1.2 ", "partial");
    assert_eq!(buf[(x, y)].fg, Color::Yellow);
    // The selected row (SOC 2's heading) is drawn in the selection colours.
    let (x, y) = find(&buf, "▾ SOC 2", 1).unwrap();
    assert_eq!(buf[(x, y)].bg, theme.selected_bg);

    let c = app(data.clone(), Tab::Controls, (160, 48), theme.clone());
    let buf = snapshot::render(&c).unwrap();
    let (x, y) = find(&buf, "not started", 3).expect("a not started control");
    assert_eq!(buf[(x, y)].fg, Color::Red);
    let (x, y) =
        find(&buf, "implemented, lapsed", 3).expect("an implemented control whose evidence lapsed");
    assert_eq!(buf[(x, y)].fg, Color::Yellow);

    // Colour-blind theme: met is blue, not green.
    let cb = Theme::named("colorblind").unwrap();
    let f = app(data.clone(), Tab::Frameworks, (160, 48), cb.clone());
    let buf = snapshot::render(&f).unwrap();
    let (x, y) = find_in_row(&buf, "CC1.3 ", "met");
    assert_eq!(buf[(x, y)].fg, Color::Rgb(0, 0x72, 0xb2));

    // NO_COLOR: no colours at all; gaps and the selection still stand out.
    let mono = Theme::load("default", None, true).unwrap();
    let m = app(data, Tab::Controls, (160, 48), mono);
    let buf = snapshot::render(&m).unwrap();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            assert_eq!(buf[(x, y)].fg, Color::Reset, "colour at {x},{y}");
            assert_eq!(buf[(x, y)].bg, Color::Reset, "background at {x},{y}");
        }
    }
    let (x, y) = find(&buf, "not started", 3).unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = find(&buf, "GW-ACR-01", 3).unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn the_layout_follows_resizes_from_small_to_very_wide() {
    let (_t, data) = demo_data();
    for (w, h) in [(80, 24), (100, 30), (200, 60), (320, 90)] {
        for tab in Tab::ALL {
            let mut a = app(
                data.clone(),
                tab,
                (120, 40),
                Theme::named("default").unwrap(),
            );
            a.update(Msg::Resize(w, h), today());
            a.update(Msg::Action(Action::Open), today());
            let buf = snapshot::render(&a).unwrap();
            assert_eq!((buf.area.width, buf.area.height), (w, h));
            let text = snapshot::text(&buf);
            assert!(text.contains(tab.title()), "{tab:?} at {w}x{h}");
        }
    }
}

#[test]
fn the_type2_ledger_renders_strips_and_exceptions() {
    let (_t, data) = demo_data();
    let mut a = app(
        data,
        Tab::Timeline,
        (160, 48),
        Theme::named("default").unwrap(),
    );
    a.update(Msg::Action(Action::Ledger), today());
    a.update(Msg::Action(Action::Open), today());
    let text = snapshot::text(&snapshot::render(&a).unwrap());
    insta::assert_snapshot!("timeline_ledger_160x48", text);
    assert!(
        text.contains("█") && text.contains("✗"),
        "strips show evidenced and missed periods"
    );
}

#[test]
fn the_tabletop_tab_in_large_type() {
    use certready::tabletop::exercise::{Exercise, Kind};
    use certready::tui::tabs::tabletop::Running;
    let (_t, data) = demo_data();
    let scenario = data
        .scenarios
        .iter()
        .find(|s| s.id == "gateway-outage")
        .unwrap()
        .clone();
    let mut a = app(
        data,
        Tab::Tabletop,
        (160, 48),
        Theme::named("default").unwrap(),
    );
    let picker = snapshot::text(&snapshot::render(&a).unwrap());
    assert!(
        picker.contains("gateway-outage") && picker.contains("Enter starts the exercise"),
        "{picker}"
    );
    let start = 1_800_000_000;
    let mut ex = Exercise::start("TT-20270115-1", "gateway-outage", "Dana Reyes", start);
    ex.log(
        Kind::Participants,
        "Dana Reyes, Sam Okafor, Priya Nair",
        start + 5,
    );
    ex.log(
        Kind::Decision,
        "fail over to the secondary provider",
        start + 200,
    );
    ex.log(
        Kind::Gap,
        "no runbook for a gateway-wide outage",
        start + 400,
    );
    ex.action(
        "write the outage runbook",
        "sam",
        "2027-02-01".parse().ok(),
        start + 450,
    );
    ex.next(&scenario, start + 600);
    a.update(
        Msg::ExerciseStarted(Box::new(Running {
            exercise: ex,
            scenario,
        })),
        today(),
    );
    a.update(Msg::Tick(start + 725), today());
    let text = snapshot::text(&snapshot::render(&a).unwrap());
    insta::assert_snapshot!("tabletop_running_160x48", text);
    assert!(text.contains("Inject 2/5") && text.contains("Questions for the room"));
    a.update(Msg::Resize(80, 24), today());
    let small = snapshot::text(&snapshot::render(&a).unwrap());
    assert!(small.contains("Inject 2/5"), "{small}");
}

#[test]
fn a_capped_evidence_list_says_it_holds_the_newest_items_only() {
    let (_t, mut data) = demo_data();
    let total = data.snapshot.evidence_rows;
    assert!(total > certready::tui::data::RECENT_EVIDENCE as u64);
    let a = app(
        data.clone(),
        Tab::Evidence,
        (80, 24),
        Theme::named("default").unwrap(),
    );
    let buf = snapshot::render(&a).unwrap();
    assert!(
        find(&buf, &format!("Evidence · 2000 newest of {total} "), 0).is_some(),
        "{}",
        snapshot::text(&buf)
    );
    // Everything loaded: the title is the plain count.
    data.snapshot.evidence_rows = data.recent_evidence.len() as u64;
    let a = app(
        data,
        Tab::Evidence,
        (80, 24),
        Theme::named("default").unwrap(),
    );
    let buf = snapshot::render(&a).unwrap();
    assert!(find(&buf, "Evidence · 2000 · sort", 0).is_some());
    assert!(find(&buf, "newest of", 0).is_none());
}
