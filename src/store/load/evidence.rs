//! Reading evidence back: the compact facts scoring uses, the newest items for the dashboard,
//! every item with its content for exports, and notes.

use super::super::Store;
use super::{date, en};
use crate::domain::{Date, EvidenceFact};
use anyhow::Result;
use std::collections::BTreeMap;

/// Evidence facts per control and the number of evidence rows behind them.
pub(super) type Facts = (BTreeMap<crate::domain::ControlId, Vec<EvidenceFact>>, u64);

/// Evidence reduced to distinct (control, effective, expires, result) facts, read from the
/// trigger-maintained `evidence_facts` table (integer days): one ordered scan.
pub(super) fn load_evidence_facts(conn: &crate::store::db::Connection) -> Result<Facts> {
    const SQL: &str = "SELECT control_id, effective, expires, result, n FROM evidence_facts
             ORDER BY control_id, effective, expires, result";
    let mut acc = FactsAcc::default();
    if let Some(pg) = conn.pg() {
        // PostgreSQL: one row per control with its facts as arrays: a row costs the client far
        // more than an array element. The arrays are filled from the primary key's order (an
        // ORDER BY inside each aggregate would sort every group three times over); the three
        // arrays of a group always see the same rows in the same order, and the order itself is
        // checked here and restored if the server ever chose another plan.
        const PG_SQL: &str = "SELECT control_id, array_agg(effective), array_agg(expires),
               array_agg(result), SUM(n)::BIGINT
             FROM (SELECT * FROM evidence_facts ORDER BY control_id, effective, expires, result) f
             GROUP BY control_id ORDER BY control_id";
        pg.each_row(PG_SQL, |r| {
            let control: &str = r.try_get(0)?;
            let effective: Vec<i64> = r.try_get(1)?;
            let expires: Vec<i64> = r.try_get(2)?;
            let result: Vec<i64> = r.try_get(3)?;
            let mut facts: Vec<(i64, i64, i64)> = effective
                .into_iter()
                .zip(expires)
                .zip(result)
                .map(|((e, x), res)| (e, x, res))
                .collect();
            if !facts.is_sorted() {
                facts.sort_unstable();
            }
            for (e, x, res) in facts {
                acc.push(control, e, x, res, 0);
            }
            acc.add_rows(r.try_get(4)?);
            Ok(())
        })?;
    } else {
        let mut stmt = conn.prepare(SQL)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            acc.push(
                r.get_ref(0)?.as_str()?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
            );
        }
    }
    Ok(acc.finish())
}

/// Facts grouped per control as the ordered rows arrive.
#[derive(Default)]
struct FactsAcc {
    out: BTreeMap<crate::domain::ControlId, Vec<EvidenceFact>>,
    current: Option<(String, Vec<EvidenceFact>)>,
    total: u64,
}

impl FactsAcc {
    fn push(&mut self, control: &str, effective: i64, expires: i64, result: i64, n: i64) {
        const EPOCH_CE: i32 = 719_163; // days from 0001-01-01 to 1970-01-01
        #[allow(clippy::cast_possible_truncation)]
        let day = |n: i64| Date::from_num_days_from_ce_opt(n as i32 + EPOCH_CE);
        if self.current.as_ref().is_none_or(|(c, _)| c != control) {
            if let Some((c, v)) = self.current.take() {
                self.out.insert(c.into(), v);
            }
            self.current = Some((control.to_owned(), Vec::new()));
        }
        let fact = EvidenceFact {
            effective: day(effective).unwrap_or_default(),
            expires: if expires < 0 { None } else { day(expires) },
            result: match result {
                0 => crate::domain::EvidenceResult::Pass,
                1 => crate::domain::EvidenceResult::Fail,
                _ => crate::domain::EvidenceResult::Info,
            },
        };
        #[allow(clippy::cast_sign_loss)]
        {
            self.total += n as u64;
        }
        if let Some((_, v)) = self.current.as_mut() {
            v.push(fact);
        }
    }

    #[allow(clippy::cast_sign_loss)]
    fn add_rows(&mut self, n: i64) {
        self.total += n as u64;
    }

    fn finish(mut self) -> Facts {
        if let Some((c, v)) = self.current.take() {
            self.out.insert(c.into(), v);
        }
        (self.out, self.total)
    }
}

/// A note on any item.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Note {
    /// Row id.
    pub id: i64,
    /// Entity kind.
    pub entity: String,
    /// Entity id.
    pub entity_id: String,
    /// Text.
    pub text: String,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub author: String,
}

impl Store {
    /// Every note, oldest first.
    pub fn notes(&self) -> Result<Vec<Note>> {
        self.query_all(
            "SELECT id, entity, entity_id, text, at, author FROM notes ORDER BY id",
            |r| {
                Ok(Note {
                    id: r.get(0)?,
                    entity: r.get(1)?,
                    entity_id: r.get(2)?,
                    text: r.get(3)?,
                    at: r.get(4)?,
                    author: r.get(5)?,
                })
            },
        )
    }

    /// The newest `limit` evidence items, newest first.
    pub fn recent_evidence(&self, limit: usize) -> Result<Vec<crate::domain::Evidence>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, control_id, title, source, result, effective, collected, expires,
               content_digest, chain_hash FROM evidence ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok(crate::domain::Evidence {
                    seq: r.get(0)?,
                    control: r.get::<_, String>(1)?.into(),
                    title: r.get(2)?,
                    source: en(&r.get::<_, String>(3)?)?,
                    result: en(&r.get::<_, String>(4)?)?,
                    effective: date(Some(r.get(5)?))?.unwrap_or_default(),
                    collected: r.get(6)?,
                    expires: date(r.get(7)?)?,
                    content_digest: r.get(8)?,
                    chain_hash: r.get(9)?,
                })
            })?
            .collect::<crate::store::db::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// An evidence row with its content, for exports.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EvidenceRecord {
    /// Sequence number.
    pub seq: i64,
    /// Control.
    pub control: String,
    /// Title.
    pub title: String,
    /// Source.
    pub source: String,
    /// Result.
    pub result: String,
    /// Effective date.
    pub effective: String,
    /// Collected (RFC 3339).
    pub collected: String,
    /// Expiry.
    pub expires: Option<String>,
    /// Summary.
    pub summary: String,
    /// Content, when stored.
    pub content: Option<String>,
    /// SHA-256 of the content.
    pub content_digest: String,
    /// Attached file inside the workspace.
    pub file_ref: Option<String>,
    /// Chain hash.
    pub chain_hash: String,
    /// The re-import identity.
    pub natural_key: String,
    /// Kept until (retention).
    pub keep_until: String,
    /// When its content was purged, if it was.
    pub purged: Option<String>,
}

impl Store {
    /// Calls `f` with every evidence row, by control then sequence.
    pub fn each_evidence(&self, mut f: impl FnMut(EvidenceRecord) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, control_id, title, source, result, effective, collected, expires, summary,
               content, content_digest, file_ref, chain_hash, natural_key, COALESCE(keep_until, ''), purged
             FROM evidence ORDER BY control_id, seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(EvidenceRecord {
                seq: r.get(0)?,
                control: r.get(1)?,
                title: r.get(2)?,
                source: r.get(3)?,
                result: r.get(4)?,
                effective: r.get(5)?,
                collected: r.get(6)?,
                expires: r.get(7)?,
                summary: r.get(8)?,
                content: r.get(9)?,
                content_digest: r.get(10)?,
                file_ref: r.get(11)?,
                chain_hash: r.get(12)?,
                natural_key: r.get(13)?,
                keep_until: r.get(14)?,
                purged: r.get(15)?,
            })?;
        }
        Ok(())
    }
}
