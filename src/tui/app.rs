//! The one owner of UI state. `App::update(msg, today)` steps it and returns effects for the
//! store thread; it does no I/O and reads no clock: `today` is the one date the loop reads per
//! event (or the pinned `--as-of`), and when it moves the data is reloaded for the new day. Rows of the current tab are derived state,
//! recomputed here (not in the view) whenever data, tab, sort, filter or folding change.

mod edits;
mod exercise;
mod input;
mod nav;
mod whatif;

pub use nav::palette_matches;

use super::action::Action;
use super::data::Data;
use super::keymap::Keymap;
use super::prompt::Prompt;
use super::rows::Row;
use super::tab::Tab;
use super::tabs::{self, Shape};
use super::theme::Theme;
use crate::domain::Date;
use crate::store::{Edit, VerifyReport};
use crossterm::event::{KeyEvent, MouseEvent};
use std::collections::HashMap;

pub use super::effect::Effect;
pub use super::tabs::frameworks::plan::Draft;

/// Messages the app steps on.
#[derive(Debug)]
pub enum Msg {
    /// A bound action (from the keymap, the palette or a test).
    Action(Action),
    /// A key press (dispatched through the keymap or to the open form).
    Key(KeyEvent),
    /// A mouse event.
    Mouse(MouseEvent),
    /// The terminal was resized.
    Resize(u16, u16),
    /// Fresh data from the store thread.
    Loaded(Box<Data>),
    /// An edit was stored; `inverse` undoes it.
    Edited {
        /// The edit's inverse.
        inverse: Edit,
        /// What was done.
        description: String,
        /// Whether this was itself an undo.
        was_undo: bool,
    },
    /// The store thread failed.
    Failed(String),
    /// Something worth a line in the status bar.
    Info(String),
    /// The chains were verified.
    Verified(VerifyReport),
    /// Wall time in seconds since the epoch (sent every second, and before every key).
    Tick(i64),
    /// An exercise started or resumed.
    ExerciseStarted(Box<super::tabs::tabletop::Running>),
    /// An exercise ended; the text says what it produced.
    ExerciseEnded(String),
    /// The collectors wrote a batch: sources, gateways and newest evidence.
    Live(Box<super::live::LiveUpdate>),
}

/// Input modes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Keys go through the keymap.
    Normal,
    /// Typing a filter.
    Filter,
    /// Help overlay.
    Help,
    /// Command palette with its query and selection.
    Palette(String, usize),
    /// An edit form.
    Prompt(Prompt),
    /// A yes/no question before work would be lost.
    Confirm(super::prompt::confirm::Confirm),
}

/// Per-tab list state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListView {
    /// Sort index into the tab's sorts.
    pub sort: usize,
    /// Filter text.
    pub filter: String,
    /// Selected row (index into the visible rows).
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    /// Detail pane open.
    pub detail: bool,
}

/// The dashboard's state.
pub struct App {
    /// Loaded data (None until the first load).
    pub data: Option<Box<Data>>,
    /// Current tab.
    pub tab: Tab,
    /// List state per tab.
    pub lists: HashMap<Tab, ListView>,
    /// Folding and gaps-only.
    pub shape: Shape,
    /// Visible rows of the current tab (derived).
    pub rows: Vec<Row>,
    /// Input mode.
    pub mode: Mode,
    /// Last message for the status line, and whether it is an error.
    pub message: Option<(String, bool)>,
    /// Inverses of stored edits, newest last.
    pub undo: Vec<Edit>,
    /// Keymap.
    pub keymap: Keymap,
    /// Theme.
    pub theme: Theme,
    /// Terminal size.
    pub size: (u16, u16),
    /// Set when the user quits.
    pub quit: bool,
    /// Set when something visible changed; the loop clears it after drawing.
    pub dirty: bool,
    /// Workspace label for the title bar.
    pub label: String,
    /// What the what-if changes do to the projected dates (empty without changes).
    pub whatif_summary: Vec<String>,
    /// The exercise under way on the Tabletop tab.
    pub running: Option<Box<super::tabs::tabletop::Running>>,
    /// Wall time (seconds since the epoch) from the last tick.
    pub now: i64,
    /// The date the dashboard scores as of: set by the first update (or by the event loop to
    /// the date the store thread started with); another date given to `update` moves it.
    pub today: Option<Date>,
    /// The help overlay's filter and scroll (meaningful while `mode` is `Help`).
    pub help: super::help::Help,
    /// First visible line of the pane beside the list (detail, running inject, Review pack).
    pub pane: usize,
}

impl App {
    /// A new app with no data yet.
    pub fn new(keymap: Keymap, theme: Theme, size: (u16, u16), label: String) -> Self {
        Self {
            data: None,
            tab: Tab::Overview,
            lists: Tab::ALL.iter().map(|t| (*t, ListView::default())).collect(),
            shape: Shape::default(),
            rows: Vec::new(),
            mode: Mode::Normal,
            message: None,
            undo: Vec::new(),
            keymap,
            theme,
            size,
            quit: false,
            dirty: true,
            label,
            whatif_summary: Vec::new(),
            running: None,
            now: 0,
            today: None,
            help: super::help::Help::default(),
            pane: 0,
        }
    }

    /// The current tab's list state.
    pub fn list(&self) -> &ListView {
        &self.lists[&self.tab]
    }

    fn list_mut(&mut self) -> &mut ListView {
        self.lists.entry(self.tab).or_default()
    }

    /// The selected row, if any.
    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.list().selected)
    }

    /// Recomputes the visible rows, keeping the selection on the same item when it survives.
    pub fn refresh_rows(&mut self) {
        let keep = self.selected_row().map(|r| r.id.clone());
        let Some(d) = &self.data else {
            self.rows.clear();
            return;
        };
        let lv = self.list().clone();
        let needle = lv.filter.to_lowercase();
        let only = self.shape.only.as_ref().filter(|o| o.tab == self.tab);
        self.rows = tabs::view(self.tab)
            .rows(d, lv.sort, &self.shape)
            .into_iter()
            .filter(|r| only.is_none_or(|o| o.ids.contains(&r.id)))
            .filter(|r| r.heading && needle.is_empty() || r.matches(&needle))
            .collect();
        let n = self.rows.len();
        let pos = keep.and_then(|id| self.rows.iter().position(|r| r.id == id));
        let l = self.list_mut();
        l.selected = pos.unwrap_or(l.selected).min(n.saturating_sub(1));
        self.ensure_visible();
    }

    /// Goes to `only.tab` showing only `only.ids`; with one item, its detail opens.
    fn show_only(&mut self, only: tabs::Only) {
        let tab = only.tab;
        let one = (only.ids.len() == 1).then(|| only.ids[0].clone());
        let message = format!("showing {} (Esc: every item)", only.label);
        self.shape.only = Some(only);
        self.switch(tab);
        self.message = Some((message, false));
        self.list_mut().filter.clear();
        self.list_mut().selected = 0;
        self.refresh_rows();
        if one.is_some() {
            self.list_mut().detail = true;
            self.ensure_visible();
        }
    }

    /// Steps the app as of `today`; returns work for the store thread. When `today` differs
    /// from the date the app was scoring, the first effect asks the store thread to reload
    /// for the new day, so edits made after midnight and the data on screen share one date.
    pub fn update(&mut self, msg: Msg, today: Date) -> Vec<Effect> {
        let new_day = self.today.replace(today).is_some_and(|d| d != today);
        let mut fx = Vec::new();
        if new_day {
            fx.push(Effect::SetDate(today));
        }
        fx.extend(self.step(msg, today));
        if new_day {
            self.message = Some((format!("a new day: scoring as of {today}"), false));
            self.dirty = true;
        }
        fx
    }

    fn step(&mut self, msg: Msg, today: Date) -> Vec<Effect> {
        self.dirty = true;
        match msg {
            Msg::Action(a) => self.act(a, today),
            Msg::Key(k) => self.key(k, today),
            Msg::Mouse(m) => {
                self.mouse(m);
                Vec::new()
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.ensure_visible();
                Vec::new()
            }
            Msg::Loaded(d) => {
                if d.demo && self.data.is_none() {
                    self.message = Some((
                        "DEMO workspace: start your own with `certready init my-org`".into(),
                        false,
                    ));
                }
                self.data = Some(d);
                self.rescore_whatif();
                self.refresh_rows();
                Vec::new()
            }
            Msg::Live(u) => {
                if let Some(d) = self.data.as_mut() {
                    d.live.polling = true;
                    d.live.sources = u.sources;
                    if let Some(g) = u.gateways {
                        d.live.gateways = g;
                    }
                    if let Some(recent) = u.recent {
                        d.recent_evidence = recent;
                    }
                }
                if let Some(m) = u.message {
                    self.message = Some((m, false));
                }
                self.refresh_rows();
                Vec::new()
            }
            Msg::Edited {
                inverse,
                description,
                was_undo,
            } => {
                if was_undo {
                    self.message = Some((format!("undone: {description}"), false));
                } else {
                    self.undo.push(inverse);
                    self.message = Some((format!("saved: {description} (u to undo)"), false));
                }
                Vec::new()
            }
            Msg::Failed(e) => {
                self.message = Some((e, true));
                Vec::new()
            }
            Msg::Info(text) => {
                self.message = Some((text, false));
                Vec::new()
            }
            Msg::Tick(t) => {
                let inject = self.running.as_ref().map(|r| r.exercise.current());
                // Redraw the Overview when a gateway's state moves with the clock (goes stale).
                let was = self.data.as_ref().map(|d| d.live.shown(self.now));
                let fx = self.tick(t);
                if self.running.as_ref().map(|r| r.exercise.current()) != inject {
                    self.pane = 0;
                }
                if self.tab == Tab::Overview && self.data.as_ref().map(|d| d.live.shown(t)) != was {
                    self.dirty = true;
                }
                fx
            }
            Msg::ExerciseStarted(r) => {
                self.message = Some((
                    format!(
                        "exercise {} under way: every entry is saved as it happens",
                        r.exercise.id
                    ),
                    false,
                ));
                self.tab = Tab::Tabletop;
                let signal = r
                    .scenario
                    .injects
                    .get(r.exercise.current())
                    .and_then(|i| i.signal.clone());
                self.running = Some(r);
                signal
                    .map(|s| vec![Effect::Signal(s.gateway)])
                    .unwrap_or_default()
            }
            Msg::ExerciseEnded(text) => {
                self.running = None;
                self.message = Some((text, false));
                Vec::new()
            }
            Msg::Verified(r) => {
                if let Some(d) = &mut self.data {
                    d.chain = Some(r);
                }
                self.refresh_rows();
                Vec::new()
            }
        }
    }

    fn act(&mut self, a: Action, today: Date) -> Vec<Effect> {
        if self.mode != Mode::Normal && !matches!(a, Action::Back) {
            self.mode = Mode::Normal;
        }
        // A message belongs to the action that made it: the next action (not a move in the
        // list or the help) clears it, and may set its own.
        if !matches!(
            a,
            Action::Down
                | Action::Up
                | Action::PageDown
                | Action::PageUp
                | Action::Top
                | Action::Bottom
                | Action::Help
        ) {
            self.message = None;
        }
        if let Some(tab) = tabs::for_key(a) {
            self.switch(tab);
            return Vec::new();
        }
        if let Some(tab) = tabs::toggle_owner(a) {
            let here = self.tab == tab;
            if !here {
                self.switch(tab);
            }
            let before: *const tabs::Spec = tabs::view(tab).spec(&self.shape);
            if let Some(m) = tabs::view(tab).toggle(a, &mut self.shape, here) {
                self.message = Some((m, false));
            }
            if !std::ptr::eq(before, tabs::view(tab).spec(&self.shape)) {
                // Another kind of row (items and sources): start at the top.
                self.list_mut().selected = 0;
            }
            self.refresh_rows();
            return Vec::new();
        }
        match a {
            Action::Quit => self.quit_or_ask(),
            Action::Help => {
                self.mode = if self.mode == Mode::Help {
                    Mode::Normal
                } else {
                    self.help = super::help::Help::default();
                    Mode::Help
                }
            }
            Action::Palette => self.mode = Mode::Palette(String::new(), 0),
            Action::NextTab => self.switch(Tab::ALL[(self.tab.index() + 1) % Tab::ALL.len()]),
            Action::PrevTab => {
                self.switch(Tab::ALL[(self.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]);
            }
            Action::TtNote
            | Action::TtDecision
            | Action::TtGap
            | Action::TtAction
            | Action::TtParticipants
            | Action::TtPause
            | Action::TtNext
            | Action::TtBack
            | Action::TtEnd => {
                if matches!(a, Action::TtNext | Action::TtBack) {
                    self.pane = 0;
                }
                return self.exercise_action(a);
            }
            Action::Zoom | Action::PanLeft | Action::PanRight | Action::Ledger => {
                self.timeline_view(a);
            }
            Action::Later | Action::Earlier | Action::Longer | Action::Shorter => {
                self.try_change(a);
            }
            Action::SaveWhatIf => return self.save_whatif(),
            a if a.is_movement() => self.navigate(a),
            Action::Filter if self.tab.is_list() => self.mode = Mode::Filter,
            Action::Sort => {
                let n = tabs::view(self.tab).spec(&self.shape).sorts.len();
                let l = self.list_mut();
                l.sort = (l.sort + 1) % n.max(1);
                let name = tabs::view(self.tab).spec(&self.shape).sorts[self.list().sort];
                self.message = Some((format!("sorted by {name}"), false));
                self.refresh_rows();
            }
            Action::Open => {
                let running = self.running.is_some();
                let enter = match (&self.data, self.selected_row()) {
                    (Some(d), Some(r)) if !r.heading => {
                        tabs::view(self.tab).enter(d, &r.id, running)
                    }
                    _ => None,
                };
                match enter {
                    Some(tabs::Enter::Effect(fx)) => return vec![fx],
                    Some(tabs::Enter::Show(only)) => self.show_only(only),
                    Some(tabs::Enter::Form(p)) => self.mode = Mode::Prompt(p),
                    None => self.open(),
                }
            }
            Action::Back => self.back(),
            Action::EditStatus
            | Action::EditOwner
            | Action::EditDue
            | Action::AddNote
            | Action::AddEvidence
            | Action::AddSource
            | Action::ReviewDecision
            | Action::ReviewAction
            | Action::ReviewInput
            | Action::PlanUnplanned => {
                self.start_edit(a, today);
            }
            Action::Undo => {
                return match self.undo.pop() {
                    Some(edit) => vec![Effect::Edit { edit, undo: true }],
                    None => {
                        self.message = Some(("nothing to undo".into(), false));
                        Vec::new()
                    }
                };
            }
            Action::Reload => {
                self.message = Some(("reloading…".into(), false));
                return vec![Effect::Reload, Effect::Verify];
            }
            // A tab's own key (it went to its tab through the registry above), or Filter
            // off a list.
            _ => {}
        }
        Vec::new()
    }
}
