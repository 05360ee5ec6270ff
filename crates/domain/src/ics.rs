//! iCalendar (RFC 5545) text for a personal calendar feed: events at instants in UTC, or on
//! dates (all-day), with escaped text and lines folded at 75 octets, CRLF-terminated.

use jiff::Timestamp;
use jiff::civil::Date;

/// When an event happens: at an instant (written in UTC), or on a date (all day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IcsTime {
    At(Timestamp),
    Day(Date),
}

/// One event of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Unique and stable across refreshes (`activity-12@rehber`).
    pub uid: String,
    pub start: IcsTime,
    /// An instant's end, or the day after an all-day event's last day (exclusive).
    pub end: Option<IcsTime>,
    pub summary: String,
    pub description: String,
    pub location: String,
    /// The event's last change (`LAST-MODIFIED`).
    pub updated: Timestamp,
}

/// A whole calendar: its name and events, written at `now` (`DTSTAMP`).
pub fn render(name: &str, events: &[IcsEvent], now: Timestamp) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Rehber//Rehber CRM//TR");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for event in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape(&event.uid)));
        line(&mut out, &format!("DTSTAMP:{}", utc(now)));
        line(&mut out, &time("DTSTART", event.start));
        if let Some(end) = event.end {
            line(&mut out, &time("DTEND", end));
        }
        line(&mut out, &format!("LAST-MODIFIED:{}", utc(event.updated)));
        line(&mut out, &format!("SUMMARY:{}", escape(&event.summary)));
        if !event.description.is_empty() {
            line(
                &mut out,
                &format!("DESCRIPTION:{}", escape(&event.description)),
            );
        }
        if !event.location.is_empty() {
            line(&mut out, &format!("LOCATION:{}", escape(&event.location)));
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// `20261207T063000Z`.
fn utc(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn time(name: &str, at: IcsTime) -> String {
    match at {
        IcsTime::At(at) => format!("{name}:{}", utc(at)),
        IcsTime::Day(date) => format!("{name};VALUE=DATE:{}", date.strftime("%Y%m%d")),
    }
}

/// TEXT escaping: backslash, semicolon, comma, and line breaks as `\n`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a character), CRLF-terminated.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_feed_has_utc_times_all_day_dates_and_escaped_text() {
        let events = [
            IcsEvent {
                uid: "activity-7@rehber".into(),
                start: IcsTime::At(at("2026-12-07T14:00:00+03:00")),
                end: Some(IcsTime::At(at("2026-12-07T15:00:00+03:00"))),
                summary: "Ziyaret: Anadolu Tekstil A.Ş., Bursa; numune".into(),
                description: "Satır 1\nSatır 2".into(),
                location: "Nilüfer".into(),
                updated: at("2026-12-04T10:00:00Z"),
            },
            IcsEvent {
                uid: "task-3@rehber".into(),
                start: IcsTime::Day("2026-12-08".parse().unwrap()),
                end: Some(IcsTime::Day("2026-12-09".parse().unwrap())),
                summary: "Teklifi ara".into(),
                description: String::new(),
                location: String::new(),
                updated: at("2026-12-04T10:00:00Z"),
            },
        ];
        let text = render("Rehber — Ayşe", &events, at("2026-12-04T12:00:00Z"));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20261207T110000Z\r\nDTEND:20261207T120000Z\r\n"));
        assert!(text.contains("DTSTAMP:20261204T120000Z\r\n"));
        assert!(text.contains("SUMMARY:Ziyaret: Anadolu Tekstil A.Ş.\\, Bursa\\; numune\r\n"));
        assert!(text.contains("DESCRIPTION:Satır 1\\nSatır 2\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261208\r\nDTEND;VALUE=DATE:20261209\r\n"));
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "every line ends in CRLF"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_letter() {
        let mut out = String::new();
        let summary = format!("SUMMARY:{}", "ğ".repeat(60));
        line(&mut out, &summary);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), summary);
    }
}
