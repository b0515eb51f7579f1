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

    /// The workspace config (`certready.toml`); an empty one when there is none. Errors name
    /// the file, line and key.
    pub fn config(&self) -> Result<crate::collect::config::Config> {
        let path = self.config_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(crate::collect::config::parse(
                &path.display().to_string(),
                &text,
            )?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(crate::collect::config::Config::default())
            }
            Err(e) => Err(anyhow::anyhow!("{}: {e}", path.display())),
        }
    }

    /// The configured sources, resolved against the environment, after checking that every
    /// control they name exists in `store`; records the retention default in the store.
    pub fn sources(
        &self,
        store: &mut Store,
    ) -> Result<(
        crate::collect::config::Config,
        Vec<crate::collect::spec::Spec>,
    )> {
        let cfg = self.config()?;
        let known = store.known()?;
        let path = self.config_path().display().to_string();
        let text = std::fs::read_to_string(self.config_path()).unwrap_or_default();
        let named = cfg
            .gateway
            .iter()
            .map(|g| ("gateway", &g.name, &g.controls))
            .chain(cfg.source.iter().map(|s| ("source", &s.name, &s.controls)));
        for (i, (what, name, controls)) in named.enumerate() {
            if let Some(c) = controls.iter().find(|c| !known.controls.contains(*c)) {
                let line = text
                    .lines()
                    .position(|l| l.contains(&format!("\"{c}\"")))
                    .map(|n| n + 1);
                return Err(crate::import::InputError::new(
                    &path,
                    line,
                    Some(format!("{what} `{name}`.controls")),
                    format!("unknown control `{c}` (source #{})", i + 1),
                )
                .into());
            }
        }
        if let Some(y) = cfg.evidence_retention_years {
            store.set_meta(crate::store::RETENTION_META, &y.to_string())?;
        }
        let specs = crate::collect::spec::resolve_env(&cfg, &self.dir);
        Ok((cfg, specs))
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
