//! Handing commercial permissions to İYS (the commercial electronic message system). A
//! permission a person gave must be recorded in İYS within three business days of the day
//! they gave it; İYS refuses an older one ("3 iş gününden eski consent gönderilemez"). Rehber
//! keeps every commercial answer as pending until an administrator marks it as uploaded,
//! and this module says by which day it is due and how it reads in İYS's bulk file.
//!
//! Business days are Monday to Friday except Turkey's public holidays. The holidays on fixed
//! dates are known here; the religious holidays move with the lunar calendar every year, so
//! an administrator lists them (with the half days before them, if they count).

use crate::consent::{ConsentChannel, ConsentStatus};
use crate::error::Error;
use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::{TimeZone, offset};

/// Business days İYS allows between the day a permission was given and its recording.
pub const IYS_BUSINESS_DAYS: u8 = 3;

/// Turkey's public holidays on fixed dates, as (month, day): New Year, National Sovereignty
/// and Children's Day, Labour Day, Youth and Sports Day, Democracy and National Unity Day,
/// Victory Day, Republic Day.
pub const FIXED_HOLIDAYS: [(i8, i8); 7] =
    [(1, 1), (4, 23), (5, 1), (5, 19), (7, 15), (8, 30), (10, 29)];

/// The most holidays an administrator may list.
pub const MAX_HOLIDAYS: usize = 200;

/// The columns of İYS's bulk file, in its own field names.
pub const IYS_FILE_HEADER: [&str; 6] = [
    "type",
    "source",
    "recipient",
    "status",
    "consentDate",
    "recipientType",
];

/// Whether `day` is a business day: a weekday that is neither a fixed holiday nor one of
/// `holidays`.
pub fn is_business_day(day: Date, holidays: &[Date]) -> bool {
    let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
    let fixed = FIXED_HOLIDAYS.contains(&(day.month(), day.day()));
    !weekend && !fixed && !holidays.contains(&day)
}

/// The last day a permission given on `given` may be recorded in İYS: the third business
/// day after it.
pub fn iys_deadline(given: Date, holidays: &[Date]) -> Date {
    let mut day = given;
    let mut counted = 0;
    while counted < IYS_BUSINESS_DAYS {
        // A date past the end of the calendar keeps its last day; no answer is given there.
        let Ok(next) = day.tomorrow() else {
            return day;
        };
        day = next;
        if is_business_day(day, holidays) {
            counted += 1;
        }
    }
    day
}

/// Turkey's time: UTC+3 all year since 2016, which İYS's dates are read in.
fn turkey() -> TimeZone {
    TimeZone::fixed(offset(3))
}

/// The day in Turkey an answer was given.
pub fn turkish_date(given_at: Timestamp) -> Date {
    given_at.to_zoned_datetime(turkey()).date()
}

/// A moment as İYS writes it: `YYYY-MM-DD HH:mm:ss`, Turkey's time.
pub fn iys_datetime(given_at: Timestamp) -> String {
    given_at
        .to_zoned_datetime(turkey())
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Who a permission is from, as İYS tells them apart. Rehber's people are individuals; a
/// merchant's permission (`TACIR`) is not asked for before a message, so it is not sent.
pub const RECIPIENT_TYPE: &str = "BIREYSEL";

/// One line of İYS's bulk file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IysLine {
    /// `EPOSTA`, `MESAJ` or `ARAMA`.
    pub channel: &'static str,
    pub source: String,
    /// The e-mail address, or the phone as `+90…`.
    pub recipient: String,
    /// `ONAY` or `RET`.
    pub status: &'static str,
    pub consent_date: String,
    pub recipient_type: &'static str,
}

impl IysLine {
    pub fn new(
        channel: ConsentChannel,
        status: ConsentStatus,
        source: &str,
        recipient: &str,
        given_at: Timestamp,
    ) -> IysLine {
        IysLine {
            channel: channel.iys_name(),
            source: source.to_string(),
            recipient: recipient.to_string(),
            status: status.iys_name(),
            consent_date: iys_datetime(given_at),
            recipient_type: RECIPIENT_TYPE,
        }
    }

    /// The line's cells, in the order of [`IYS_FILE_HEADER`].
    pub fn cells(&self) -> [&str; 6] {
        [
            self.channel,
            &self.source,
            &self.recipient,
            self.status,
            &self.consent_date,
            self.recipient_type,
        ]
    }
}

/// The holidays an administrator typed: dates as `YYYY-MM-DD`, separated by commas, spaces
/// or lines; sorted, each once. A date that does not read is refused on `holidays`.
pub fn parse_holidays(text: &str) -> Result<Vec<Date>, Error> {
    let mut days = Vec::new();
    for word in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        let day: Date = word
            .parse()
            .map_err(|_| Error::field("holidays", "invalid-holiday-date"))?;
        days.push(day);
    }
    days.sort();
    days.dedup();
    if days.len() > MAX_HOLIDAYS {
        return Err(Error::field("holidays", "invalid-too-many-holidays"));
    }
    Ok(days)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn three_business_days_skip_the_weekend() {
        // Thursday 2026-12-03 → Friday, Monday, Tuesday.
        assert_eq!(iys_deadline(date(2026, 12, 3), &[]), date(2026, 12, 8));
        // Given on a Saturday: Monday, Tuesday, Wednesday.
        assert_eq!(iys_deadline(date(2026, 12, 5), &[]), date(2026, 12, 9));
        // Monday → Thursday.
        assert_eq!(iys_deadline(date(2026, 12, 7), &[]), date(2026, 12, 10));
    }

    #[test]
    fn fixed_and_listed_holidays_are_not_business_days() {
        // Tuesday 2026-10-27: Wednesday, (Thursday 29 October is Republic Day), Friday, Monday.
        assert_eq!(iys_deadline(date(2026, 10, 27), &[]), date(2026, 11, 2));
        // A religious holiday listed by the administrator moves the day on.
        let bayram = [date(2026, 12, 9)];
        assert_eq!(iys_deadline(date(2026, 12, 7), &bayram), date(2026, 12, 11));
        assert!(!is_business_day(date(2027, 1, 1), &[]));
        assert!(is_business_day(date(2026, 12, 31), &[]));
    }

    #[test]
    fn dates_are_read_in_turkish_time() {
        let late = "2026-12-03T22:30:00Z".parse::<Timestamp>().unwrap();
        assert_eq!(turkish_date(late), date(2026, 12, 4));
        assert_eq!(iys_datetime(late), "2026-12-04 01:30:00");
    }

    #[test]
    fn a_line_names_channel_and_status_as_iys_does() {
        let given = "2026-11-01T07:00:00Z".parse::<Timestamp>().unwrap();
        let line = IysLine::new(
            ConsentChannel::Sms,
            ConsentStatus::Denied,
            "HS_CAGRI_MERKEZI",
            "+905321112233",
            given,
        );
        assert_eq!(
            line.cells(),
            [
                "MESAJ",
                "HS_CAGRI_MERKEZI",
                "+905321112233",
                "RET",
                "2026-11-01 10:00:00",
                "BIREYSEL"
            ]
        );
    }

    #[test]
    fn holidays_are_read_from_a_typed_list() {
        assert_eq!(
            parse_holidays("2027-03-20, 2026-12-09\n2027-03-20;").unwrap(),
            vec![date(2026, 12, 9), date(2027, 3, 20)]
        );
        assert!(parse_holidays("").unwrap().is_empty());
        let error = parse_holidays("2026-13-01").unwrap_err();
        assert_eq!(error, Error::field("holidays", "invalid-holiday-date"));
    }
}
