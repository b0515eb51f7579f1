//! The Timeline's view controls and the what-if: task due dates and Type II windows moved in
//! memory, the projected dates recomputed, nothing saved until `W`. A change rescores only
//! the projections (analysis::whatif), once per change or reload, through a cache built at the
//! first change after a load and kept in the data (a reload replaces the data, and with it
//! the cache); the result stays in the data until the what-if is saved or discarded. A task
//! moved later pushes the tasks that depend on it (analysis::timeline::cascade); the summary
//! lists every moved task with its saved date, and `W` saves the pushed dates too.

use super::{App, Effect};
use crate::analysis::Projection;
use crate::domain::{AuditId, Date, TaskId};
use crate::store::Edit;
use crate::tui::action::Action;
use crate::tui::tab::Tab;
use chrono::{Days, Months};

fn shift(d: Date, days: i64) -> Date {
    if days >= 0 {
        d.checked_add_days(Days::new(days.unsigned_abs()))
            .unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(d)
    }
}

impl App {
    pub(super) fn timeline_view(&mut self, a: Action) {
        if self.tab != Tab::Timeline {
            self.switch(Tab::Timeline);
        }
        let Some(d) = &self.data else { return };
        let v = &mut self.shape.timeline;
        match a {
            Action::Zoom => {
                v.year = !v.year;
                v.start = None;
                self.refresh_rows();
            }
            Action::PanLeft | Action::PanRight => {
                let step = (v.span() / 3) as i64;
                let first = v.first_day(d.as_of);
                v.start = Some(shift(
                    first,
                    if a == Action::PanLeft { -step } else { step },
                ));
                self.refresh_rows();
            }
            _ => {
                v.ledger = !v.ledger;
                self.list_mut().selected = 0;
                self.refresh_rows();
            }
        }
    }

    /// Moves the selected task or window in the what-if.
    pub(super) fn try_change(&mut self, a: Action) {
        let Some(row_id) = self.selected_row().map(|r| r.id.clone()) else {
            return;
        };
        let Some(d) = &self.data else { return };
        if self.tab != Tab::Timeline || self.shape.timeline.ledger {
            self.message = Some(("what-if works on the Timeline's schedule (8)".into(), true));
            return;
        }
        let week = if a == Action::Earlier { -7 } else { 7 };
        let w = &mut self.shape.timeline.whatif;
        if let Some(t) = row_id.strip_prefix("task:") {
            let id = TaskId::from(t);
            // The date on screen: moved by hand, pushed by a task it depends on, or saved.
            let current = d
                .whatif
                .as_ref()
                .and_then(|r| r.moved.get(&id))
                .map(|(_, now)| *now)
                .or_else(|| w.due.get(&id).copied())
                .or_else(|| {
                    d.snapshot
                        .tasks
                        .iter()
                        .find(|x| x.id == id)
                        .and_then(|x| x.due)
                });
            match (a, current) {
                (Action::Later | Action::Earlier, Some(due)) => {
                    w.due.insert(id, shift(due, week));
                }
                _ => {
                    self.message = Some(("tasks move with + and -".into(), true));
                    return;
                }
            }
        } else if let Some(au) = row_id.strip_prefix("audit:").filter(|x| !x.contains(':')) {
            let id = AuditId::from(au);
            let current = w.windows.get(&id).copied().or_else(|| {
                let x = d.snapshot.audits.iter().find(|x| x.id == id)?;
                Some((x.window_start?, x.window_end?))
            });
            let Some((start, end)) = current else {
                self.message = Some((
                    "only Type II windows and tasks move in the what-if".into(),
                    true,
                ));
                return;
            };
            let moved = match a {
                Action::Later | Action::Earlier => (shift(start, week), shift(end, week)),
                Action::Longer => (start, end.checked_add_months(Months::new(1)).unwrap_or(end)),
                _ => {
                    let shorter = end.checked_sub_months(Months::new(1)).unwrap_or(end);
                    if shorter <= start {
                        self.message =
                            Some(("a window cannot be shorter than a month".into(), true));
                        return;
                    }
                    (start, shorter)
                }
            };
            w.windows.insert(id, moved);
        } else {
            self.message = Some((
                "select a task or a Type II window to try a what-if".into(),
                true,
            ));
            return;
        }
        self.rescore_whatif();
        self.refresh_rows();
        self.summarise_whatif();
    }

    /// Rescores the what-if against the data (or drops the result when nothing is moved).
    pub(super) fn rescore_whatif(&mut self) {
        let w = &self.shape.timeline.whatif;
        let Some(d) = self.data.as_deref_mut() else {
            return;
        };
        if w.is_empty() {
            d.whatif = None;
            return;
        }
        let cache = match d.whatif_cache.take() {
            Some(c) if c.fits(&d.snapshot, &d.assessment) => c,
            _ => crate::analysis::whatif::Cache::new(&d.snapshot, &d.assessment),
        };
        d.whatif = Some(cache.rescore(&mut d.snapshot, &d.assessment, w));
        d.whatif_cache = Some(cache);
    }

    /// Describes how the projected dates move under the what-if.
    pub(super) fn summarise_whatif(&mut self) {
        self.whatif_summary.clear();
        let Some(d) = &self.data else { return };
        let w = &self.shape.timeline.whatif;
        if w.is_empty() {
            return;
        }
        let Some(after) = &d.whatif else { return };
        for (base, q) in d
            .assessment
            .frameworks
            .iter()
            .zip(&after.projections)
            .filter(|(b, _)| b.in_scope)
        {
            let (p, q): (&Projection, &Projection) = (&base.projected, q);
            let mut parts = vec![format!("{}: Type I ready {}", base.name, q.type1_short())];
            if q.type1_ready != p.type1_ready {
                parts[0] = format!("{} (was {})", parts[0], p.type1_short());
            }
            if let (Some(a), Some(b)) = (p.type2_report, q.type2_report) {
                parts.push(format!(
                    "Type II report {b}{}",
                    if a == b {
                        String::new()
                    } else {
                        format!(" (was {a})")
                    }
                ));
            }
            if let Some(t) = &q.critical_task {
                parts.push(format!("critical {t}"));
            }
            self.whatif_summary.push(parts.join(" · "));
        }
        let moved: Vec<String> = after
            .moved
            .iter()
            .filter(|(_, (was, now))| *was != Some(*now))
            .map(|(id, (was, now))| {
                format!(
                    "{id} {now} (was {}{})",
                    was.map_or("undated".to_owned(), |x| x.to_string()),
                    if w.due.contains_key(id) {
                        ""
                    } else {
                        ", pushed"
                    }
                )
            })
            .collect();
        if !moved.is_empty() {
            let more = moved.len().saturating_sub(4);
            let mut line = format!("moved: {}", moved[..moved.len() - more].join(" · "));
            if more > 0 {
                line.push_str(&format!(" · {more} more"));
            }
            self.whatif_summary.push(line);
        }
        self.whatif_summary.push(format!(
            "what-if: {} task(s) moved by hand, {} window(s) · W saves · Esc discards",
            w.due.len(),
            w.windows.len()
        ));
    }

    /// Discards the what-if; returns whether there was one.
    pub(super) fn discard_whatif(&mut self) -> bool {
        if self.shape.timeline.whatif.is_empty() {
            return false;
        }
        self.shape.timeline.whatif = crate::analysis::timeline::WhatIf::default();
        self.rescore_whatif();
        self.whatif_summary.clear();
        self.message = Some(("what-if discarded".into(), false));
        self.refresh_rows();
        true
    }

    /// Turns the what-if into stored edits.
    pub(super) fn save_whatif(&mut self) -> Vec<Effect> {
        let w = std::mem::take(&mut self.shape.timeline.whatif);
        if w.is_empty() {
            self.message = Some(("no what-if changes to save".into(), false));
            return Vec::new();
        }
        // The dates moved by hand and those they pushed.
        let mut due = w.due;
        if let Some(r) = self.data.as_ref().and_then(|d| d.whatif.as_ref()) {
            due.extend(r.moved.iter().map(|(id, (_, now))| (id.clone(), *now)));
        }
        let mut fx: Vec<Effect> = due
            .into_iter()
            .map(|(id, due)| Effect::Edit {
                edit: Edit::TaskDue(id, Some(due)),
                undo: false,
            })
            .collect();
        for (id, (start, end)) in w.windows {
            let report = self
                .data
                .as_ref()
                .and_then(|d| d.snapshot.audits.iter().find(|a| a.id == id))
                .and_then(|a| a.report_date);
            fx.push(Effect::Edit {
                edit: Edit::AuditDates(id, Some(start), Some(end), report),
                undo: false,
            });
        }
        self.rescore_whatif();
        self.whatif_summary.clear();
        self.message = Some((format!("saving {} what-if change(s)", fx.len()), false));
        self.refresh_rows();
        fx
    }
}
