//! Facilitator scripts: one action per line, for rehearsal and tests.
//!
//! ```text
//! facilitator: Dana Reyes
//! participants: Alice, Bob, Priya
//! note: on-call paged at 02:10
//! decision: declare a security incident
//! gap: no runbook for disabling a tool
//! action: write the tool kill-switch runbook | priya | 2026-12-15
//! wait 10m            # advance the exercise clock (injects fall due on their own)
//! next | back | pause | resume | end
//! ```
//! Blank lines and `#` comments are skipped; a bad line is an error naming its number.
//!
//! Running a script again settles: [`resume`] replays it from the stored exercise's start and
//! adds only the events the log does not already hold (compared without their wall time), so
//! a rerun of the same script adds nothing and a longer script adds only its new lines.

use super::Scenario;
use super::exercise::{Exercise, Kind};
use crate::domain::Date;
use crate::import::InputError;

/// One script step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Set the facilitator.
    Facilitator(String),
    /// Set the participants.
    Participants(String),
    /// Log a note, decision or gap.
    Log(Kind, String),
    /// Log an action item.
    Action(String, String, Option<Date>),
    /// Advance the clock by seconds.
    Wait(i64),
    /// Next inject.
    Next,
    /// Previous inject.
    Back,
    /// Pause.
    Pause,
    /// Resume.
    Resume,
    /// End.
    End,
}

/// Seconds of a `wait`: digits, then `s`, `m` or `h` (spaces between them allowed), read by
/// humantime; at most [`MAX_WAIT`].
fn duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let unit = s.trim_start_matches(|c: char| c.is_ascii_digit());
    let digits = &s[..s.len() - unit.len()];
    let unit = unit.trim();
    if digits.is_empty() || !["s", "m", "h"].contains(&unit) {
        return None;
    }
    let secs = humantime::parse_duration(&format!("{digits}{unit}")).ok()?;
    // An exercise lasts hours; a longer wait is a typo, and playing it second by second
    // would spin for a very long time.
    i64::try_from(secs.as_secs())
        .ok()
        .filter(|secs| *secs <= MAX_WAIT)
}

/// The longest `wait` a script may hold (24 hours).
const MAX_WAIT: i64 = 86_400;

/// Parses a script.
pub fn parse(file: &str, text: &str) -> Result<Vec<Step>, InputError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or(raw).trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |m: &str| InputError::new(file, Some(i + 1), None, format!("{m}: `{line}`"));
        let (head, rest) = line
            .split_once(':')
            .map_or((line, ""), |(h, r)| (h.trim(), r.trim()));
        let need = |what: &str| {
            if rest.is_empty() {
                Err(err(&format!("{what} needs text after the colon")))
            } else {
                Ok(rest.to_owned())
            }
        };
        let step = match head {
            "facilitator" => Step::Facilitator(need("facilitator")?),
            "participants" => Step::Participants(need("participants")?),
            "note" => Step::Log(Kind::Note, need("note")?),
            "decision" => Step::Log(Kind::Decision, need("decision")?),
            "gap" => Step::Log(Kind::Gap, need("gap")?),
            "action" => {
                let parts: Vec<&str> = rest.split('|').map(str::trim).collect();
                let text = parts
                    .first()
                    .copied()
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| err("action needs text"))?;
                let owner = parts.get(1).copied().unwrap_or("");
                let due = match parts.get(2).filter(|d| !d.is_empty()) {
                    Some(d) => Some(
                        d.parse::<Date>()
                            .map_err(|_| err("the due date is not YYYY-MM-DD"))?,
                    ),
                    None => None,
                };
                Step::Action(text.to_owned(), owner.to_owned(), due)
            }
            "next" => Step::Next,
            "back" => Step::Back,
            "pause" => Step::Pause,
            "resume" => Step::Resume,
            "end" => Step::End,
            w if w.starts_with("wait ") => Step::Wait(
                duration(&w[5..])
                    .ok_or_else(|| err("wait takes a duration like 90s, 5m or 1h, at most 24h"))?,
            ),
            _ => {
                return Err(err(
                    "unknown step (expected facilitator, participants, note, decision, gap, action, wait, next, back, pause, resume or end)",
                ));
            }
        };
        out.push(step);
    }
    Ok(out)
}

/// Plays steps on an exercise starting at wall time `t`; returns the wall time after them.
pub fn play(ex: &mut Exercise, s: &Scenario, steps: &[Step], mut t: i64) -> i64 {
    for step in steps {
        match step {
            Step::Facilitator(f) => f.clone_into(&mut ex.facilitator),
            Step::Participants(p) => ex.log(Kind::Participants, p, t),
            Step::Log(k, text) => ex.log(*k, text, t),
            Step::Action(text, owner, due) => ex.action(text, owner, *due, t),
            Step::Wait(secs) => {
                for _ in 0..*secs {
                    t += 1;
                    ex.tick(s, t);
                }
            }
            Step::Next => {
                ex.next(s, t);
            }
            Step::Back => {
                ex.back(t);
            }
            Step::Pause => {
                if !ex.paused() {
                    ex.toggle_pause(t);
                }
            }
            Step::Resume => {
                if ex.paused() {
                    ex.toggle_pause(t);
                }
            }
            Step::End => ex.end(t),
        }
    }
    t
}

/// Whether two events are the same entry of the log, whatever their wall time.
fn same(a: &super::exercise::Event, b: &super::exercise::Event) -> bool {
    a.kind == b.kind
        && a.text == b.text
        && a.owner == b.owner
        && a.due == b.due
        && a.inject == b.inject
}

/// Replays `steps` from `stored`'s start and returns it with the script's events that its log
/// does not already hold appended (in script order, never before its last event), and how
/// many that is: 0 when the script was already played on it.
pub fn resume(stored: &Exercise, s: &Scenario, steps: &[Step]) -> (Exercise, usize) {
    let t0 = stored.started();
    let mut fresh = Exercise::start(&stored.id, &stored.scenario, &stored.facilitator, t0);
    play(&mut fresh, s, steps, t0);
    let mut used = vec![false; stored.events.len()];
    let last = stored.events.last().map_or(t0, |e| e.t);
    let mut out = stored.clone();
    out.facilitator.clone_from(&fresh.facilitator);
    let mut added = 0;
    for e in &fresh.events {
        if let Some(i) = (0..used.len()).find(|&i| !used[i] && same(&stored.events[i], e)) {
            used[i] = true;
            continue;
        }
        let mut e = e.clone();
        e.t = e.t.max(last);
        out.events.push(e);
        added += 1;
    }
    (out, added)
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn a_wait_takes_seconds_minutes_or_hours_up_to_a_day() {
        for (text, secs) in [
            ("90s", 90),
            ("5m", 300),
            ("1h", 3600),
            ("2 m", 120),
            ("24h", 86_400),
        ] {
            assert_eq!(duration(text), Some(secs), "{text}");
        }
        for bad in ["25h", "1d", "1h30m", "m", "soon", "-5s"] {
            assert_eq!(duration(bad), None, "{bad}");
        }
    }
}
