//! The after-action report keeps what people typed, and only as text: a table cell holding
//! `---` survives in both outputs, and raw HTML never reaches either.

use super::{Outcome, html, markdown};
use crate::tabletop::exercise::{Exercise, Kind};
use crate::tabletop::{Scenario, library};

fn scenario() -> Scenario {
    library(None, None)
        .expect("the shipped scenarios parse")
        .into_iter()
        .next()
        .expect("at least one shipped scenario")
}

fn exercise(s: &Scenario) -> Exercise {
    let mut ex = Exercise::start("TT-1", &s.id, "Dana", 1_800_000_000);
    ex.log(
        Kind::Note,
        "<script>alert(1)</script> & \"quoted\"",
        1_800_000_010,
    );
    ex.action(
        "split --- merge the runbooks",
        "ops---team",
        None,
        1_800_000_020,
    );
    ex.log(
        Kind::Decision,
        "use `kill-switch` [now](javascript:alert(1))",
        1_800_000_030,
    );
    ex.end(1_800_000_040);
    ex
}

fn outcome() -> Outcome {
    Outcome {
        findings: Vec::new(),
        tasks: vec!["T-TT-1-A1".to_owned()],
    }
}

#[test]
fn an_action_with_dashes_in_a_cell_survives_in_both_outputs() {
    let s = scenario();
    let ex = exercise(&s);
    let md = markdown(&ex, &s, &outcome());
    assert!(
        md.contains("| T-TT-1-A1 | split --- merge the runbooks | ops---team | - |"),
        "{md}"
    );
    let page = html(&ex, &s, &outcome()).unwrap();
    assert!(
        page.contains(
            "<tr><td>T-TT-1-A1</td><td>split --- merge the runbooks</td><td>ops---team</td><td>-</td></tr>"
        ),
        "{page}"
    );
}

#[test]
fn raw_html_in_notes_is_escaped_once_and_links_stay_inert() {
    let s = scenario();
    let ex = exercise(&s);
    let page = html(&ex, &s, &outcome()).unwrap();
    assert!(!page.contains("<script") && !page.contains("<a "), "{page}");
    assert!(
        page.contains(
            "<li>00:10 Note: &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quoted\"</li>"
        ),
        "{page}"
    );
    // The text is shown as typed, backticks included; no link is made of it.
    assert!(
        page.contains("Decision: use `kill-switch` [now](javascript:alert(1))"),
        "{page}"
    );
    let md = markdown(&ex, &s, &outcome());
    assert!(
        md.contains("Note: &lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
        "{md}"
    );
    assert!(
        !md.contains("javascript:") && !md.contains("](") && !md.contains("<script"),
        "{md}"
    );
}
