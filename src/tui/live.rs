//! What the collectors keep changing while the dashboard is open: the sources' last results,
//! the gateway panels and the newest evidence. Loaded by the store thread after each batch it
//! writes (a few small queries), so a 15-second poll never costs a full reload.

use crate::collect::panel::GatewayPanel;
use crate::domain::{Audit, Evidence};
use crate::store::{SourceRow, Store};
use anyhow::Result;

pub use crate::ops::gateways::panels as gateway_panels;

/// The live part of the dashboard's data.
#[derive(Debug, Clone, Default)]
pub struct Live {
    /// Every source the collectors have written.
    pub sources: Vec<SourceRow>,
    /// One panel per gateway.
    pub gateways: Vec<GatewayPanel>,
    /// Whether pollers run in this dashboard.
    pub polling: bool,
}

impl Live {
    /// Loads sources and gateway panels.
    pub fn load(store: &Store, audits: &[Audit]) -> Result<Self> {
        Ok(Self {
            sources: store.sources()?,
            gateways: gateway_panels(store, audits)?,
            polling: false,
        })
    }
}

/// The live update the store thread sends after writing a batch.
#[derive(Debug, Clone)]
pub struct LiveUpdate {
    /// Every source's row.
    pub sources: Vec<crate::store::SourceRow>,
    /// Gateway panels, when the batch held a gateway check.
    pub gateways: Option<Vec<GatewayPanel>>,
    /// The newest evidence, when the batch appended any (an extended run changes no row shown).
    pub recent: Option<Vec<Evidence>>,
    /// A line for the status bar (findings opened, recoveries), if any.
    pub message: Option<String>,
}
