//! A workspace on disk: `certready.toml` (config), `certready.db` (the store) and `evidence/`
//! (files attached to manual evidence), in one directory. With a database URL (`--database`
//! or `CERTREADY_DATABASE_URL`, set once per process by [`use_database`]) the store lives in
//! PostgreSQL instead and the folder keeps the config and the attached files. A workspace made
//! with [`Workspace::in_database`] carries its own URL, which wins over the process-wide one
//! (several workspaces, each in its own database, in one process).
//!
//! Invariants: a workspace is trusted before anything in it is read (`trust`: its folder and
//! config are the user's own and writable by nobody else), so `poll` never runs a command from
//! a config someone else could edit; a database that cannot be written is refused up front
//! with its path, instead of SQLite's "unable to open database file"; `init` creates the folder
//! 0700 and the config 0600 whatever the umask, and writes the organisation's name as a TOML
//! string (quotes, backslashes escaped), refusing control and direction characters in it.

mod trust;

pub use trust::effective_uid;

use crate::catalog;
use crate::import;
use crate::store::Store;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

pub use crate::collect::config::DEFAULT_CONFIG;

/// The default config with `organization` set (as an escaped TOML basic string).
pub fn default_config(organization: &str) -> String {
    DEFAULT_CONFIG.replace("\"{{organization}}\"", &toml_string(organization))
}

/// `s` as a TOML basic string, quotes included.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

static DATABASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Makes every workspace of this process keep its store in the PostgreSQL database `url`.
pub fn use_database(url: &str) {
    let _ = DATABASE.set(url.to_owned());
}

/// The PostgreSQL URL this process uses, if any.
pub fn database() -> Option<&'static str> {
    DATABASE.get().map(String::as_str)
}

/// A workspace directory.
#[derive(Debug, Clone)]
pub struct Workspace {
    dir: PathBuf,
    database: Option<String>,
}

impl Workspace {
    /// The workspace in `dir` (which may not exist yet).
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
            database: None,
        }
    }

    /// The workspace in `dir` with its store in the PostgreSQL database `url`, whatever the
    /// process-wide [`use_database`] says.
    pub fn in_database(dir: &Path, url: &str) -> Self {
        Self {
            dir: dir.to_owned(),
            database: Some(url.to_owned()),
        }
    }

    /// The PostgreSQL URL this workspace's store lives at: its own, else the process's.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref().or_else(|| database())
    }

    /// Opens the store where it lives (the file, or the PostgreSQL database).
    fn open_store(&self) -> Result<Store> {
        match self.database() {
            Some(url) => Store::open_postgres(url, &self.dir),
            None => {
                let db = self.db_path();
                Store::open(&db).with_context(|| format!("cannot open database {}", db.display()))
            }
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

    /// Whether a workspace exists here (on PostgreSQL: its folder has a config).
    pub fn exists(&self) -> bool {
        if self.database().is_some() {
            return self.config_path().is_file();
        }
        self.db_path().is_file()
    }

    /// Opens the existing workspace's store, after checking that the workspace may be trusted
    /// and its database written.
    pub fn open(&self) -> Result<Store> {
        if !self.exists() {
            bail!(
                "no workspace in {} (create one with `certready init {}`)",
                self.dir.display(),
                self.dir.display()
            );
        }
        self.trusted()?;
        if self.database().is_none() {
            self.writable()?;
        }
        self.open_store()
    }

    /// Refuses a workspace folder or config that another user owns or could change.
    pub fn trusted(&self) -> Result<()> {
        trust::check(&self.dir)?;
        trust::check(&self.config_path())
    }

    /// Refuses a database (or its folder, where SQLite keeps its journal) that this user
    /// cannot write, naming the path. Writes nothing: the database is opened without
    /// truncation and the folder is probed with an anonymous temporary file.
    fn writable(&self) -> Result<()> {
        use std::io::ErrorKind::{PermissionDenied, ReadOnlyFilesystem};
        let db = self.db_path();
        let files = [
            db.clone(),
            self.dir.join("certready.db-wal"),
            self.dir.join("certready.db-shm"),
        ];
        for f in files.iter().filter(|f| f.exists()) {
            if let Err(e) = std::fs::OpenOptions::new().write(true).open(f) {
                if matches!(e.kind(), PermissionDenied | ReadOnlyFilesystem) {
                    bail!(
                        "{}: database not writable ({e}); certready records every change: run `chmod u+w {}` (or copy the workspace somewhere writable)",
                        db.display(),
                        f.display()
                    );
                }
                bail!("{}: {e}", f.display());
            }
        }
        if let Err(e) = tempfile::tempfile_in(&self.dir) {
            bail!(
                "{}: database not writable: its folder {} is read-only ({e}) and SQLite keeps its journal there: run `chmod u+w {}`",
                db.display(),
                self.dir.display(),
                self.dir.display()
            );
        }
        Ok(())
    }

    /// The workspace config (`certready.toml`); an empty one when there is none. Errors name
    /// the file, line and key.
    pub fn config(&self) -> Result<crate::collect::config::Config> {
        self.trusted()?;
        let path = self.config_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let shown = path.display().to_string();
                let cfg = crate::collect::config::parse(&shown, &text)?;
                if cfg.source.iter().any(|s| s.kind == "preset") {
                    let lib = crate::collect::library::Library::load(&self.dir)
                        .map_err(anyhow::Error::msg)?;
                    crate::collect::library::add::validate(&cfg, &shown, &text, &lib)?;
                }
                Ok(cfg)
            }
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
        if let Some(c) = organization
            .chars()
            .find(|c| crate::report::escape::is_unsafe_for_terminal(*c))
        {
            bail!(
                "organisation name {:?}: contains the control or direction character U+{:04X}; use a plain name (--name)",
                organization,
                u32::from(c)
            );
        }
        self.trusted()?;
        crate::private::create_dir_owner_only(&self.dir.join("evidence"))?;
        let config = self.config_path();
        if std::fs::symlink_metadata(&config).is_err() {
            crate::report::write::write_new(&config, default_config(organization).as_bytes())?;
        }
        let mut store = self.open_store()?;
        if self.database().is_some() && store.holds_workspace()? {
            bail!(
                "{} already holds a workspace; use an empty database",
                store.describe()
            );
        }
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

#[cfg(test)]
mod tests {
    #[test]
    fn any_organisation_name_round_trips_through_the_config() {
        for name in [
            "Acme \"Q\" \\ Co",
            "a\nb = 1\n[x]",
            "tab\there # not a comment",
            "é ✓",
        ] {
            let cfg = crate::collect::config::parse("certready.toml", &super::default_config(name))
                .unwrap_or_else(|e| panic!("{name:?}: {e}"));
            assert_eq!(cfg.organization.as_deref(), Some(name));
        }
    }
}
