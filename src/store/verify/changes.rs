//! The change-log pass of `verify`: recomputes the chain and collects what the log says about
//! evidence rows changed after they were written: the last state of every extended run, the
//! rows each purge cleared, and the evidence chain head the latest write left.

use super::super::chain;
use super::super::collected::EXTEND_ACTION;
use super::super::merkle::Hash;
use crate::store::db::Connection;
use anyhow::Result;
/// Maps read once per evidence row: a fast hasher (the keys are the database's own).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// What the change log holds.
pub(crate) struct ChangePass {
    pub hashes: Vec<Hash>,
    pub first_break: Option<String>,
    /// seq → (run_count, run_last) as last recorded.
    pub runs: HashMap<i64, (i64, String)>,
    /// seq → the purge's as-of date.
    pub purges: HashMap<i64, String>,
    /// As-of dates of purges recorded before purges listed their rows.
    pub legacy_purges: std::collections::HashSet<String>,
    /// The evidence chain head recorded by the latest write that appended or removed evidence,
    /// with that entry's sequence number.
    pub head: Option<(i64, String)>,
}

pub(crate) fn check(conn: &Connection) -> Result<ChangePass> {
    let mut out = ChangePass {
        hashes: Vec::new(),
        first_break: None,
        runs: HashMap::default(),
        purges: HashMap::default(),
        legacy_purges: std::collections::HashSet::new(),
        head: None,
    };
    let mut stmt = conn.prepare(
        "SELECT seq, at, who, action, entity, entity_id, before, after, chain_hash
         FROM change_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = chain::GENESIS.to_owned();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored: String = r.get(8)?;
        out.hashes.push(chain::leaf(stored.as_bytes()));
        if out.first_break.is_some() {
            continue;
        }
        let before: Option<String> = r.get(6)?;
        let after: Option<String> = r.get(7)?;
        let action = r.get_ref(3)?.as_str()?;
        let entity = r.get_ref(4)?.as_str()?;
        let expect = chain::link(
            &prev,
            &[
                &seq.to_string(),
                r.get_ref(1)?.as_str()?,
                r.get_ref(2)?.as_str()?,
                action,
                entity,
                r.get_ref(5)?.as_str()?,
                before.as_deref().unwrap_or(""),
                after.as_deref().unwrap_or(""),
            ],
        );
        if expect != stored {
            out.first_break = Some(format!("change_log seq {seq}: chain hash does not match"));
            continue;
        }
        prev = stored;
        if entity == "evidence" || entity == "exercises" {
            note(&mut out, seq, action, before.as_deref(), after.as_deref());
        }
    }
    Ok(out)
}

/// Reads what one evidence-related entry says.
fn note(out: &mut ChangePass, seq: i64, action: &str, before: Option<&str>, after: Option<&str>) {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    let (before, after) = (parse(before), parse(after));
    let head = [&after, &before].into_iter().flatten().find_map(|v| {
        v.get("chain_head")
            .and_then(|h| h.as_str())
            .map(str::to_owned)
    });
    if let Some(h) = head {
        out.head = Some((seq, h));
    }
    let Some(after) = after else { return };
    if action == EXTEND_ACTION {
        for run in after["runs"].as_array().into_iter().flatten() {
            if let (Some(s), Some(n), Some(last)) =
                (run[0].as_i64(), run[1].as_i64(), run[2].as_str())
            {
                out.runs.insert(s, (n, last.to_owned()));
            }
        }
    } else if action == "purge" {
        let as_of = after["as_of"].as_str().unwrap_or_default().to_owned();
        if after.get("seqs").is_none() {
            out.legacy_purges.insert(as_of.clone());
        }
        for s in after["seqs"].as_array().into_iter().flatten() {
            if let Some(s) = s.as_i64() {
                out.purges.insert(s, as_of.clone());
            }
        }
    }
}
