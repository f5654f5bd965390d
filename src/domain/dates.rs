//! Calendar dates as the bureau uses them: Beijing time, ISO 8601, not before 1900.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

use super::FieldError;

/// China Standard Time has been UTC+8 without daylight saving since 1992, so a fixed offset is
/// exact for every "today" the registry computes and avoids shipping a time-zone database.
const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// The offset of Asia/Shanghai.
pub fn shanghai_offset() -> FixedOffset {
    SHANGHAI
}

/// The calendar date in Asia/Shanghai at the instant `now`.
pub fn date_in_shanghai(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&shanghai_offset()).date_naive()
}

/// The earliest date any record may carry.
pub fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Parses `YYYY-MM-DD` exactly: padded ASCII digits, a real calendar day, not before 1900.
pub fn parse_date(field: &str, raw: &str) -> Result<NaiveDate, FieldError> {
    let bytes = raw.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return Err(FieldError::new(
            field,
            "invalid_date",
            format!("must be a date written YYYY-MM-DD, got {raw:?}"),
        ));
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            "invalid_date",
            format!("{raw} is not a day of the calendar"),
        )
    })?;
    if date < earliest_date() {
        return Err(FieldError::new(
            field,
            "too_early",
            format!("{raw} is before 1900-01-01"),
        ));
    }
    Ok(date)
}

/// Parses a date that must not lie after `today` (a founding date, a closing date).
pub fn parse_past_date(field: &str, raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let date = parse_date(field, raw)?;
    if date > today {
        return Err(FieldError::new(
            field,
            "in_the_future",
            format!("{raw} is after today ({today})"),
        ));
    }
    Ok(date)
}

/// Checks a fiscal year: from 1900 up to the current year.
pub fn check_fiscal_year(field: &str, year: i32, today: NaiveDate) -> Result<i32, FieldError> {
    if year < 1900 || year > today.year() {
        return Err(FieldError::new(
            field,
            "invalid_fiscal_year",
            format!("must be between 1900 and {}, got {year}", today.year()),
        ));
    }
    Ok(year)
}

/// The default expiry of a certificate: three years after issue, less one day; 29 February
/// falls back to 28 February when the third year is not a leap year.
pub fn three_years_less_a_day(issued_on: NaiveDate) -> NaiveDate {
    let year = issued_on.year() + 3;
    let anniversary = NaiveDate::from_ymd_opt(year, issued_on.month(), issued_on.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(issued_on);
    anniversary.pred_opt().unwrap_or(anniversary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn padded_iso_dates_parse() {
        assert_eq!(parse_date("founded_on", "1994-03-01"), Ok(d("1994-03-01")));
        assert_eq!(parse_date("founded_on", "2024-02-29"), Ok(d("2024-02-29")));
    }

    #[test]
    fn impossible_unpadded_full_width_and_timestamp_dates_are_refused() {
        for raw in [
            "2023-02-29",
            "2023-2-1",
            "２０２３-０１-０１",
            "2023-01-01T00:00:00Z",
            "2023/01/01",
            "",
        ] {
            let err = parse_date("founded_on", raw).expect_err(raw);
            assert_eq!(
                (err.field.as_str(), err.code),
                ("founded_on", "invalid_date"),
                "{raw}"
            );
        }
    }

    #[test]
    fn dates_before_1900_and_in_the_future_are_refused() {
        assert_eq!(
            parse_date("f", "1899-12-31").map_err(|e| e.code),
            Err("too_early")
        );
        let today = d("2026-11-27");
        assert_eq!(
            parse_past_date("f", "2026-11-28", today).map_err(|e| e.code),
            Err("in_the_future")
        );
        assert_eq!(parse_past_date("f", "2026-11-27", today), Ok(today));
    }

    #[test]
    fn today_is_counted_in_beijing_time() {
        let late_utc = DateTime::parse_from_rfc3339("2026-11-27T16:30:00Z")
            .expect("instant")
            .with_timezone(&Utc);
        assert_eq!(date_in_shanghai(late_utc), d("2026-11-28"));
    }

    #[test]
    fn certificates_last_three_years_less_a_day() {
        assert_eq!(three_years_less_a_day(d("2023-12-08")), d("2026-12-07"));
        assert_eq!(three_years_less_a_day(d("2024-02-29")), d("2027-02-28"));
    }

    #[test]
    fn fiscal_years_run_from_1900_to_this_year() {
        let today = d("2026-11-27");
        assert!(check_fiscal_year("fiscal_year", 0, today).is_err());
        assert!(check_fiscal_year("fiscal_year", 2027, today).is_err());
        assert_eq!(check_fiscal_year("fiscal_year", 2026, today), Ok(2026));
    }
}
