//! Keys in form fields: terminal line editing in text and date fields, choices unchanged.

use super::{Outcome, Prompt, Target, choice, date, text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn form(value: &str) -> Prompt {
    Prompt::new(
        "Note",
        Target::Note("control".into(), "GW-AC-01".into()),
        vec![text("note", value, false), date("due", "2026-12-01", true)],
    )
}

fn press(p: &mut Prompt, code: KeyCode, m: KeyModifiers) -> Outcome {
    p.key(KeyEvent::new(code, m))
}

fn typed(p: &mut Prompt, s: &str) {
    for c in s.chars() {
        press(p, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;

#[test]
fn ctrl_u_clears_a_prefilled_value_instead_of_typing_u() {
    let mut p = form("rotate the provider keys");
    press(&mut p, KeyCode::Char('u'), CTRL);
    assert_eq!(p.fields[0].value, "");
    typed(&mut p, "new");
    assert_eq!(p.value("note"), "new");
}

#[test]
fn ctrl_w_deletes_the_word_before_the_cursor() {
    let mut p = form("rotate the provider keys");
    press(&mut p, KeyCode::Char('w'), CTRL);
    assert_eq!(p.fields[0].value, "rotate the provider ");
    press(&mut p, KeyCode::Char('w'), CTRL);
    assert_eq!(p.fields[0].value, "rotate the ");
}

#[test]
fn left_then_typing_inserts_in_the_middle() {
    let mut p = form("abef");
    press(&mut p, KeyCode::Left, NONE);
    press(&mut p, KeyCode::Left, NONE);
    typed(&mut p, "cd");
    assert_eq!(p.fields[0].value, "abcdef");
    assert_eq!(p.fields[0].cursor, 4);
    press(&mut p, KeyCode::Right, NONE);
    typed(&mut p, "!");
    assert_eq!(p.fields[0].value, "abcde!f");
}

#[test]
fn home_end_ctrl_a_e_delete_and_ctrl_k_edit_like_a_shell() {
    let mut p = form("middle");
    press(&mut p, KeyCode::Home, NONE);
    typed(&mut p, "[");
    press(&mut p, KeyCode::End, NONE);
    typed(&mut p, "]");
    assert_eq!(p.fields[0].value, "[middle]");
    press(&mut p, KeyCode::Char('a'), CTRL);
    press(&mut p, KeyCode::Delete, NONE);
    assert_eq!(p.fields[0].value, "middle]");
    press(&mut p, KeyCode::Char('e'), CTRL);
    press(&mut p, KeyCode::Backspace, NONE);
    assert_eq!(p.fields[0].value, "middle");
    press(&mut p, KeyCode::Char('a'), CTRL);
    press(&mut p, KeyCode::Right, NONE);
    press(&mut p, KeyCode::Char('k'), CTRL);
    assert_eq!(p.fields[0].value, "m");
}

#[test]
fn alt_b_and_alt_f_move_by_words() {
    let mut p = form("one two three");
    press(&mut p, KeyCode::Char('b'), ALT);
    typed(&mut p, "X");
    assert_eq!(p.fields[0].value, "one two Xthree");
    press(&mut p, KeyCode::Char('a'), CTRL);
    press(&mut p, KeyCode::Char('f'), ALT);
    let at = p.fields[0].cursor;
    assert!((3..=4).contains(&at), "after the first word: {at}");
    assert_eq!(p.fields[0].display(true).matches('▏').count(), 1);
}

#[test]
fn tab_moves_to_the_next_field_and_its_cursor_is_kept() {
    let mut p = form("x");
    press(&mut p, KeyCode::Tab, NONE);
    press(&mut p, KeyCode::Left, NONE);
    press(&mut p, KeyCode::Left, NONE);
    press(&mut p, KeyCode::Backspace, NONE);
    assert_eq!(p.value("due"), "2026-1201");
    assert_eq!(press(&mut p, KeyCode::Enter, NONE), Outcome::Editing);
    assert!(p.error.as_deref().is_some_and(|e| e.contains("YYYY-MM-DD")));
    typed(&mut p, "-");
    assert_eq!(press(&mut p, KeyCode::Enter, NONE), Outcome::Submit);
}

#[test]
fn choices_still_cycle_with_arrows_and_space_and_ignore_letters() {
    let mut p = Prompt::new(
        "Status",
        Target::Note("control".into(), "GW-AC-01".into()),
        vec![choice("status", &["a", "b", "c"], "a")],
    );
    press(&mut p, KeyCode::Left, NONE);
    assert_eq!(p.value("status"), "c");
    press(&mut p, KeyCode::Char(' '), NONE);
    press(&mut p, KeyCode::Right, NONE);
    assert_eq!(p.value("status"), "b");
    press(&mut p, KeyCode::Char('u'), CTRL);
    typed(&mut p, "zz");
    assert_eq!(p.value("status"), "b");
    assert!(p.hint().contains("choose"));
}
