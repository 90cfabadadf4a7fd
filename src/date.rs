//! Calendar dates in ISO 8601 form (`2020-10-01`), checked to exist.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// Why a text is not a date, worded for the author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not in the `YYYY-MM-DD` shape at all.
    Shape,
    /// The right shape but no such day, like `2021-02-30`.
    NoSuchDay,
}

impl Date {
    /// Parses exactly `YYYY-MM-DD`. An ISO time after the date is not
    /// accepted: case studies are dated by day.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::Shape);
        }
        let number =
            |range: std::ops::Range<usize>| -> u16 { text[range].parse().expect("checked to be ASCII digits above") };
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        if year < 1900 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month as u8) as u16 {
            return Err(DateError::NoSuchDay);
        }
        Ok(Date { year, month: month as u8, day: day as u8 })
    }

    /// Days since 1970-01-01, for feeds and `SOURCE_DATE_EPOCH` comparisons.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01: the inverse of
    /// [`Date::days_since_epoch`]. `None` outside the years 1900 to 9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        if !(1900..=9999).contains(&year) {
            return None;
        }
        Some(Date { year: year as u16, month: month as u8, day: day as u8 })
    }
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_dates() {
        assert_eq!(Date::parse("2020-10-01"), Ok(Date { year: 2020, month: 10, day: 1 }));
        assert_eq!(Date::parse("2024-02-29").map(|d| d.to_string()), Ok("2024-02-29".into()));
    }

    #[test]
    fn rejects_other_shapes() {
        for text in ["31/12/2021", "2021-1-5", "2021-01-05T10:00", "20210105", ""] {
            assert_eq!(Date::parse(text), Err(DateError::Shape), "{text}");
        }
    }

    #[test]
    fn rejects_days_that_do_not_exist() {
        for text in ["2021-02-29", "2021-13-01", "2021-04-31", "2021-00-10", "1066-10-14"] {
            assert_eq!(Date::parse(text), Err(DateError::NoSuchDay), "{text}");
        }
    }

    #[test]
    fn counts_days_since_epoch() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(Date::parse("2000-03-01").unwrap().days_since_epoch(), 11_017);
    }

    #[test]
    fn days_since_epoch_round_trips() {
        for text in ["1970-01-01", "2000-02-29", "2000-03-01", "2024-12-31", "1900-01-01", "2100-03-01"] {
            let date = Date::parse(text).unwrap();
            assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), Some(date), "{text}");
        }
        assert_eq!(Date::from_days_since_epoch(-1).map(|d| d.to_string()).as_deref(), Some("1969-12-31"));
        assert_eq!(Date::from_days_since_epoch(-100_000), None);
    }
}
