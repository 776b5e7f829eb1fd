//! Dates as pages show them, written directly: chrono's `format` parses its pattern again on
//! every call, which is a visible share of a list page's time.

use chrono::{Datelike, NaiveDateTime, Timelike};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "2026-11-26 04:21" (`%Y-%m-%d %H:%M`).
pub fn minute(at: &NaiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// "November 26, 2026" (`%B %-d, %Y`).
pub fn long_date(at: &NaiveDateTime) -> String {
    let month = MONTHS
        .get(at.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{month} {}, {:04}", at.day(), at.year())
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
            assert_eq!(minute(&at), at.format("%Y-%m-%d %H:%M").to_string());
            assert_eq!(long_date(&at), at.format("%B %-d, %Y").to_string());
        }
    }
}
