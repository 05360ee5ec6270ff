//! Exchange rates: read by everyone signed in (boards and documents convert with them),
//! entered by administrators and sales managers by hand or as the central bank's daily XML
//! file (TCMB `today.xml`, or a past day's file from its archive), whose "Döviz alış"
//! (ForexBuying) rates Rehber keeps, per one unit of each currency.

use crate::App;
use crate::error::AppResult;
use crate::products::may_edit_products;
use jiff::civil::Date;
use quick_xml::events::Event;
use rehber_domain::money::is_currency;
use rehber_domain::rate::parse_rate;
use rehber_domain::{Actor, Error, FieldErrors};
use rehber_store::{AuditChange, AuditEntry, ExchangeRate};

/// The most rates one list shows.
pub const MAX_RATE_LIST: u64 = 500;

fn entry(actor: &Actor, rates: &[ExchangeRate]) -> AuditEntry {
    AuditEntry {
        actor: Some(actor.user_id),
        record_type: "exchange_rate",
        record_id: 0,
        action: "updated",
        changes: rates
            .iter()
            .map(|r| AuditChange {
                field: format!("{} {}", r.currency, r.date),
                from: String::new(),
                to: rehber_domain::rate::rate_text(r.rate_e6),
            })
            .collect(),
    }
}

fn editors_only(actor: &Actor) -> AppResult<()> {
    if may_edit_products(actor) {
        Ok(())
    } else {
        Err(Error::Forbidden.into())
    }
}

/// The latest rate on or before a day of each currency met, looked up once each: how the
/// board and the forecast convert amounts into TRY and say which rates they used and which
/// currencies had none.
pub(crate) struct RateBook {
    day: Date,
    /// By currency: `(day, TRY per unit × 10^6)`, `None` when there is no rate.
    pub(crate) known: std::collections::HashMap<String, Option<(Date, i64)>>,
}

impl RateBook {
    pub(crate) fn on(day: Date) -> RateBook {
        RateBook {
            day,
            known: std::collections::HashMap::new(),
        }
    }

    /// Looks `currency`'s rate up unless already known (TRY needs none).
    pub(crate) async fn learn(&mut self, app: &App, currency: &str) -> AppResult<()> {
        if currency != "TRY" && !self.known.contains_key(currency) {
            let rate = app.store.rate_on(currency, self.day).await?;
            self.known
                .insert(currency.to_string(), rate.map(|r| (r.date, r.rate_e6)));
        }
        Ok(())
    }

    /// `minor` of `currency` in TRY; `None` without a rate.
    pub(crate) async fn in_try(
        &mut self,
        app: &App,
        minor: i64,
        currency: &str,
    ) -> AppResult<Option<i64>> {
        if currency == "TRY" {
            return Ok(Some(minor));
        }
        self.learn(app, currency).await?;
        Ok(self
            .known
            .get(currency)
            .copied()
            .flatten()
            .map(|(_, rate)| rehber_domain::rate::to_try(minor, rate).unwrap_or(i64::MAX)))
    }

    /// The currencies met without a rate, in order.
    pub(crate) fn missing(&self) -> Vec<String> {
        let mut missing: Vec<String> = self
            .known
            .iter()
            .filter(|(_, rate)| rate.is_none())
            .map(|(currency, _)| currency.clone())
            .collect();
        missing.sort();
        missing
    }

    /// The rates used, by currency, in order.
    pub(crate) fn used(&self) -> Vec<(String, Date, i64)> {
        let mut used: Vec<(String, Date, i64)> = self
            .known
            .iter()
            .filter_map(|(currency, rate)| rate.map(|(day, r)| (currency.clone(), day, r)))
            .collect();
        used.sort();
        used
    }
}

impl App {
    /// The most recent rates, newest day first.
    pub async fn exchange_rates(&self, _actor: &Actor) -> AppResult<Vec<ExchangeRate>> {
        Ok(self.store.recent_rates(MAX_RATE_LIST).await?)
    }

    /// Enters one rate by hand: `rate` TRY for one unit of `currency` on `date`.
    pub async fn put_rate(
        &self,
        actor: &Actor,
        currency: &str,
        date: &str,
        rate: &str,
    ) -> AppResult<ExchangeRate> {
        editors_only(actor)?;
        let mut errors = FieldErrors::new();
        let currency = currency.trim().to_ascii_uppercase();
        if !is_currency(&currency) || currency == "TRY" {
            errors.add("currency", "invalid-currency");
        }
        let date = date.trim().parse::<Date>().ok();
        let date = date.filter(|d| *d <= self.today() && d.year() >= 1990);
        if date.is_none() {
            errors.add("date", "invalid-date");
        }
        let rate = parse_rate(rate, 1);
        if rate.is_none() {
            errors.add("rate", "invalid-rate");
        }
        let (Some(date), Some(rate_e6)) = (date, rate) else {
            return Err(Error::Validation(errors).into());
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors).into());
        }
        let rate = ExchangeRate {
            currency,
            date,
            rate_e6,
            source: "manual".into(),
        };
        let rates = [rate.clone()];
        self.store
            .put_rates(&rates, Some(actor.user_id), entry(actor, &rates))
            .await?;
        Ok(rate)
    }

    /// Reads the central bank's daily file and keeps its rates for its day; returns them.
    pub async fn import_tcmb_rates(
        &self,
        actor: &Actor,
        xml: &[u8],
    ) -> AppResult<Vec<ExchangeRate>> {
        editors_only(actor)?;
        let rates = parse_tcmb(xml).map_err(|_| Error::field("file", "invalid-rates-file"))?;
        if rates.is_empty() {
            return Err(Error::field("file", "invalid-rates-file").into());
        }
        self.store
            .put_rates(&rates, Some(actor.user_id), entry(actor, &rates))
            .await?;
        Ok(rates)
    }
}

/// Why a file is not a daily rate file.
#[derive(Debug, PartialEq, Eq)]
pub struct NotARateFile;

/// The rates of a TCMB daily file: its `Tarih_Date` element's `Date` (`MM/DD/YYYY`) and,
/// per `Currency`, its `CurrencyCode`, `Unit` and `ForexBuying` (currencies without one,
/// such as the SDR, are left out).
pub fn parse_tcmb(xml: &[u8]) -> Result<Vec<ExchangeRate>, NotARateFile> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().trim_text(true);
    let mut buffer = Vec::new();
    let mut day: Option<Date> = None;
    let mut rates = Vec::new();
    let mut currency: Option<String> = None;
    let mut unit = 1i64;
    let mut element = String::new();
    let mut forex: Option<String> = None;
    loop {
        match reader
            .read_event_into(&mut buffer)
            .map_err(|_| NotARateFile)?
        {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let attribute = |key: &str| -> Option<String> {
                    start
                        .try_get_attribute(key)
                        .ok()
                        .flatten()
                        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
                };
                match name.as_str() {
                    "Tarih_Date" => day = attribute("Date").and_then(|d| us_date(&d)),
                    "Currency" => {
                        currency = attribute("CurrencyCode");
                        unit = 1;
                        forex = None;
                    }
                    _ => {}
                }
                element = name;
            }
            Event::Text(text) => {
                let value = text.decode().map_err(|_| NotARateFile)?.trim().to_string();
                match element.as_str() {
                    "Unit" => unit = value.parse().unwrap_or(1),
                    "ForexBuying" => forex = Some(value),
                    _ => {}
                }
            }
            Event::End(end) => {
                if end.name().as_ref() == b"Currency" {
                    let day = day.ok_or(NotARateFile)?;
                    if let (Some(code), Some(forex)) = (currency.take(), forex.take())
                        && is_currency(&code)
                        && let Some(rate_e6) = parse_rate(&forex, unit)
                    {
                        rates.push(ExchangeRate {
                            currency: code,
                            date: day,
                            rate_e6,
                            source: "tcmb".into(),
                        });
                    }
                }
                element.clear();
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if day.is_none() {
        return Err(NotARateFile);
    }
    Ok(rates)
}

/// `MM/DD/YYYY` as the file writes its `Date`.
fn us_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().split('/');
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    let year = parts.next()?.parse().ok()?;
    Date::new(year, month, day).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../tests/data/tcmb-today.xml");

    #[test]
    fn the_daily_file_gives_each_currency_per_one_unit() {
        let rates = parse_tcmb(SAMPLE.as_bytes()).unwrap();
        let rate = |code: &str| rates.iter().find(|r| r.currency == code).map(|r| r.rate_e6);
        assert_eq!(rate("USD"), Some(42_491_500));
        assert_eq!(rate("EUR"), Some(49_412_300));
        // Quoted per 100 yen.
        assert_eq!(rate("JPY"), Some(273_820));
        // The SDR is not a currency anything is priced in.
        assert_eq!(rate("XDR"), None);
        assert!(
            rates
                .iter()
                .all(|r| r.date == jiff::civil::date(2026, 12, 4))
        );
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(
            parse_tcmb(b"<html><body>hata</body></html>"),
            Err(NotARateFile)
        );
        assert_eq!(parse_tcmb(b"\xff\xfe not xml <"), Err(NotARateFile));
        assert_eq!(parse_tcmb(b""), Err(NotARateFile));
    }
}
