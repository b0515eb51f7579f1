//! Gateway health as runs: consecutive checks of one state within one hour share a row
//! (first and last check, count, latency sum and maximum). A batch keeps each gateway's open
//! run in memory and writes it once.

use crate::domain::Observation;
use crate::store::db::{OptionalExtension, Transaction, params};
use anyhow::Result;
use std::collections::HashMap;

struct Open {
    state: &'static str,
    first_at: i64,
    last_at: i64,
    n: i64,
    latency_sum: i64,
    latency_max: i64,
    version: Option<String>,
}

/// The open runs of a batch, by gateway.
#[derive(Default)]
pub(crate) struct Runs {
    open: HashMap<String, Option<Open>>,
}

fn load(tx: &Transaction<'_>, gateway: &str) -> Result<Option<Open>> {
    Ok(tx
        .prepare_cached(
            "SELECT state, first_at, last_at, n, latency_sum, latency_max, version
             FROM gateway_runs WHERE gateway = ?1 ORDER BY first_at DESC LIMIT 1",
        )?
        .query_row([gateway], |r| {
            let state: String = r.get(0)?;
            Ok(Open {
                state: crate::domain::GatewayState::parse(&state)
                    .unwrap_or(crate::domain::GatewayState::Down)
                    .as_str(),
                first_at: r.get(1)?,
                last_at: r.get(2)?,
                n: r.get(3)?,
                latency_sum: r.get(4)?,
                latency_max: r.get(5)?,
                version: r.get(6)?,
            })
        })
        .optional()?)
}

fn write(tx: &Transaction<'_>, gateway: &str, r: &Open) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO gateway_runs (gateway, state, first_at, last_at, n, latency_sum, latency_max,
           version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (gateway, first_at) DO UPDATE SET state = excluded.state,
           last_at = excluded.last_at, n = excluded.n, latency_sum = excluded.latency_sum,
           latency_max = excluded.latency_max, version = excluded.version",
    )?
    .execute(params![
        gateway,
        r.state,
        r.first_at,
        r.last_at,
        r.n,
        r.latency_sum,
        r.latency_max,
        r.version
    ])?;
    Ok(())
}

impl Runs {
    /// Adds a gateway observation (others are ignored).
    pub(crate) fn add(&mut self, tx: &Transaction<'_>, o: &Observation) -> Result<()> {
        let Some(g) = &o.gateway else { return Ok(()) };
        if !self.open.contains_key(&o.source) {
            self.open.insert(o.source.clone(), load(tx, &o.source)?);
        }
        let slot = self.open.get_mut(&o.source).expect("inserted above");
        let stale = (3 * o.interval_s as i64).max(60);
        let lat = o.latency_ms as i64;
        if let Some(r) = slot.as_mut()
            && r.state == g.state.as_str()
            && r.first_at / 3600 == o.at / 3600
            && o.at >= r.last_at
            && o.at - r.last_at <= stale
        {
            r.last_at = o.at;
            r.n += 1;
            r.latency_sum += lat;
            r.latency_max = r.latency_max.max(lat);
            if g.version.is_some() {
                r.version.clone_from(&g.version);
            }
            return Ok(());
        }
        if let Some(old) = slot.take() {
            write(tx, &o.source, &old)?;
        }
        *slot = Some(Open {
            state: g.state.as_str(),
            first_at: o.at,
            last_at: o.at,
            n: 1,
            latency_sum: lat,
            latency_max: lat,
            version: g.version.clone(),
        });
        Ok(())
    }

    /// Writes every open run.
    pub(crate) fn flush(&mut self, tx: &Transaction<'_>) -> Result<()> {
        for (gateway, r) in self.open.drain() {
            if let Some(r) = r {
                write(tx, &gateway, &r)?;
            }
        }
        Ok(())
    }
}
