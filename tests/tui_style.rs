//! Keymap and themes are data: the embedded defaults parse, every action is bound and
//! described, user overrides replace a binding, and NO_COLOR turns colour off.

use certready::tui::action::Action;
use certready::tui::keymap::{self, Keymap, parse_key};
use certready::tui::theme::{THEMES, Theme, parse_color};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

const ALL_ACTIONS: &[Action] = &[
    Action::Quit,
    Action::Help,
    Action::Palette,
    Action::NextTab,
    Action::PrevTab,
    Action::TabOverview,
    Action::TabFrameworks,
    Action::TabControls,
    Action::TabRisks,
    Action::TabFindings,
    Action::TabTasks,
    Action::TabEvidence,
    Action::TabTimeline,
    Action::TabVendors,
    Action::TabTabletop,
    Action::TabReview,
    Action::ReviewDecision,
    Action::ReviewAction,
    Action::TtNote,
    Action::TtDecision,
    Action::TtGap,
    Action::TtAction,
    Action::TtParticipants,
    Action::TtPause,
    Action::TtNext,
    Action::TtBack,
    Action::TtEnd,
    Action::Zoom,
    Action::PanLeft,
    Action::PanRight,
    Action::Ledger,
    Action::Later,
    Action::Earlier,
    Action::Longer,
    Action::Shorter,
    Action::SaveWhatIf,
    Action::Down,
    Action::Up,
    Action::PageDown,
    Action::PageUp,
    Action::Top,
    Action::Bottom,
    Action::Filter,
    Action::Sort,
    Action::Open,
    Action::Back,
    Action::GapsOnly,
    Action::EditStatus,
    Action::EditOwner,
    Action::EditDue,
    Action::AddNote,
    Action::AddEvidence,
    Action::Undo,
    Action::Reload,
];

#[test]
fn the_default_keymap_parses_and_binds_every_action_with_a_description() {
    let k = Keymap::parse(keymap::DEFAULT).unwrap();
    for a in ALL_ACTIONS {
        let b = k
            .bindings
            .iter()
            .find(|b| b.action == *a)
            .unwrap_or_else(|| panic!("{a:?} is not bound"));
        assert!(!b.description.is_empty() && !b.keys.is_empty(), "{a:?}");
    }
    // No key is bound twice.
    let mut seen = std::collections::HashSet::new();
    for b in &k.bindings {
        for key in &b.keys {
            assert!(
                seen.insert((b.context.clone(), key.clone())),
                "{key} bound twice"
            );
        }
    }
    let press = |c: KeyCode, m: KeyModifiers| k.action(&KeyEvent::new(c, m));
    assert_eq!(
        press(KeyCode::Char('q'), KeyModifiers::NONE),
        Some(Action::Quit)
    );
    assert_eq!(
        press(KeyCode::Char('c'), KeyModifiers::CONTROL),
        Some(Action::Quit)
    );
    assert_eq!(
        press(KeyCode::Char('G'), KeyModifiers::SHIFT),
        Some(Action::Bottom)
    );
    assert_eq!(
        press(KeyCode::BackTab, KeyModifiers::SHIFT),
        Some(Action::PrevTab)
    );
    assert_eq!(press(KeyCode::Char('y'), KeyModifiers::NONE), None);
}

#[test]
fn a_user_keymap_replaces_the_binding_of_its_action() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("keymap.toml");
    std::fs::write(
        &p,
        "[[bind]]\naction = \"quit\"\nkeys = [\"Q\"]\ndescription = \"Leave\"\n",
    )
    .unwrap();
    let k = Keymap::load(Some(&p)).unwrap();
    assert_eq!(
        k.action(&KeyEvent::new(KeyCode::Char('Q'), KeyModifiers::SHIFT)),
        Some(Action::Quit)
    );
    assert_eq!(
        k.action(&KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
        None
    );
    std::fs::write(
        &p,
        "[[bind]]\naction = \"fly\"\nkeys = [\"f\"]\ndescription = \"x\"\n",
    )
    .unwrap();
    assert!(Keymap::load(Some(&p)).is_err());
    assert!(parse_key("hyper-x").is_err());
}

#[test]
fn every_shipped_theme_parses_and_no_color_turns_colour_off() {
    for (name, _) in THEMES {
        let t = Theme::named(name).unwrap();
        assert_eq!(t.name, *name);
        assert!(t.color);
        assert_ne!(t.met, t.gap, "{name}: met and gap must differ");
    }
    let cb = Theme::named("colorblind").unwrap();
    assert!(matches!(cb.met, Color::Rgb(..)));
    assert_ne!(
        cb.met,
        Color::Green,
        "colour-blind theme avoids red against green"
    );
    let mono = Theme::load("default", None, true).unwrap();
    assert!(!mono.color);
    assert_eq!(mono.met, Color::Reset);
    assert_eq!(mono.gap, Color::Reset);
    assert_eq!(parse_color("#0072b2").unwrap(), Color::Rgb(0, 0x72, 0xb2));
    assert!(parse_color("chartreuse").is_err());
}
