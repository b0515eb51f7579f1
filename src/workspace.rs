//! A workspace on disk: `certready.toml` (config), `certready.db` (the store) and `evidence/`
//! (files attached to manual evidence), in one directory.

use crate::catalog;
use crate::import;
use crate::store::Store;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// The config written by `init`, with the organisation filled in.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/default-config.toml");

/// A workspace directory.
#[derive(Debug, Clone)]
pub struct Workspace {
    dir: PathBuf,
}

impl Workspace {
    /// The workspace in `dir` (which may not exist yet).
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database file.
    pub fn db_path(&self) -> PathBuf {
        self.dir.join("certready.db")
    }

    /// The config file.
    pub fn config_path(&self) -> PathBuf {
        self.dir.join("certready.toml")
    }

    /// Whether a workspace exists here.
    pub fn exists(&self) -> bool {
        self.db_path().is_file()
    }

    /// Opens the existing workspace's store.
    pub fn open(&self) -> Result<Store> {
        if !self.exists() {
            bail!(
                "no workspace in {} (create one with `certready init {}`)",
                self.dir.display(),
                self.dir.display()
            );
        }
        Store::open(&self.db_path())
    }

    /// Creates a workspace: catalogs, default scope, and unless `bare` the built-in control set.
    pub fn init(&self, organization: &str, bare: bool, now: &str) -> Result<Store> {
        if self.exists() {
            bail!("a workspace already exists in {}", self.dir.display());
        }
        crate::private::create_dir_owner_only(&self.dir.join("evidence"))?;
        let config = self.config_path();
        if !config.exists() {
            let text = DEFAULT_CONFIG.replace("{{organization}}", &organization.replace('"', "'"));
            crate::private::write_owner_only(&config, text.as_bytes())?;
        }
        let mut store = Store::open(&self.db_path())?;
        let frameworks = catalog::builtin_frameworks()?;
        store.install_catalogs(organization, &frameworks, now)?;
        if !bare {
            let parsed =
                import::parse_yaml("assets/controls/llm-gateway.yaml", catalog::CONTROL_SET)?;
            import::validate(&parsed, &store.known()?)?;
            store.apply(&parsed.model, "builtin", now, false)?;
        }
        Ok(store)
    }
}
