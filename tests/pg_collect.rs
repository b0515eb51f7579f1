//! The collector role at work: `svc` (granted certready_collector) runs `poll --once` against
//! a loopback HTTP source that passes, fails (opening a monitoring finding) and recovers (a note
//! on it); its evidence lands, logged as `svc`, the config's retention is recorded, and a
//! control edit is refused with one line naming `svc` and its role.

mod common;
#[path = "common/servers.rs"]
mod servers;

use common::pgws::PgWs;
use std::sync::atomic::Ordering;

#[test]
fn the_collector_polls_and_its_evidence_lands_but_it_cannot_edit_a_control() {
    let ws = PgWs::new("collector");
    let pass = servers::flag(true);
    let port = servers::switch(pass.clone());
    let config = ws.dir.join("certready.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!(
            "evidence_retention_years = 9\n{text}
[[source]]
name = \"role-probe\"
kind = \"http\"
url = \"http://127.0.0.1:{port}/health\"
retries = 0
fail_after = 1
controls = [\"GW-AVAIL-01\"]
"
        ),
    )
    .unwrap();
    let evidence = ws.count("SELECT COUNT(*) FROM evidence");
    let poll = |ok: bool| {
        let out = ws.cmd("svc", &["poll", "--once"]);
        assert_eq!(
            out.status.success(),
            ok,
            "poll as svc: {}{}",
            String::from_utf8_lossy(&out.stdout),
            common::pgws::stderr(&out)
        );
    };
    poll(true);
    assert_eq!(ws.count("SELECT COUNT(*) FROM evidence"), evidence + 1);
    assert_eq!(
        ws.count(
            "SELECT COUNT(*) FROM meta WHERE key = 'evidence_retention_years' AND value = '9'"
        ),
        1,
        "the collector records the config's retention"
    );
    poll(true);
    pass.store(false, Ordering::SeqCst);
    poll(false);
    let finding = ws.count(
        "SELECT COUNT(*) FROM findings WHERE source = 'monitoring' AND status = 'open'
           AND title LIKE '%role-probe%'",
    );
    assert_eq!(finding, 1, "a failing source opens a monitoring finding");
    pass.store(true, Ordering::SeqCst);
    poll(true);
    assert_eq!(
        ws.count("SELECT COUNT(*) FROM notes WHERE text LIKE 'Source `role-probe` recovered%'"),
        1
    );
    assert!(ws.count("SELECT COUNT(*) FROM evidence") >= evidence + 2);
    assert!(ws.count("SELECT COUNT(*) FROM change_log WHERE who = 'svc'") >= 3);
    assert_eq!(
        ws.count("SELECT COUNT(*) FROM change_log WHERE who = 'svc' AND entity = 'control'"),
        0
    );
    // A control edit is the editor's.
    let model = ws.dir.join("status.yaml");
    std::fs::write(
        &model,
        "controls:\n  - id: GW-AVAIL-01\n    title: Gateway availability\n    owner: sre\n    status: not_started\n    cadence: continuous\n",
    )
    .unwrap();
    let status = ws.ok("svc", &["status", "--json", "--as-of", common::pgws::AS_OF]);
    let line = ws.refused("svc", &["import", model.to_str().unwrap()]);
    assert!(
        line.starts_with("certready: the database refused the change: user svc may not write ")
            && line.contains("certready_collector")
            && line.contains("does not allow it"),
        "{line}"
    );
    assert_eq!(
        ws.ok("svc", &["status", "--json", "--as-of", common::pgws::AS_OF]),
        status
    );
    // The collector writes the retention row of `meta`, no other.
    let e = common::pg::connect(&ws.url_as("svc"))
        .batch_execute("UPDATE meta SET value = 'Mallory Inc' WHERE key = 'organization'")
        .map(|()| ws.count("SELECT COUNT(*) FROM meta WHERE value = 'Mallory Inc'"));
    assert!(matches!(e, Ok(0) | Err(_)), "{e:?}");
}
