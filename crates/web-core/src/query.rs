//! Query parameters as the API reads them: each endpoint names the parameters it knows, and
//! every value is parsed into a typed value before anything reaches a service.
//!
//! A parameter the endpoint does not know is refused with 422 naming it (a misspelt filter
//! must not silently list every record), so is a repeated one; text with control characters
//! and values out of their documented range are refused the same way.

use rehber_domain::validate::text::check_line;
use rehber_domain::{Error, FieldErrors};

/// What was wrong with a query: values that break a rule (422), and values that are not
/// even of their type, such as `limit=abc` (400).
#[derive(Debug, Default)]
pub struct QueryErrors {
    pub invalid: FieldErrors,
    pub unreadable: FieldErrors,
}

impl QueryErrors {
    /// 400 when anything was unreadable (naming every problem), else 422, else fine.
    pub fn into_result(self) -> Result<(), Error> {
        if self.unreadable.is_empty() {
            return self.invalid.into_result();
        }
        let mut all = self.unreadable;
        all.0.extend(self.invalid.0);
        Err(Error::Unreadable(all))
    }
}

/// Put in an endpoint's known list when it takes `custom.<field>` filters.
pub const CUSTOM_PARAMS: &str = "custom.*";
const CUSTOM_PREFIX: &str = "custom.";

/// The decoded `name=value` pairs of one request's query string.
#[derive(Debug, Default)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    /// Decodes a raw query string, refusing names in none of the `known` lists, and
    /// repeated names, into `errors`.
    pub fn parse(raw: Option<&str>, known: &[&[&str]], errors: &mut QueryErrors) -> Self {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let custom = name.starts_with(CUSTOM_PREFIX)
                && name.len() > CUSTOM_PREFIX.len()
                && known.iter().any(|list| list.contains(&CUSTOM_PARAMS));
            if !custom && !known.iter().any(|list| list.contains(&name.as_ref())) {
                errors
                    .invalid
                    .add(field_name(&name), "invalid-unknown-parameter");
            } else if pairs.iter().any(|(seen, _)| *seen == name) {
                errors
                    .invalid
                    .add(name.as_ref(), "invalid-repeated-parameter");
            } else {
                pairs.push((name.into_owned(), value.into_owned()));
            }
        }
        QueryParams { pairs }
    }

    /// Decodes a raw query string as it is, whatever its names (the UI's address bar: the
    /// first of a repeated name wins where one value is read).
    pub fn parse_lenient(raw: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        QueryParams { pairs }
    }

    /// The `custom.<name>` parameters (when the endpoint takes them): each name without its
    /// prefix, with its value.
    pub fn custom(&self, errors: &mut QueryErrors) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, value) in &self.pairs {
            let Some(rest) = name.strip_prefix(CUSTOM_PREFIX) else {
                continue;
            };
            if rest.len() > 60 || value.chars().count() > 500 || check_line(value).is_err() {
                errors.invalid.add(field_name(name), "invalid-too-long");
                continue;
            }
            out.push((rest.to_string(), value.trim().to_string()));
        }
        out
    }

    fn raw(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A value as it is, trimmed (a JSON value's own whitespace, line breaks included, is
    /// allowed); empty counts as absent.
    pub fn json(&self, name: &str, max_chars: usize, errors: &mut QueryErrors) -> Option<String> {
        let value = self.raw(name)?.trim();
        if value.is_empty() {
            return None;
        }
        if value.chars().count() > max_chars {
            errors.invalid.add(name, "invalid-too-long");
            return None;
        }
        Some(value.to_string())
    }

    /// A text value, trimmed; empty counts as absent.
    pub fn text(&self, name: &str, max_chars: usize, errors: &mut QueryErrors) -> Option<String> {
        let value = self.json(name, max_chars, errors)?;
        if check_line(&value).is_err() {
            errors.invalid.add(name, "invalid-control-character");
            return None;
        }
        Some(value)
    }

    /// A whole number within `range`; empty counts as absent.
    pub fn integer(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
        errors: &mut QueryErrors,
    ) -> Option<i64> {
        let value = self.raw(name)?.trim();
        if value.is_empty() {
            return None;
        }
        match value.parse::<i64>() {
            Ok(n) if range.contains(&n) => Some(n),
            Ok(_) => {
                errors.invalid.add(name, "invalid-number");
                None
            }
            Err(_) => {
                errors.unreadable.add(name, "invalid-number");
                None
            }
        }
    }

    /// `true` or `false`; empty counts as absent.
    pub fn boolean(&self, name: &str, errors: &mut QueryErrors) -> Option<bool> {
        match self.raw(name)?.trim() {
            "" => None,
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                errors.unreadable.add(name, "invalid-boolean");
                None
            }
        }
    }
}

/// An unknown parameter's name as it is echoed in a problem document: printable and short.
fn field_name(name: &str) -> String {
    let printable: String = name.chars().filter(|c| !c.is_control()).take(100).collect();
    if printable.is_empty() {
        "(unnamed)".to_string()
    } else {
        printable
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn codes(errors: &QueryErrors) -> Vec<String> {
        errors
            .unreadable
            .0
            .iter()
            .map(|e| format!("400 {}={}", e.field, e.code))
            .chain(
                errors
                    .invalid
                    .0
                    .iter()
                    .map(|e| format!("422 {}={}", e.field, e.code)),
            )
            .collect()
    }

    #[test]
    fn unknown_and_repeated_parameters_are_named() {
        let mut errors = QueryErrors::default();
        QueryParams::parse(
            Some("q=a&q=b&compnay_id=1&limit=3"),
            &[&["q"], &["limit"]],
            &mut errors,
        );
        assert_eq!(
            codes(&errors),
            [
                "422 q=invalid-repeated-parameter",
                "422 compnay_id=invalid-unknown-parameter"
            ]
        );
    }

    #[test]
    fn values_are_decoded_and_typed() {
        let mut errors = QueryErrors::default();
        let query = QueryParams::parse(
            Some("q=I%C5%9F%C4%B1k+%C3%87a%C4%9Flar&limit=20&deleted=true&owner_id="),
            &[&["q", "limit", "deleted", "owner_id"]],
            &mut errors,
        );
        assert_eq!(query.text("q", 200, &mut errors).unwrap(), "Işık Çağlar");
        assert_eq!(query.integer("limit", 1..=200, &mut errors), Some(20));
        assert_eq!(query.boolean("deleted", &mut errors), Some(true));
        assert_eq!(query.integer("owner_id", 1..=i64::MAX, &mut errors), None);
        assert!(errors.into_result().is_ok());
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        let mut errors = QueryErrors::default();
        let query = QueryParams::parse(
            Some("q=a%00b&limit=0&deleted=yes&city=x&team_id=abc"),
            &[&["q", "limit", "deleted", "city", "team_id"]],
            &mut errors,
        );
        assert_eq!(query.text("q", 200, &mut errors), None);
        assert_eq!(query.integer("limit", 1..=200, &mut errors), None);
        assert_eq!(query.boolean("deleted", &mut errors), None);
        assert_eq!(query.text("city", 0, &mut errors), None);
        assert_eq!(query.integer("team_id", 1..=i64::MAX, &mut errors), None);
        assert_eq!(
            codes(&errors),
            [
                "400 deleted=invalid-boolean",
                "400 team_id=invalid-number",
                "422 q=invalid-control-character",
                "422 limit=invalid-number",
                "422 city=invalid-too-long",
            ]
        );
    }
}
