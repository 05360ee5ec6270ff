//! Languages: Turkish and English from Fluent files embedded at build time
//! (`crates/web-core/locales/{tr,en}/*.ftl`), the choice of language per request, and
//! locale-correct formatting of dates, numbers and money.

use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use std::collections::HashMap;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Fluent wraps arguments in invisible isolation marks by default; they break tests,
        // copy-paste and plain-text e-mails, and Rehber has no right-to-left languages.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static TR: LanguageIdentifier = langid!("tr");
static EN: LanguageIdentifier = langid!("en");

/// A user interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Tr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Tr => "tr",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().get(..2) {
            Some("tr") => Some(Lang::Tr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header (by quality), Turkish
    /// when none is supported.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::default();
        };
        let mut choices: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                    })
                    .unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0));
        choices.first().map(|(_, lang)| *lang).unwrap_or_default()
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Tr => &TR,
            Lang::En => &EN,
        }
    }

    /// The translation of a message key (the key itself when missing, so gaps are visible).
    pub fn t(self, key: &str) -> String {
        LOCALES
            .try_lookup(self.id(), key)
            .unwrap_or_else(|| key.to_string())
    }

    /// A translation with named arguments.
    pub fn t_args(self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<
            std::borrow::Cow<'static, str>,
            fluent_templates::fluent_bundle::FluentValue<'_>,
        > = args
            .iter()
            .map(|(k, v)| (std::borrow::Cow::Owned((*k).to_string()), v.clone().into()))
            .collect();
        LOCALES
            .try_lookup_with_args(self.id(), key, &map)
            .unwrap_or_else(|| key.to_string())
    }

    /// Whether a key exists in this language (used by the completeness test).
    pub fn has(self, key: &str) -> bool {
        // In this language only (no fallback to English), and a message that needs arguments
        // counts as present: looked up without them it fails to format, not to be found.
        match LOCALES.lookup_single_language::<&str>(self.id(), key, None) {
            Ok(_) => true,
            Err(error) => format!("{error:?}").starts_with("FluentError"),
        }
    }

    /// An integer with the locale's grouping (1.234.567 in Turkish, 1,234,567 in English).
    pub fn number(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let sep = match self {
            Lang::Tr => '.',
            Lang::En => ',',
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    }

    /// An amount from minor units as a user types it back, without its currency:
    /// `1.250.000,50` / `1,250,000.50`.
    pub fn amount(self, minor: i64) -> String {
        let whole = self.number(minor / 100);
        let cents = (minor % 100).unsigned_abs();
        let sign = if minor < 0 && minor / 100 == 0 {
            "-"
        } else {
            ""
        };
        match self {
            Lang::Tr => format!("{sign}{whole},{cents:02}"),
            Lang::En => format!("{sign}{whole}.{cents:02}"),
        }
    }

    /// A decimal written with a dot (`2.5`) in the language's decimal mark (`2,5`).
    pub fn decimal(self, text: &str) -> String {
        match self {
            Lang::Tr => text.replace('.', ","),
            Lang::En => text.to_string(),
        }
    }

    /// A unit by its UN/ECE code in words (`C62` is `Adet`), else the code.
    pub fn unit(self, code: &str) -> String {
        let key = format!("unit-{}", code.to_ascii_lowercase());
        if self.has(&key) {
            self.t(&key)
        } else {
            code.to_string()
        }
    }

    /// Money from minor units: `₺1.250.000,50` / `TRY 1,250,000.50`.
    pub fn money(self, minor: i64, currency: &str) -> String {
        let whole = self.number(minor / 100);
        let cents = (minor % 100).unsigned_abs();
        let sign = if minor < 0 && minor / 100 == 0 {
            "-"
        } else {
            ""
        };
        match self {
            Lang::Tr => {
                let symbol = match currency {
                    "TRY" => "₺",
                    "EUR" => "€",
                    "USD" => "$",
                    other => return format!("{sign}{whole},{cents:02} {other}"),
                };
                format!("{symbol}{sign}{whole},{cents:02}")
            }
            Lang::En => format!("{currency} {sign}{whole}.{cents:02}"),
        }
    }

    /// A date: `23.11.2026` / `23 Nov 2026`.
    pub fn date(self, date: jiff::civil::Date) -> String {
        match self {
            Lang::Tr => format!("{:02}.{:02}.{}", date.day(), date.month(), date.year()),
            Lang::En => {
                const MONTHS: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                let month = MONTHS
                    .get(usize::try_from(date.month() - 1).unwrap_or(0))
                    .copied()
                    .unwrap_or("");
                format!("{} {month} {}", date.day(), date.year())
            }
        }
    }

    /// A moment in the home time zone: `23.11.2026 14:05` / `23 Nov 2026, 14:05`.
    pub fn datetime(self, at: jiff::Timestamp) -> String {
        let local = at.to_zoned_datetime(rehber_app::home_zone());
        let time = format!("{:02}:{:02}", local.hour(), local.minute());
        match self {
            Lang::Tr => format!("{} {time}", self.date(local.date())),
            Lang::En => format!("{}, {time}", self.date(local.date())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(
            Lang::from_accept_language(Some("en-US,en;q=0.9,tr;q=0.8")),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language(Some("de-DE,tr;q=0.5,en;q=0.4")),
            Lang::Tr
        );
        assert_eq!(Lang::from_accept_language(Some("fr")), Lang::Tr);
        assert_eq!(Lang::from_accept_language(None), Lang::Tr);
    }

    #[test]
    fn numbers_money_and_dates_follow_the_locale() {
        assert_eq!(Lang::Tr.number(1_234_567), "1.234.567");
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::Tr.money(125_000_050, "TRY"), "₺1.250.000,50");
        assert_eq!(Lang::En.money(125_000_050, "TRY"), "TRY 1,250,000.50");
        let d = jiff::civil::date(2026, 11, 3);
        assert_eq!(Lang::Tr.date(d), "03.11.2026");
        assert_eq!(Lang::En.date(d), "3 Nov 2026");
    }
}
