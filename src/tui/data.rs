//! The data the dashboard shows: a snapshot of the store and its assessment, computed off the
//! UI thread and handed over whole, so views never wait on I/O.

use crate::analysis::{self, Assessment};
use crate::domain::{Date, Evidence, Snapshot};
use crate::store::{Note, Store, VerifyReport};
use anyhow::Result;
use std::collections::HashMap;

/// How many of the newest evidence items the Evidence tab lists.
pub const RECENT_EVIDENCE: usize = 2000;

/// Everything a frame may draw.
#[derive(Debug, Clone)]
pub struct Data {
    /// The model.
    pub snapshot: Snapshot,
    /// Its assessment as of `as_of`.
    pub assessment: Assessment,
    /// Newest evidence first.
    pub recent_evidence: Vec<Evidence>,
    /// Notes by (entity, id).
    pub notes: HashMap<(String, String), Vec<Note>>,
    /// Result of the last chain verification, when one has run.
    pub chain: Option<VerifyReport>,
    /// Whether this is the built-in demo.
    pub demo: bool,
    /// The date scored.
    pub as_of: Date,
    /// The Overview's panels, computed once per load.
    pub overview: super::tabs::overview::Model,
    /// Tabletop scenarios (shipped and the workspace's own).
    pub scenarios: Vec<crate::tabletop::Scenario>,
    /// Exercises held or under way, newest first.
    pub exercises: Vec<crate::store::ExerciseRow>,
    /// Who facilitates a new exercise unless the start form says otherwise: the last
    /// exercise's facilitator, else the OS user.
    pub facilitator: String,
    /// Where after-action reports are written (`reports/` in the workspace).
    pub reports: Option<std::path::PathBuf>,
    /// The management-review pack for `as_of` (Markdown), against the last stored snapshot.
    pub review: String,
    /// The clause 9.3 inputs typed for the review of `as_of`: (key, text).
    pub review_inputs: Vec<(String, String)>,
    /// Sources and gateways as the collectors last wrote them.
    pub live: super::live::Live,
    /// The Timeline's what-if rescored (projections and schedule), kept while one is tried:
    /// computed when the what-if or the data changes, never per frame or per live batch.
    pub whatif: Option<analysis::whatif::Rescored>,
    /// What a what-if key press reads from `snapshot` and `assessment`, built at the first
    /// what-if after a load and dropped with this data on reload.
    pub whatif_cache: Option<analysis::whatif::Cache>,
    /// The presets a source can be added from (built-in and the workspace's `presets/`).
    pub presets: Vec<super::tabs::evidence::picker::Choice>,
}

fn dir_of(store: &Store) -> Option<std::path::PathBuf> {
    store.path().parent().map(std::path::Path::to_path_buf)
}

impl Data {
    /// Loads and assesses.
    pub fn load(store: &Store, as_of: Date, demo: bool) -> Result<Self> {
        let snapshot = store.snapshot()?;
        let assessment = analysis::assess(&snapshot, as_of);
        let mut notes: HashMap<(String, String), Vec<Note>> = HashMap::new();
        for n in store.notes()? {
            notes
                .entry((n.entity.clone(), n.entity_id.clone()))
                .or_default()
                .push(n);
        }
        let mut data = Self {
            recent_evidence: store.recent_evidence(RECENT_EVIDENCE)?,
            snapshot,
            assessment,
            notes,
            chain: None,
            demo,
            as_of,
            overview: super::tabs::overview::Model::default(),
            scenarios: Vec::new(),
            exercises: store.exercises()?,
            facilitator: String::new(),
            reports: None,
            review: String::new(),
            review_inputs: Vec::new(),
            live: super::live::Live::default(),
            whatif: None,
            whatif_cache: None,
            presets: Vec::new(),
        };
        data.live = super::live::Live::load(store, &data.snapshot.audits)?;
        data.live.configured = super::live::configured(store, demo);
        data.review_inputs = store.review_inputs(&as_of.to_string())?;
        data.live.presets = super::live::presets(store);
        data.review = crate::ops::review::pack_text(
            store,
            &data.snapshot,
            &data.assessment,
            dir_of(store).as_deref(),
        )?;
        let dir = store.path().parent().map(std::path::Path::to_path_buf);
        data.facilitator = data
            .exercises
            .iter()
            .map(|e| e.facilitator.trim())
            .find(|f| !f.is_empty())
            .map_or_else(crate::store::current_user, str::to_owned);
        data.reports = dir.as_ref().map(|d| d.join("reports"));
        data.presets = super::tabs::evidence::picker::load(dir.as_deref());
        data.scenarios = crate::tabletop::library(dir.as_deref(), Some(&store.known()?))?;
        data.overview = super::tabs::overview::Model::build(&data);
        Ok(data)
    }

    /// Notes on one item.
    pub fn notes_for(&self, entity: &str, id: &str) -> &[Note] {
        self.notes
            .get(&(entity.to_owned(), id.to_owned()))
            .map_or(&[], Vec::as_slice)
    }
}
