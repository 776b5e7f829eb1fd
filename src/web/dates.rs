//! Dates as pages show them, written directly: chrono's `format` parses its pattern again on
//! every call, which is a visible share of a list page's time.

use chrono::{Datelike, NaiveDateTime, Timelike};

/// "2026-11-26 04:21 UTC" (`%Y-%m-%d %H:%M UTC`): the one way pages show a moment.
pub fn minute(at: &NaiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// "2026-11-26" (`%Y-%m-%d`): a day, where the moment does not matter (a library card).
pub fn day(at: &NaiveDateTime) -> String {
    format!("{:04}-{:02}-{:02}", at.year(), at.month(), at.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_written_dates_match_chronos_patterns() {
        for (y, m, d, h, min) in [
            (2026, 1, 5, 4, 7),
            (999, 12, 31, 23, 59),
            (2026, 11, 26, 0, 0),
        ] {
            let at = NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|day| day.and_hms_opt(h, min, 30))
                .expect("a valid date");
            assert_eq!(minute(&at), at.format("%Y-%m-%d %H:%M UTC").to_string());
            assert_eq!(day(&at), at.format("%Y-%m-%d").to_string());
        }
    }
}
