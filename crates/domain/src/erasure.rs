//! What an erasure looks for in texts Rehber keeps about others, and how it blanks it.
//!
//! A person's name, e-mail addresses, phone numbers and national ID are looked for in free
//! text (a company's notes, a call logged against their company, an audit entry quoting
//! them) and each occurrence is replaced by [`REDACTED`]. Matching ignores case and the
//! Turkish letters' marks ("IŞIL ÇAĞLAR", "Isil Caglar" and "ışıl çağlar" are one name),
//! since people type names both ways. A phone number matches however it is written
//! ("0532 123 45 67", "+90 (532) 123-4567"). First and last names alone are words that
//! other people share ("Ahmet"); they are looked for only in texts about this person
//! (`linked`), and only as whole words.

/// What an occurrence is replaced by.
pub const REDACTED: &str = "[silindi]";

/// The shortest run of digits that counts as a phone number.
const PHONE_DIGITS: usize = 7;
/// How many trailing digits of a phone number are compared (a Turkish number without its
/// trunk 0 or country code).
const NATIONAL_DIGITS: usize = 10;

/// The strings one person is known by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// Full names, e-mail addresses, a national ID: looked for anywhere.
    phrases: Vec<Vec<char>>,
    /// Phone numbers, by their trailing digits.
    phones: Vec<String>,
    /// First and last names, on their own: whole words in texts about the person.
    words: Vec<Vec<char>>,
}

/// The letter `c` is compared as: lower case, with the Turkish marks taken off (one char for
/// one char, so positions in the folded text are positions in the original).
fn fold_char(c: char) -> char {
    match c {
        'ı' | 'İ' | 'I' | 'i' => 'i',
        'ş' | 'Ş' => 's',
        'ç' | 'Ç' => 'c',
        'ğ' | 'Ğ' => 'g',
        'ö' | 'Ö' => 'o',
        'ü' | 'Ü' => 'u',
        'â' | 'Â' => 'a',
        'î' | 'Î' => 'i',
        'û' | 'Û' => 'u',
        other => other.to_lowercase().next().unwrap_or(other),
    }
}

fn fold(text: &str) -> Vec<char> {
    text.chars().map(fold_char).collect()
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

impl Terms {
    /// The terms of a person: `names` are full names (looked for anywhere), `words` first
    /// and last names (whole words in linked texts), `phones` in any form. Blank and
    /// one-letter terms are left out; so are phone numbers too short to tell apart.
    pub fn new<'a>(
        names: impl IntoIterator<Item = &'a str>,
        words: impl IntoIterator<Item = &'a str>,
        phones: impl IntoIterator<Item = &'a str>,
    ) -> Terms {
        let mut terms = Terms::default();
        for name in names {
            let folded = fold(name.trim());
            if folded.len() > 1 && !terms.phrases.contains(&folded) {
                terms.phrases.push(folded);
            }
        }
        for word in words.into_iter().flat_map(str::split_whitespace) {
            let folded = fold(word);
            if folded.len() > 1 && !terms.words.contains(&folded) {
                terms.words.push(folded);
            }
        }
        for phone in phones {
            let all = digits(phone);
            if all.len() >= PHONE_DIGITS {
                let tail = all[all.len().saturating_sub(NATIONAL_DIGITS)..].to_string();
                if !terms.phones.contains(&tail) {
                    terms.phones.push(tail);
                }
            }
        }
        terms
    }

    /// Whether there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty() && self.phones.is_empty() && self.words.is_empty()
    }

    /// SQL `LIKE` patterns (escaped with `\`) that every text this redacts matches, read
    /// case-insensitively for ASCII letters: a first filter before [`Terms::redact`] reads
    /// the text itself. A letter that has a marked Turkish twin is any one character (`_`).
    pub fn like_patterns(&self, linked: bool) -> Vec<String> {
        let mut patterns: Vec<String> = self.phrases.iter().map(|p| like(p)).collect();
        if linked {
            patterns.extend(self.words.iter().map(|w| like(w)));
        }
        for phone in &self.phones {
            let spread: String = phone.chars().flat_map(|d| [d, '%']).collect();
            patterns.push(format!("%{spread}"));
        }
        patterns
    }

    /// `text` with every occurrence of the terms replaced by [`REDACTED`], or `None` when it
    /// holds none.
    pub fn redact(&self, text: &str, linked: bool) -> Option<String> {
        let original: Vec<char> = text.chars().collect();
        let folded: Vec<char> = original.iter().map(|c| fold_char(*c)).collect();
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for phrase in &self.phrases {
            hits.extend(find_all(&folded, phrase, false));
        }
        if linked {
            for word in &self.words {
                hits.extend(find_all(&folded, word, true));
            }
        }
        hits.extend(self.phone_hits(&original));
        if hits.is_empty() {
            return None;
        }
        hits.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in hits {
            if end <= at {
                continue;
            }
            if start >= at {
                out.extend(&original[at..start]);
                out.push_str(REDACTED);
            }
            at = end;
        }
        out.extend(&original[at..]);
        Some(out)
    }

    /// The spans of phone numbers in `text`: runs of digits, spaces and `+-().` whose digits
    /// end with one of the numbers.
    fn phone_hits(&self, text: &[char]) -> Vec<(usize, usize)> {
        if self.phones.is_empty() {
            return Vec::new();
        }
        let phone_char = |c: char| c.is_ascii_digit() || " +-().".contains(c);
        let mut hits = Vec::new();
        let mut i = 0;
        while i < text.len() {
            if !(text[i].is_ascii_digit() || text[i] == '+' || text[i] == '(') {
                i += 1;
                continue;
            }
            let start = i;
            while i < text.len() && phone_char(text[i]) {
                i += 1;
            }
            let mut end = i;
            while end > start && !text[end - 1].is_ascii_digit() && text[end - 1] != ')' {
                end -= 1;
            }
            let run: String = text[start..end].iter().collect();
            let run_digits = digits(&run);
            if self.phones.iter().any(|p| run_digits.contains(p.as_str())) {
                hits.push((start, end));
            }
        }
        hits
    }
}

/// Fields of a person's own audit entries whose values say nothing about them (a stage, an
/// owner, a consent's answer): kept when the rest of the entry's values are blanked.
const IMPERSONAL_FIELDS: [&str; 12] = [
    "lifecycle_stage",
    "lead_status",
    "lead_source",
    "owner_id",
    "team_id",
    "bant_budget",
    "bant_authority",
    "bant_need",
    "bant_timing",
    "lead_score",
    "consent",
    "country",
];

/// A person's own audit entry (a JSON list of `{field, from, to}`) with every value of a
/// field that may describe them replaced by [`REDACTED`]: an address or a birthday is
/// personal data though no term finds it. `None` when nothing changes (or the text is not
/// such a list).
pub fn redact_own_changes(changes: &str) -> Option<String> {
    let mut list: Vec<serde_json::Value> = serde_json::from_str(changes).ok()?;
    let mut changed = false;
    for change in &mut list {
        let field = change["field"].as_str().unwrap_or_default();
        if IMPERSONAL_FIELDS.contains(&field) {
            continue;
        }
        for side in ["from", "to"] {
            let blank = change[side]
                .as_str()
                .is_none_or(|v| v.is_empty() || v == REDACTED);
            if !blank {
                change[side] = serde_json::Value::String(REDACTED.into());
                changed = true;
            }
        }
    }
    changed.then(|| serde_json::Value::Array(list).to_string())
}

/// The spans where `needle` occurs in `haystack` (whole words only when `whole_word`).
fn find_all(haystack: &[char], needle: &[char], whole_word: bool) -> Vec<(usize, usize)> {
    let mut hits = Vec::new();
    if needle.is_empty() || needle.len() > haystack.len() {
        return hits;
    }
    for start in 0..=haystack.len() - needle.len() {
        let end = start + needle.len();
        if haystack[start..end] != *needle {
            continue;
        }
        if whole_word {
            let before = start > 0 && is_word_char(haystack[start - 1]);
            let after = end < haystack.len() && is_word_char(haystack[end]);
            if before || after {
                continue;
            }
        }
        hits.push((start, end));
    }
    hits
}

/// A `LIKE` pattern that matches every text holding `folded` in any case or marking.
fn like(folded: &[char]) -> String {
    let mut pattern = String::from("%");
    for c in folded {
        match c {
            'i' | 's' | 'c' | 'g' | 'o' | 'u' | 'a' => pattern.push('_'),
            '%' | '_' | '\\' => {
                pattern.push('\\');
                pattern.push(*c);
            }
            other if other.is_ascii() => pattern.push(*other),
            // Other letters may be typed in either case, which `LIKE` does not fold.
            _ => pattern.push('_'),
        }
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn terms() -> Terms {
        Terms::new(
            ["Işıl Çağlar", "isil.caglar@example.com", "12345678950"],
            ["Işıl", "Çağlar"],
            ["+905321234567"],
        )
    }

    #[test]
    fn a_full_name_is_found_in_any_case_and_marking() {
        let t = terms();
        for text in [
            "Işıl Çağlar aradı",
            "ISIL CAGLAR aradı",
            "ışıl çağlar aradı",
            "IŞIL ÇAĞLAR aradı",
        ] {
            assert_eq!(
                t.redact(text, false).as_deref(),
                Some("[silindi] aradı"),
                "{text}"
            );
        }
    }

    #[test]
    fn addresses_and_ids_are_found_inside_other_text_and_json() {
        let t = terms();
        let json = r#"[{"field":"emails","from":"","to":"[\"isil.caglar@example.com\"]"}]"#;
        let redacted = t.redact(json, false).unwrap();
        assert!(!redacted.contains("isil.caglar"), "{redacted}");
        assert!(serde_json::from_str::<serde_json::Value>(&redacted).is_ok());
        assert_eq!(
            t.redact("TCKN 12345678950.", false).as_deref(),
            Some("TCKN [silindi].")
        );
    }

    #[test]
    fn a_phone_is_found_however_it_is_written() {
        let t = terms();
        for text in [
            "Cep: 0532 123 45 67.",
            "Cep: +90 (532) 123-4567.",
            "Cep: 5321234567.",
        ] {
            assert_eq!(
                t.redact(text, false).as_deref(),
                Some("Cep: [silindi]."),
                "{text}"
            );
        }
        assert_eq!(t.redact("Sipariş 2026 için 3 adet", false), None);
        assert_eq!(t.redact("Cep: 0532 123 45 68", false), None);
    }

    #[test]
    fn first_and_last_names_alone_are_whole_words_of_linked_texts_only() {
        let t = terms();
        assert_eq!(t.redact("Işıl'ı aradım", false), None);
        assert_eq!(
            t.redact("Işıl'ı aradım", true).as_deref(),
            Some("[silindi]'ı aradım")
        );
        assert_eq!(t.redact("Çağlayan Işıltı", true), None);
        assert_eq!(
            t.redact("çağlar ailesi ve Işıl", true).as_deref(),
            Some("[silindi] ailesi ve [silindi]")
        );
    }

    #[test]
    fn overlapping_hits_are_replaced_once() {
        let t = terms();
        assert_eq!(t.redact("Işıl Çağlar", true).as_deref(), Some("[silindi]"));
    }

    #[test]
    fn every_redacted_text_matches_a_like_pattern() {
        let t = terms();
        let like_matches = |pattern: &str, text: &str| {
            // A small LIKE: `%` any run, `_` one char, ASCII case folded.
            fn go(p: &[char], s: &[char]) -> bool {
                match p.split_first() {
                    None => s.is_empty(),
                    Some(('%', rest)) => (0..=s.len()).any(|i| go(rest, &s[i..])),
                    Some(('\\', rest)) => match (rest.split_first(), s.split_first()) {
                        (Some((c, rest)), Some((d, s))) if c == d => go(rest, s),
                        _ => false,
                    },
                    Some(('_', rest)) => !s.is_empty() && go(rest, &s[1..]),
                    Some((c, rest)) => s
                        .split_first()
                        .is_some_and(|(d, s)| c.eq_ignore_ascii_case(d) && go(rest, s)),
                }
            }
            go(
                &pattern.chars().collect::<Vec<_>>(),
                &text.chars().collect::<Vec<_>>(),
            )
        };
        for text in [
            "IŞIL ÇAĞLAR",
            "Cep: +90 (532) 123-4567",
            "Isil.Caglar@Example.com",
            "Işıl geldi",
        ] {
            assert!(t.redact(text, true).is_some(), "{text}");
            assert!(
                t.like_patterns(true).iter().any(|p| like_matches(p, text)),
                "{text}"
            );
        }
    }

    #[test]
    fn a_persons_own_audit_values_are_blanked_but_their_stage_kept() {
        let changes = r#"[{"field":"street","from":"","to":"Gül Sokak 4"},{"field":"lifecycle_stage","from":"lead","to":"customer"},{"field":"notes","from":"","to":""}]"#;
        let redacted: serde_json::Value =
            serde_json::from_str(&redact_own_changes(changes).unwrap()).unwrap();
        assert_eq!(redacted[0]["to"], "[silindi]");
        assert_eq!(redacted[1]["to"], "customer");
        assert_eq!(redacted[2]["to"], "");
        assert_eq!(
            redact_own_changes(r#"[{"field":"owner_id","from":"1","to":"2"}]"#),
            None
        );
        assert_eq!(redact_own_changes("not json"), None);
    }

    #[test]
    fn no_terms_find_nothing() {
        let t = Terms::new([" "], ["a"], ["12"]);
        assert!(t.is_empty());
        assert_eq!(t.redact("a 12", true), None);
    }
}
