//! An exercise is its event log: every note, decision, gap, action item, inject, pause and
//! resume with the wall time it happened (seconds since the epoch). The clock, the current
//! inject and whether it is paused are derived from the log, so saving the log after every
//! event is enough to resume after a crash.

use super::Scenario;
use crate::domain::Date;

pub use crate::domain::{Exercise, ExerciseEvent as Event, ExerciseKind as Kind};

impl Event {
    fn new(t: i64, kind: Kind) -> Self {
        Self {
            t,
            kind,
            text: String::new(),
            owner: None,
            due: None,
            inject: None,
        }
    }
}

impl Exercise {
    /// Starts an exercise at `t` with the first inject current.
    pub fn start(id: &str, scenario: &str, facilitator: &str, t: i64) -> Self {
        let mut first = Event::new(t, Kind::Inject);
        first.inject = Some(0);
        Self {
            id: id.to_owned(),
            scenario: scenario.to_owned(),
            facilitator: facilitator.to_owned(),
            events: vec![Event::new(t, Kind::Start), first],
        }
    }

    /// When it started.
    pub fn started(&self) -> i64 {
        self.events.first().map_or(0, |e| e.t)
    }

    /// Whether it has ended.
    pub fn ended(&self) -> bool {
        self.events.iter().any(|e| e.kind == Kind::End)
    }

    /// Whether the clock is stopped.
    pub fn paused(&self) -> bool {
        self.events
            .iter()
            .rev()
            .find(|e| matches!(e.kind, Kind::Pause | Kind::Resume | Kind::End))
            .is_some_and(|e| e.kind != Kind::Resume)
    }

    /// Exercise time in seconds at wall time `now`: elapsed time less paused spans.
    pub fn clock(&self, now: i64) -> i64 {
        let mut total = 0;
        let mut running_since = Some(self.started());
        for e in self.events.iter().take_while(|e| e.t <= now) {
            match (e.kind, running_since) {
                (Kind::Pause | Kind::End, Some(s)) => {
                    total += e.t - s;
                    running_since = None;
                }
                (Kind::Resume, None) => running_since = Some(e.t),
                _ => {}
            }
        }
        total + running_since.map_or(0, |s| (now - s).max(0))
    }

    /// The current inject.
    pub fn current(&self) -> usize {
        self.events
            .iter()
            .rev()
            .find_map(|e| (e.kind == Kind::Inject).then_some(e.inject).flatten())
            .unwrap_or(0)
    }

    /// The injects that were current at some point (played), in scenario order.
    pub fn played(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .events
            .iter()
            .filter(|e| e.kind == Kind::Inject)
            .filter_map(|e| e.inject)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Participants (the latest list).
    pub fn participants(&self) -> Vec<String> {
        self.events
            .iter()
            .rev()
            .find(|e| e.kind == Kind::Participants)
            .map(|e| {
                e.text
                    .split(',')
                    .map(|p| p.trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Events of one kind, in order.
    pub fn of(&self, kind: Kind) -> Vec<&Event> {
        self.events.iter().filter(|e| e.kind == kind).collect()
    }

    /// Logs a note, decision, gap or participant list.
    pub fn log(&mut self, kind: Kind, text: &str, t: i64) {
        let mut e = Event::new(t, kind);
        text.trim().clone_into(&mut e.text);
        e.inject = Some(self.current());
        self.events.push(e);
    }

    /// Logs an action item.
    pub fn action(&mut self, text: &str, owner: &str, due: Option<Date>, t: i64) {
        let mut e = Event::new(t, Kind::Action);
        text.trim().clone_into(&mut e.text);
        e.owner = Some(owner.trim().to_owned()).filter(|o| !o.is_empty());
        e.due = due;
        e.inject = Some(self.current());
        self.events.push(e);
    }

    fn goto(&mut self, i: usize, t: i64) {
        let mut e = Event::new(t, Kind::Inject);
        e.inject = Some(i);
        self.events.push(e);
    }

    /// Skips to the next inject; false at the last one.
    pub fn next(&mut self, s: &Scenario, t: i64) -> bool {
        let c = self.current();
        if c + 1 < s.injects.len() {
            self.goto(c + 1, t);
            true
        } else {
            false
        }
    }

    /// Goes back to the previous inject; false at the first.
    pub fn back(&mut self, t: i64) -> bool {
        let c = self.current();
        if c > 0 {
            self.goto(c - 1, t);
            true
        } else {
            false
        }
    }

    /// Pauses or resumes the clock.
    pub fn toggle_pause(&mut self, t: i64) {
        let kind = if self.paused() {
            Kind::Resume
        } else {
            Kind::Pause
        };
        self.events.push(Event::new(t, kind));
    }

    /// Makes the next inject current once the clock reaches its time; true when it did.
    pub fn tick(&mut self, s: &Scenario, t: i64) -> bool {
        let c = self.current();
        match s.injects.get(c + 1) {
            Some(next) if !self.paused() && self.clock(t) >= i64::from(next.at) * 60 => {
                self.goto(c + 1, t);
                true
            }
            _ => false,
        }
    }

    /// Seconds until the next inject is due (None at the last).
    pub fn countdown(&self, s: &Scenario, now: i64) -> Option<i64> {
        s.injects
            .get(self.current() + 1)
            .map(|n| i64::from(n.at) * 60 - self.clock(now))
    }

    /// Ends the exercise.
    pub fn end(&mut self, t: i64) {
        if !self.ended() {
            self.events.push(Event::new(t, Kind::End));
        }
    }
}

/// `mm:ss` (or `h:mm:ss`) of a number of seconds.
pub fn clock_text(secs: i64) -> String {
    let s = secs.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}
