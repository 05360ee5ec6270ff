//! Turkish-aware text folding for search and sorting.
//!
//! Search does not rely on database collations: records store a [`search_key`] and queries
//! are folded the same way, so `ISIK`, `ışık`, `Işık` and `isik` all become `isik` on both
//! databases. Sorting uses [`sort_key`], an ASCII string whose byte order is the Turkish
//! alphabetical order (a b c ç d e f g ğ h ı i j … o ö p r s ş t u ü v y z).
//!
//! This module only folds strings; it must not know where keys are stored or how they are
//! queried. There is no Unicode normalization crate here, so the few decomposed forms that
//! matter for Turkish (`c` + U+0327 and friends) are composed by hand, and any other
//! combining accent is dropped from the keys.

/// U+0307 COMBINING DOT ABOVE: `I` followed by it is a decomposed `İ`.
const COMBINING_DOT_ABOVE: char = '\u{0307}';

/// Lower-cases with Turkish rules (`I`→`ı`, `İ`→`i`), all other letters by Unicode rules.
///
/// A decomposed `İ` (`I` + U+0307) also becomes `i`, as Unicode's Turkish casing rules say.
pub fn turkish_lowercase(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'I' if chars.peek() == Some(&COMBINING_DOT_ABOVE) => {
                chars.next();
                out.push('i');
            }
            'I' => out.push('ı'),
            // `char::to_lowercase` would give `i` + U+0307, which is not a Turkish letter.
            'İ' => out.push('i'),
            other => out.extend(other.to_lowercase()),
        }
    }
    out
}

/// The search form of a text: Turkish lower-case, then letters with diacritics mapped to
/// their base ASCII letter (ı→i, ş→s, ğ→g, ü→u, ö→o, ç→c, â→a, é→e, …), every run of
/// characters that are not letters or digits collapsed into one space, trimmed.
/// Both `I` and `İ`, `ı` and `i` end as `i`, so text typed on a foreign keyboard matches.
///
/// Letters with no ASCII spelling (Greek, Cyrillic, CJK, …) count as separators, so the
/// key is always ASCII: lower-case letters, digits and single spaces.
pub fn search_key(input: &str) -> String {
    fold(input, latin_base)
}

/// The sort keys ([`sort_key`]) a name may have when typed as `input` with or without its
/// Turkish letters: `ayse` may be `Ayse` or `Ayşe`, `isik` may be `Işık`. Compared to the
/// stored sort key, they find a whole name the way the search finds its words. `None` when
/// there would be more than `max` (a long name full of such letters).
pub fn sort_key_spellings(input: &str, max: usize) -> Option<Vec<String>> {
    let mut keys = vec![String::new()];
    for c in search_key(input).chars() {
        let turkish = match c {
            'c' => Some("c{"),
            'g' => Some("g{"),
            'i' => Some("h{"),
            'o' => Some("o{"),
            's' => Some("s{"),
            'u' => Some("u{"),
            _ => None,
        };
        match turkish {
            None => keys.iter_mut().for_each(|k| k.push(c)),
            Some(spelling) => {
                if keys.len() * 2 > max {
                    return None;
                }
                let mut other = keys.clone();
                keys.iter_mut().for_each(|k| k.push(c));
                other.iter_mut().for_each(|k| k.push_str(spelling));
                keys.extend(other);
            }
        }
    }
    Some(keys)
}

/// An ASCII key whose byte order is Turkish alphabetical order, case-insensitive.
///
/// The six Turkish letters outside ASCII are spelled as their preceding letter plus `{`
/// (which sorts after `z`): ç→`c{`, ğ→`g{`, ı→`h{`, ö→`o{`, ş→`s{`, ü→`u{`. So every
/// c-word precedes every ç-word, and ı falls between h and i. Other accented letters sort
/// as their base letter; digits stay; runs of anything else become one space, trimmed.
pub fn sort_key(input: &str) -> String {
    fold(input, turkish_sort_spelling)
}

/// Shared folding: Turkish lower-case, compose decomposed Turkish letters, spell each letter
/// in ASCII with `spell`, collapse everything else into single spaces.
fn fold(input: &str, spell: fn(char) -> Option<&'static str>) -> String {
    let lower = turkish_lowercase(input);
    let mut out = String::with_capacity(lower.len());
    let mut pending_space = false;
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match chars.peek().and_then(|&mark| compose_turkish(c, mark)) {
            Some(composed) => {
                chars.next();
                composed
            }
            None => c,
        };
        if is_combining_mark(c) {
            // An accent belongs to the letter before it; it must not split the word.
            continue;
        }
        let mut ascii_buf = [0u8; 4];
        let spelling = if c.is_ascii_alphanumeric() {
            Some(&*c.encode_utf8(&mut ascii_buf))
        } else {
            spell(c)
        };
        match spelling {
            Some(piece) => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push_str(piece);
            }
            None => pending_space = true,
        }
    }
    out
}

/// Composes the decomposed (NFD) forms of the lower-case Turkish letters.
fn compose_turkish(base: char, mark: char) -> Option<char> {
    match (base, mark) {
        ('c', '\u{0327}') => Some('ç'),
        ('g', '\u{0306}') => Some('ğ'),
        ('o', '\u{0308}') => Some('ö'),
        ('s', '\u{0327}') => Some('ş'),
        ('u', '\u{0308}') => Some('ü'),
        _ => None,
    }
}

/// Combining diacritical marks (the blocks that Latin-script text uses).
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Sort spelling: the Turkish letters get their own place after their neighbour.
fn turkish_sort_spelling(c: char) -> Option<&'static str> {
    match c {
        'ç' => Some("c{"),
        'ğ' => Some("g{"),
        'ı' => Some("h{"),
        'ö' => Some("o{"),
        'ş' => Some("s{"),
        'ü' => Some("u{"),
        other => latin_base(other),
    }
}

/// The ASCII base of a lower-case Latin letter with diacritics (Latin-1 Supplement,
/// Latin Extended-A and the Romanian comma letters); `None` for anything else.
fn latin_base(c: char) -> Option<&'static str> {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' | 'ĸ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    };
    Some(base)
}

/// Checks one line of typed text (a name, a city, a tag): no control characters at all,
/// not even tab or newline. NUL and escape codes are never what a user meant, and some
/// databases cannot store NUL.
pub fn check_line(input: &str) -> Result<(), super::Invalid> {
    if input.chars().any(char::is_control) {
        return Err(super::Invalid::ControlCharacter);
    }
    Ok(())
}

/// Normalizes multi-line typed text (notes): line ends become `\n` (browsers send `\r\n`),
/// tab and newline are kept, any other control character is refused.
pub fn multiline(input: &str) -> Result<String, super::Invalid> {
    let text = input.replace("\r\n", "\n").replace('\r', "\n");
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(super::Invalid::ControlCharacter);
    }
    Ok(text)
}

/// Cuts a folded key (ASCII words separated by single spaces) to at most `max_bytes`, at a
/// word boundary, so keys stay within what a database index entry can hold.
pub fn truncate_key(mut key: String, max_bytes: usize) -> String {
    if key.len() <= max_bytes {
        return key;
    }
    let cut = key
        .get(..=max_bytes)
        .and_then(|head| head.rfind(' '))
        .unwrap_or(max_bytes.min(key.len()));
    // Keys are ASCII, so every byte index is a character boundary; stay safe regardless.
    let cut = (0..=cut)
        .rev()
        .find(|&i| key.is_char_boundary(i))
        .unwrap_or(0);
    key.truncate(cut);
    key.truncate(key.trim_end().len());
    key
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_line_with_a_control_character_is_refused() {
        assert_eq!(check_line("Ali Veli"), Ok(()));
        for bad in [
            "a\u{0}b",
            "a\tb",
            "a\nb",
            "a\u{1b}[31m",
            "a\u{7f}",
            "a\u{85}",
        ] {
            assert_eq!(
                check_line(bad),
                Err(crate::validate::Invalid::ControlCharacter),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn multiline_text_keeps_tabs_and_newlines_and_normalizes_line_ends() {
        assert_eq!(multiline("a\r\nb\rc\td").unwrap(), "a\nb\nc\td");
        assert_eq!(
            multiline("a\u{0}b"),
            Err(crate::validate::Invalid::ControlCharacter)
        );
        assert_eq!(
            multiline("a\u{7}b"),
            Err(crate::validate::Invalid::ControlCharacter)
        );
    }

    #[test]
    fn keys_are_cut_at_a_word_boundary() {
        assert_eq!(truncate_key("ali veli".into(), 100), "ali veli");
        assert_eq!(truncate_key("ali veli deli".into(), 8), "ali veli");
        assert_eq!(truncate_key("ali veli deli".into(), 9), "ali veli");
        assert_eq!(truncate_key("ali veli deli".into(), 6), "ali");
        assert_eq!(truncate_key("abcdefgh".into(), 4), "abcd");
    }

    const TURKISH_ALPHABET: &str = "abcçdefgğhıijklmnoöprsştuüvyz";

    #[test]
    fn dotless_capital_i_lowercases_to_dotless_i() {
        assert_eq!(turkish_lowercase("I"), "ı");
        assert_eq!(turkish_lowercase("ISIK"), "ısık");
    }

    #[test]
    fn dotted_capital_i_lowercases_to_plain_i() {
        assert_eq!(turkish_lowercase("İ"), "i");
        assert_eq!(turkish_lowercase("İSTANBUL"), "istanbul");
    }

    #[test]
    fn decomposed_dotted_capital_i_lowercases_to_plain_i() {
        assert_eq!(turkish_lowercase("I\u{0307}zmir"), "izmir");
    }

    #[test]
    fn turkish_capitals_lowercase_to_turkish_letters() {
        assert_eq!(turkish_lowercase("ÇAĞLAR"), "çağlar");
        assert_eq!(turkish_lowercase("DİYARBAKIR"), "diyarbakır");
        assert_eq!(turkish_lowercase("ŞÜKRÜ ÖZ"), "şükrü öz");
    }

    #[test]
    fn lowercasing_leaves_other_scripts_to_unicode_rules() {
        assert_eq!(
            turkish_lowercase("ÉCOLE Straße ΣΟΦΙΑ"),
            "école straße σοφια"
        );
        assert_eq!(turkish_lowercase(""), "");
    }

    #[test]
    fn every_spelling_of_isik_shares_one_search_key() {
        for typed in ["ISIK", "ışık", "Işık", "isik", "IŞIK", "İşık"] {
            assert_eq!(search_key(typed), "isik", "{typed}");
        }
    }

    #[test]
    fn istanbul_with_either_capital_shares_one_search_key() {
        assert_eq!(search_key("İstanbul"), search_key("istanbul"));
        assert_eq!(search_key("İSTANBUL"), "istanbul");
    }

    #[test]
    fn search_key_folds_a_full_name() {
        assert_eq!(search_key("Işık Çağlar"), "isik caglar");
        assert_eq!(search_key("Gülşen Öğüt"), "gulsen ogut");
    }

    #[test]
    fn search_key_maps_foreign_accents_to_base_letters() {
        assert_eq!(search_key("Kâzım Hâlâ"), "kazim hala");
        assert_eq!(search_key("José Müller Straße"), "jose muller strasse");
        assert_eq!(search_key("Łódź Œuvre"), "lodz oeuvre");
    }

    #[test]
    fn search_key_collapses_punctuation_and_whitespace_into_single_spaces() {
        assert_eq!(
            search_key("  Acme,  Ltd. Şti. \t(İzmir)  "),
            "acme ltd sti izmir"
        );
        assert_eq!(search_key("a--b__c"), "a b c");
        assert_eq!(search_key("!!!"), "");
    }

    #[test]
    fn search_key_keeps_digits() {
        assert_eq!(search_key("Ofis 2B, Kat 3"), "ofis 2b kat 3");
    }

    #[test]
    fn search_key_reads_decomposed_turkish_letters() {
        // "Çağlar Özşü" decomposed (NFD), as some systems send it.
        let decomposed = "C\u{0327}ag\u{0306}lar O\u{0308}zs\u{0327}u\u{0308}";
        assert_eq!(search_key(decomposed), "caglar ozsu");
    }

    #[test]
    fn letters_without_an_ascii_spelling_separate_words() {
        assert_eq!(search_key("Ali Москва Veli"), "ali veli");
    }

    #[test]
    fn sort_key_is_case_insensitive() {
        assert_eq!(sort_key("ÇAĞLAR"), sort_key("çağlar"));
        assert_eq!(sort_key("IŞIK"), sort_key("ışık"));
        assert_eq!(sort_key("İLKER"), sort_key("ilker"));
    }

    #[test]
    fn sort_key_spells_turkish_letters_after_their_neighbours() {
        assert_eq!(sort_key("Çağlar"), "c{ag{lar");
        assert_eq!(sort_key("Işık"), "h{s{h{k");
        assert_eq!(sort_key("Öykü Ünal"), "o{yku{ u{nal");
    }

    #[test]
    fn sort_key_is_ascii_with_single_spaces() {
        assert_eq!(sort_key("  Kâzım -- 2. Şube  "), "kazh{m 2 s{ube");
    }

    #[test]
    fn names_sort_in_turkish_alphabetical_order() {
        let mut names = vec![
            "Zeynep", "Çağlar", "Cem", "Ilgaz", "İlker", "Öykü", "Osman", "şule", "Sibel", "Ümit",
            "Umut",
        ];
        names.sort_by_key(|name| sort_key(name));
        assert_eq!(
            names,
            [
                "Cem", "Çağlar", "Ilgaz", "İlker", "Osman", "Öykü", "Sibel", "şule", "Umut",
                "Ümit", "Zeynep"
            ]
        );
    }

    #[test]
    fn dotless_i_sorts_after_h_and_before_dotted_i() {
        assert!(sort_key("Hüseyin") < sort_key("Ilgaz"));
        assert!(sort_key("Hz") < sort_key("Ilgaz"));
        assert!(sort_key("Ilgaz") < sort_key("İlker"));
        assert!(sort_key("Ilgaz") < sort_key("ilker"));
    }

    #[test]
    fn every_c_word_sorts_before_every_c_cedilla_word() {
        assert!(sort_key("Czz") < sort_key("Çaa"));
        assert!(sort_key("C") < sort_key("Ç"));
    }

    /// Compares two words letter by letter by their position in the Turkish alphabet.
    fn alphabet_order(a: &str, b: &str) -> std::cmp::Ordering {
        let rank = |s: &str| -> Vec<usize> {
            s.chars()
                .map(|c| TURKISH_ALPHABET.chars().position(|l| l == c).unwrap())
                .collect()
        };
        rank(a).cmp(&rank(b))
    }

    proptest! {
        #[test]
        fn search_key_is_idempotent_and_plain_ascii(input in any::<String>()) {
            let key = search_key(&input);
            prop_assert_eq!(search_key(&key), key.clone());
            prop_assert!(key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ' '));
            prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
        }

        #[test]
        fn search_key_is_idempotent_on_turkish_text(input in "[a-zA-ZçğıöşüÇĞİÖŞÜâî .,-]{0,40}") {
            let key = search_key(&input);
            prop_assert_eq!(search_key(&key), key.clone());
            prop_assert!(key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ' '));
            prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
        }

        #[test]
        fn truncated_keys_fit_and_are_prefixes(input in "[a-z ]{0,60}", max in 0usize..40) {
            let key = search_key(&input);
            let cut = truncate_key(key.clone(), max);
            prop_assert!(cut.len() <= max);
            prop_assert!(key.starts_with(&cut));
            prop_assert!(!cut.ends_with(' '));
        }

        #[test]
        fn sort_key_is_plain_ascii(input in any::<String>()) {
            let key = sort_key(&input);
            prop_assert!(key.is_ascii());
            prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
        }

        #[test]
        fn sort_key_order_matches_the_turkish_alphabet(
            a in "[abcçdefgğhıijklmnoöprsştuüvyz]{0,8}",
            b in "[abcçdefgğhıijklmnoöprsştuüvyz]{0,8}",
        ) {
            prop_assert_eq!(sort_key(&a).cmp(&sort_key(&b)), alphabet_order(&a, &b));
        }
    }

    #[test]
    fn a_name_typed_without_turkish_letters_has_every_spelling_of_its_sort_key() {
        let keys = sort_key_spellings("AYSE  Yılmaz", 64).unwrap();
        assert_eq!(keys.len(), 4, "{keys:?}");
        assert!(keys.contains(&sort_key("Ayşe Yılmaz")));
        assert!(keys.contains(&sort_key("Ayse Yilmaz")));
        assert!(
            sort_key_spellings("isik", 64)
                .unwrap()
                .contains(&sort_key("Işık"))
        );
        assert!(
            sort_key_spellings("çiğdem", 64)
                .unwrap()
                .contains(&sort_key("Çiğdem"))
        );
        assert_eq!(
            sort_key_spellings("Bora Kaya", 64).unwrap(),
            [sort_key("Bora Kaya"), sort_key("Böra Kaya")]
        );
        assert_eq!(
            sort_key_spellings("çocuklu güçsüz sıcacık", 64),
            None,
            "too many"
        );
    }
}
