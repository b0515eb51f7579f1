//! Source standing and monitoring findings within a batch: failures in a row per source (a
//! tabletop drill's checks count none), one `monitoring` finding when they reach
//! `fail_after`, a note (never a deletion) on recovery, and one `source_state` row per source
//! written at the end of the batch.

use super::{Batch, slug, time};
use crate::domain::Observation;
use crate::store::db::{OptionalExtension, params};
use anyhow::Result;
use chrono::{DateTime, Utc};

/// One source's standing, as this batch leaves it.
pub(super) struct SourceAcc {
    streak: i64,
    finding: Option<String>,
    finding_open: bool,
    checks: i64,
    failures: i64,
    last: Option<Observation>,
}

impl Batch<'_, '_> {
    fn source(&mut self, name: &str) -> Result<&mut SourceAcc> {
        if !self.sources.contains_key(name) {
            let prior: Option<(i64, Option<String>)> = self
                .tx
                .prepare_cached(
                    "SELECT consecutive_failures, finding_id FROM source_state WHERE name = ?1",
                )?
                .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (streak, finding) = prior.unwrap_or((0, None));
            let finding_open = match &finding {
                Some(id) => self
                    .tx
                    .query_row("SELECT status FROM findings WHERE id = ?1", [id], |r| {
                        r.get::<_, String>(0)
                    })
                    .optional()?
                    .is_some_and(|s| s != "closed"),
                None => false,
            };
            self.sources.insert(
                name.to_owned(),
                SourceAcc {
                    streak,
                    finding,
                    finding_open,
                    checks: 0,
                    failures: 0,
                    last: None,
                },
            );
        }
        Ok(self.sources.get_mut(name).expect("inserted above"))
    }

    pub(super) fn state(&mut self, o: &Observation) -> Result<()> {
        let acc = self.source(&o.source)?;
        let prior_streak = acc.streak;
        // A drill's failures are the exercise's, not the source's: they neither count
        // towards nor open a monitoring finding.
        let drill = o.kind == crate::domain::EXERCISE_KIND;
        acc.streak = if o.ok || drill { 0 } else { prior_streak + 1 };
        acc.checks += 1;
        acc.failures += i64::from(!o.ok);
        acc.last = Some(o.clone());
        let (streak, open, finding) = (acc.streak, acc.finding_open, acc.finding.clone());
        let now = time(o.at);
        if !o.ok && streak >= i64::from(o.fail_after) && !open {
            let id = self.open_finding(o, streak, now)?;
            let acc = self.source(&o.source)?;
            acc.finding = Some(id);
            acc.finding_open = true;
        } else if o.ok && open && prior_streak > 0 {
            let id = finding.unwrap_or_default();
            let text = format!(
                "Source `{}` recovered at {} after {} consecutive failure(s): {}",
                o.source,
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                prior_streak,
                o.summary
            );
            self.tx.execute(
                "INSERT INTO notes (entity, entity_id, text, at, author) VALUES ('finding', ?1, ?2, ?3, 'certready')",
                params![id, text, now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)],
            )?;
            self.log
                .record(self.tx, "note", "finding", &id, None, Some(&text))?;
            self.out.recovered.push(id);
        }
        Ok(())
    }

    pub(super) fn flush_sources(&mut self) -> Result<()> {
        for (name, acc) in std::mem::take(&mut self.sources) {
            let Some(o) = acc.last else { continue };
            self.tx
                .prepare_cached(
                    "INSERT INTO source_state (name, kind, controls, last_at, last_ok, last_summary,
                       latency_ms, interval_s, consecutive_failures, checks, failures, finding_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                     ON CONFLICT (name) DO UPDATE SET kind = excluded.kind,
                       controls = excluded.controls, last_at = excluded.last_at,
                       last_ok = excluded.last_ok, last_summary = excluded.last_summary,
                       latency_ms = excluded.latency_ms, interval_s = excluded.interval_s,
                       consecutive_failures = excluded.consecutive_failures,
                       checks = source_state.checks + excluded.checks,
                       failures = source_state.failures + excluded.failures,
                       finding_id = excluded.finding_id",
                )?
                .execute(params![
                    name,
                    o.kind,
                    serde_json::to_string(&o.controls)?,
                    o.at,
                    o.ok,
                    o.summary,
                    o.latency_ms as i64,
                    o.interval_s as i64,
                    acc.streak,
                    acc.checks,
                    acc.failures,
                    acc.finding
                ])?;
        }
        Ok(())
    }

    fn open_finding(&mut self, o: &Observation, streak: i64, now: DateTime<Utc>) -> Result<String> {
        let base = format!("MON-{}", slug(&o.source));
        let mut id = base.clone();
        let mut n = 1;
        while self
            .tx
            .query_row("SELECT 1 FROM findings WHERE id = ?1", [&id], |_| Ok(()))
            .optional()?
            .is_some()
        {
            n += 1;
            id = format!("{base}-{n}");
        }
        let control = o.controls.iter().find(|c| self.controls.contains(*c));
        let severity = if o.kind == "gateway" {
            "high"
        } else {
            "medium"
        };
        let title = format!("Evidence source `{}` failing", o.source);
        let description = format!(
            "{streak} consecutive failed checks since monitoring began failing; last: {}",
            o.summary
        );
        let today = now.date_naive();
        self.tx.execute(
            "INSERT INTO findings (id, title, description, source, severity, status, control_id, opened, due)
             VALUES (?1, ?2, ?3, 'monitoring', ?4, 'open', ?5, ?6, ?7)",
            params![
                id,
                title,
                description,
                severity,
                control,
                today.to_string(),
                (today + chrono::Days::new(14)).to_string()
            ],
        )?;
        let after = serde_json::json!({"title": title, "source": "monitoring", "severity": severity, "control": control}).to_string();
        self.log
            .record(self.tx, "insert", "finding", &id, None, Some(&after))?;
        self.out.opened.push(id.clone());
        Ok(id)
    }
}
