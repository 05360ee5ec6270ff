//! Checks shared by the inputs of activities, tasks and comments: closed sets of names,
//! lines of text, instants and linked records, each refusal recorded under its field.

use crate::activity::{Link, LinkType};
use crate::error::FieldErrors;
use crate::validate::Invalid;
use crate::validate::text::{check_line, multiline};

/// Defines a closed set of lowercase names, parsed and printed the same way everywhere.
macro_rules! names {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(input: &str) -> Option<$name> {
                match input.trim() { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use names;

/// Puts each field a patch gives (`Some`) into the input it applies to.
macro_rules! put_given {
    ($patch:ident => $input:ident: $($field:ident),+ $(,)?) => {$(
        if let Some(value) = $patch.$field {
            $input.$field = value;
        }
    )+};
}
pub(crate) use put_given;

pub(crate) fn required_choice<T>(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    if input.trim().is_empty() {
        errors.add(field, Invalid::Required.code());
        return None;
    }
    optional_choice(errors, field, input, parse)
}

/// `None` when empty or unknown (the latter also an error).
pub(crate) fn optional_choice<T>(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    if input.trim().is_empty() {
        return None;
    }
    let parsed = parse(input);
    if parsed.is_none() {
        errors.add(field, Invalid::UnknownValue.code());
    }
    parsed
}

/// One line of text, trimmed, at most `max` characters.
pub(crate) fn line(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
    max: usize,
) -> Option<String> {
    let text = input.trim();
    let checked = check_line(text).and_then(|()| {
        if text.chars().count() > max {
            Err(Invalid::TooLong)
        } else {
            Ok(text.to_string())
        }
    });
    errors.check(field, checked)
}

/// Several lines of text, trimmed, at most `max` characters.
pub(crate) fn text(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
    max: usize,
) -> Option<String> {
    let checked = multiline(input.trim()).and_then(|text| {
        if text.chars().count() > max {
            Err(Invalid::TooLong)
        } else {
            Ok(text)
        }
    });
    errors.check(field, checked)
}

/// An RFC 3339 instant (`2026-12-03T10:00:00+03:00`, `…Z`) as UTC microseconds; `None`
/// when the text is not one.
pub fn parse_instant(input: &str) -> Option<i64> {
    parse_timestamp(input).map(|at| at.as_microsecond())
}

pub(crate) fn parse_timestamp(input: &str) -> Option<jiff::Timestamp> {
    input.trim().parse().ok()
}

/// An RFC 3339 instant, or the field's error.
pub(crate) fn instant(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
) -> Option<jiff::Timestamp> {
    let at = parse_timestamp(input);
    if at.is_none() {
        errors.add(field, "invalid-datetime");
    }
    at
}

/// An instant when given, `None` when empty.
pub(crate) fn optional_instant(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
) -> Option<jiff::Timestamp> {
    if input.trim().is_empty() {
        None
    } else {
        instant(errors, field, input)
    }
}

/// The records an input is linked to, as given (without repeats), at most `max`.
pub(crate) fn links(errors: &mut FieldErrors, given: &[(String, i64)], max: usize) -> Vec<Link> {
    if given.len() > max {
        errors.add("links", "invalid-too-many-links");
    }
    let mut links: Vec<Link> = Vec::new();
    for (i, (record_type, record_id)) in given.iter().enumerate() {
        let Some(record_type) = LinkType::parse(record_type) else {
            errors.add(
                format!("links[{i}].record_type"),
                Invalid::UnknownValue.code(),
            );
            continue;
        };
        if *record_id <= 0 {
            errors.add(format!("links[{i}].record_id"), "invalid-unknown-record");
            continue;
        }
        let link = Link {
            record_type,
            record_id: *record_id,
        };
        if !links.contains(&link) {
            links.push(link);
        }
    }
    links
}
