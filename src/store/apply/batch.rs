//! One `import` of several files, written in one transaction: catalogs first, then the
//! mappings carried across by mapping libraries, then the merged model files. The transaction
//! commits once at the end, is rolled back for a dry run, and is dropped (rolled back) on any
//! error, so a failing import leaves the database byte for byte as it was.

use super::{ApplyReport, apply_in};
use crate::domain::model_file::{IdKind, ModelFile};
use crate::domain::{Framework, Mapping};
use crate::store::Store;
use crate::store::catalogs::{add_mappings_in, install_catalogs_in};
use crate::store::db::OptionalExtension;
use anyhow::Result;

/// Everything one import writes, parsed and validated beforehand.
#[derive(Debug, Default)]
pub struct ImportBatch {
    /// Catalogs to install (OSCAL catalogs, CISO Assistant frameworks).
    pub frameworks: Vec<Framework>,
    /// Mappings derived from each mapping library, with the library's name as their origin.
    pub mappings: Vec<(String, Vec<Mapping>)>,
    /// The merged model files and their names (comma separated), if any.
    pub model: Option<(ModelFile, String)>,
}

/// What a batch did (or, in a dry run, would do).
#[derive(Debug, Default)]
pub struct BatchReport {
    /// Mappings added per mapping library, in the batch's order.
    pub mappings_added: Vec<usize>,
    /// The model files' report.
    pub model: Option<ApplyReport>,
}

impl Store {
    /// Applies a whole import in one transaction.
    pub fn apply_batch(
        &mut self,
        batch: &ImportBatch,
        now: &str,
        dry_run: bool,
    ) -> Result<BatchReport> {
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::db::TransactionBehavior::Immediate)?;
        let mut out = BatchReport::default();
        if !batch.frameworks.is_empty() {
            let org: Option<String> = tx
                .query_row(
                    "SELECT value FROM meta WHERE key = 'organization'",
                    [],
                    |r| r.get(0),
                )
                .optional()?;
            install_catalogs_in(&tx, &org.unwrap_or_default(), &batch.frameworks, now)?;
        }
        for (origin, mappings) in &batch.mappings {
            out.mappings_added
                .push(add_mappings_in(&tx, mappings, origin, now)?);
        }
        if let Some((model, origin)) = &batch.model {
            let mut report = apply_in(&tx, model, origin, now)?;
            report.dry_run = dry_run;
            out.model = Some(report);
        }
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(out)
    }

    /// Every user-given ID the workspace holds, by kind, for the case-insensitive uniqueness
    /// check of an import.
    pub fn id_spellings(&self) -> Result<Vec<(IdKind, String)>> {
        const TABLES: &[(IdKind, &str)] = &[
            (IdKind::Control, "SELECT id FROM controls"),
            (IdKind::Risk, "SELECT id FROM risks"),
            (IdKind::Finding, "SELECT id FROM findings"),
            (IdKind::Task, "SELECT id FROM tasks"),
            (IdKind::Audit, "SELECT id FROM audits"),
            (IdKind::Vendor, "SELECT id FROM vendors"),
            (
                IdKind::Evidence,
                "SELECT substr(natural_key, 4) FROM evidence WHERE natural_key LIKE 'id:%'",
            ),
        ];
        let mut out = Vec::new();
        for (kind, sql) in TABLES {
            let mut stmt = self.conn.prepare(sql)?;
            let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
            for id in ids {
                out.push((*kind, id?));
            }
        }
        Ok(out)
    }
}
