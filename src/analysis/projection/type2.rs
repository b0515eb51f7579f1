//! The projected SOC 2 Type II report date. The audit's own report date is used as given when
//! it records one on or after its window's end; only a date not given is derived (window end +
//! [`REPORT_LAG_DAYS`]; with no window, the Type I date + [`DEFAULT_WINDOW_MONTHS`] + the lag).
//! Each step adds its line to `why`.

use super::{DEFAULT_WINDOW_MONTHS, Ledger, REPORT_LAG_DAYS, words};
use crate::analysis::ControlState;
use crate::domain::Date;
use chrono::{Days, Months};

/// The Type II report date and the opinion caveat, if any.
pub(super) fn project(
    ledger: Option<&Ledger>,
    states: &[ControlState],
    type1_ready: Option<Date>,
    why: &mut Vec<String>,
) -> (Option<Date>, Option<String>) {
    if let Some(l) = ledger {
        let d = if let Some(r) = l.report_date.filter(|r| *r >= l.window_end) {
            why.push(format!(
                "Type II report {r}: the report date {} records for window {}..{}",
                l.audit, l.window_start, l.window_end
            ));
            r
        } else {
            let d = l
                .window_end
                .checked_add_days(Days::new(REPORT_LAG_DAYS))
                .unwrap_or(l.window_end);
            why.push(format!(
                "Type II report {d}: window {}..{} ({}) ends, plus {REPORT_LAG_DAYS} days{}",
                l.window_start,
                l.window_end,
                l.audit,
                if l.report_date.is_some() {
                    " (its recorded report date falls before the window ends)"
                } else {
                    " (no report date recorded)"
                }
            ));
            d
        };
        let caveat = words::caveat(l, states);
        if let Some(c) = &caveat {
            why.push(c.clone());
        }
        (Some(d), caveat)
    } else if let Some(t1) = type1_ready {
        let d = t1
            .checked_add_months(Months::new(DEFAULT_WINDOW_MONTHS))
            .and_then(|x| x.checked_add_days(Days::new(REPORT_LAG_DAYS)))
            .unwrap_or(t1);
        why.push(format!("Type II report {d}: no window planned; Type I date + {DEFAULT_WINDOW_MONTHS} months + {REPORT_LAG_DAYS} days"));
        (Some(d), None)
    } else {
        why.push(
            "Type II report: no date: no window is planned and there is no Type I date".to_owned(),
        );
        (None, None)
    }
}
