//! Calendar periods of a cadence, clipped to a window: ISO weeks (Monday-Sunday), calendar
//! months, quarters, half-years and years; continuous and daily are single days.
//! `on_event` has no periods.

use crate::domain::{Cadence, Date};
use chrono::{Datelike, Days, Months};

/// The first day of the period of `cadence` that contains `d`.
fn period_start(cadence: Cadence, d: Date) -> Option<Date> {
    let month0 = |m: u32| Date::from_ymd_opt(d.year(), m, 1);
    match cadence {
        Cadence::Continuous | Cadence::Daily => Some(d),
        Cadence::Weekly => {
            d.checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))
        }
        Cadence::Monthly => month0(d.month()),
        Cadence::Quarterly => month0((d.month0() / 3) * 3 + 1),
        Cadence::Semiannual => month0((d.month0() / 6) * 6 + 1),
        Cadence::Annual => month0(1),
        Cadence::OnEvent => None,
    }
}

/// The first day of the next period after the one starting at `start`.
fn next_start(cadence: Cadence, start: Date) -> Option<Date> {
    match cadence {
        Cadence::Continuous | Cadence::Daily => start.checked_add_days(Days::new(1)),
        Cadence::Weekly => start.checked_add_days(Days::new(7)),
        Cadence::Monthly => start.checked_add_months(Months::new(1)),
        Cadence::Quarterly => start.checked_add_months(Months::new(3)),
        Cadence::Semiannual => start.checked_add_months(Months::new(6)),
        Cadence::Annual => start.checked_add_months(Months::new(12)),
        Cadence::OnEvent => None,
    }
}

/// The periods of `cadence` that overlap `[start, end]`, each clipped to it, in order.
pub fn periods(cadence: Cadence, start: Date, end: Date) -> Vec<(Date, Date)> {
    let mut out = Vec::new();
    if end < start {
        return out;
    }
    let Some(mut p) = period_start(cadence, start) else {
        return out;
    };
    while p <= end {
        let Some(next) = next_start(cadence, p) else {
            break;
        };
        let last = next.pred_opt().unwrap_or(next);
        out.push((p.max(start), last.min(end)));
        p = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_are_iso_weeks_clipped_to_the_window() {
        // 2026-06-03 is a Wednesday.
        let p = periods(Cadence::Weekly, d("2026-06-03"), d("2026-06-16"));
        assert_eq!(
            p,
            vec![
                (d("2026-06-03"), d("2026-06-07")),
                (d("2026-06-08"), d("2026-06-14")),
                (d("2026-06-15"), d("2026-06-16")),
            ]
        );
    }

    #[test]
    fn quarters_and_months_follow_the_calendar() {
        let q = periods(Cadence::Quarterly, d("2026-02-15"), d("2026-07-01"));
        assert_eq!(
            q,
            vec![
                (d("2026-02-15"), d("2026-03-31")),
                (d("2026-04-01"), d("2026-06-30")),
                (d("2026-07-01"), d("2026-07-01")),
            ]
        );
        let m = periods(Cadence::Monthly, d("2028-02-01"), d("2028-03-31"));
        assert_eq!(
            m,
            vec![
                (d("2028-02-01"), d("2028-02-29")),
                (d("2028-03-01"), d("2028-03-31"))
            ]
        );
    }

    #[test]
    fn a_window_shorter_than_one_period_is_one_clipped_period() {
        let p = periods(Cadence::Annual, d("2026-06-01"), d("2026-08-31"));
        assert_eq!(p, vec![(d("2026-06-01"), d("2026-08-31"))]);
        assert!(periods(Cadence::OnEvent, d("2026-06-01"), d("2026-08-31")).is_empty());
        assert_eq!(
            periods(Cadence::Continuous, d("2024-02-28"), d("2024-03-01")).len(),
            3
        );
        assert_eq!(
            periods(Cadence::Semiannual, d("2026-01-01"), d("2026-12-31")).len(),
            2
        );
    }
}
