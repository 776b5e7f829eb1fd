//! Field validation shared by every form: messages are written for the person at the form.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Whether a text holds a control character that no field takes: NUL and the other C0
/// controls but tab and line breaks, DEL and the C1 controls (the databases refuse NUL; the
/// rest only hides text), and the noncharacters U+FFFE and U+FFFF of every plane.
pub fn has_forbidden_control(text: &str) -> bool {
    text.chars().any(|c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || (u32::from(c) & 0xFFFE) == 0xFFFE
    })
}

/// Messages keyed by the form field they belong to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    /// Adds another message for a field that a form repeats (a row of a batch), even when
    /// the field already has one.
    pub fn also(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// Records the error of a check, if any.
    pub fn check(&mut self, field: &'static str, result: Result<(), String>) {
        if let Err(message) = result {
            self.add(field, message);
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(f, m)| (*f, m.as_str()))
    }

    /// `Ok(())` when there is nothing to report.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

/// Whether a text holds a Unicode format character (category Cf: zero-width spaces and
/// joiners, direction marks and overrides, the byte order mark…), invisible in a name.
pub fn has_format_character(text: &str) -> bool {
    text.chars()
        .any(|c| c.general_category() == GeneralCategory::Format)
}

/// A required single-line name of at most `max` characters, without control characters nor
/// invisible format characters (so that "Administrator" and "Administrator" followed by a
/// zero-width space cannot stand side by side).
pub fn required_text(label: &str, value: &str, max: usize) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{label} is required."));
    }
    if has_format_character(value) {
        return Err(format!(
            "{label} cannot contain invisible formatting characters (such as zero-width spaces or direction marks)."
        ));
    }
    optional_text(label, value, max)
}

/// An optional single-line text of at most `max` characters, without control characters.
pub fn optional_text(label: &str, value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        return Err(format!("{label} must be at most {max} characters."));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("{label} must be a single line of text."));
    }
    Ok(())
}

/// Invisible characters that reorder, hide or split text, refused even in prose: the
/// zero-width space, the bidirectional embeddings, overrides and isolates, the line and
/// paragraph separators, the word joiner and invisible operators, the deprecated format
/// characters, the byte order mark, the interlinear annotations and the language tag. Prose
/// keeps what real text needs: the zero-width joiners (Persian, emoji), the direction marks
/// (right-to-left text), the soft hyphen and the emoji tag sequences.
pub fn is_hiding_character(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0001}'
    )
}

/// Prose (a description, notes): at most `max` characters, any number of lines, without
/// control characters but tab and line breaks, nor zero-width spaces and bidi controls.
pub fn prose(label: &str, value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        return Err(format!("{label} must be at most {max} characters."));
    }
    if has_forbidden_control(value) {
        return Err(format!(
            "{label} holds a control character; remove it and send the form again."
        ));
    }
    if value.chars().any(is_hiding_character) {
        return Err(format!(
            "{label} cannot contain invisible characters that hide or reorder text (zero-width spaces, direction overrides, a byte order mark)."
        ));
    }
    Ok(())
}

/// A name as stored: trimmed and in Unicode normalization form C (so that the same letters
/// typed two ways are one name).
pub fn clean_name(value: &str) -> String {
    value.trim().nfc().collect()
}

/// A plausible e-mail address: one `@`, a dotted domain, no spaces, at most 254 characters.
pub fn email(label: &str, value: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{label} is required."));
    }
    let invalid = || {
        Err(format!(
            "{label} must be an e-mail address such as name@example.com."
        ))
    };
    if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return invalid();
    }
    if !value.is_ascii() {
        return Err(format!(
            "{label} must be written in ASCII: write an internationalized domain in its xn-- form (such as name@xn--bcher-kva.example)."
        ));
    }
    let Some((local, domain)) = value.split_once('@') else {
        return invalid();
    };
    let domain_ok = domain.contains('.')
        && !domain.contains('@')
        && domain
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '-'));
    let local_ok = local
        .chars()
        .all(|c| c.is_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    if local.is_empty() || local.len() > 64 || !local_ok || !domain_ok {
        return invalid();
    }
    Ok(())
}

/// An optional e-mail address.
pub fn optional_email(label: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Ok(())
    } else {
        email(label, value)
    }
}

/// An optional absolute http or https URL.
pub fn optional_url(label: &str, value: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(());
    }
    let lower = value.to_ascii_lowercase();
    let has_scheme = lower.starts_with("http://") || lower.starts_with("https://");
    let host_ok = value.split("://").nth(1).is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty()
    });
    if !has_scheme
        || !host_ok
        || value.len() > 2000
        || value.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(format!(
            "{label} must be a web address starting with http:// or https://."
        ));
    }
    Ok(())
}

/// Password rules: 8 to 72 bytes (bcrypt reads no further).
pub fn password(label: &str, value: &str) -> Result<(), String> {
    if value.chars().count() < 8 {
        return Err(format!("{label} must be at least 8 characters."));
    }
    if value.len() > 72 {
        return Err(format!("{label} must be at most 72 bytes."));
    }
    Ok(())
}

/// The key under which names are compared: trimmed and lower-cased.
pub fn name_key(value: &str) -> String {
    value.trim().nfkc().collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_for_shape() {
        assert!(email("Email", "ada@example.com").is_ok());
        assert!(email("Email", "ada@example").is_err());
        assert!(email("Email", "a b@example.com").is_err());
        assert!(email("Email", "<script>@x.com").is_err());
        assert!(email("Email", "").is_err());
    }

    #[test]
    fn urls_need_http_or_https_and_a_host() {
        assert!(optional_url("URL", "").is_ok());
        assert!(optional_url("URL", "https://example.com/support").is_ok());
        assert!(optional_url("URL", "javascript:alert(1)").is_err());
        assert!(optional_url("URL", "https://").is_err());
    }

    #[test]
    fn texts_are_bounded_single_lines() {
        assert!(required_text("Name", "  ", 10).is_err());
        assert!(required_text("Name", "abc", 2).is_err());
        assert!(required_text("Name", "a\nb", 10).is_err());
        assert!(required_text("Name", "Ünïcode", 10).is_ok());
        assert!(required_text("Name", "Admin\u{200b}", 10).is_err());
        assert!(required_text("Name", "\u{202e}nimdA", 10).is_err());
        assert!(required_text("Name", "\u{feff}Admin", 10).is_err());
        assert!(
            required_text("Name", "مهندس\u{200c}ها", 20).is_err(),
            "names refuse ZWNJ too"
        );
    }

    #[test]
    fn prose_keeps_joiners_and_refuses_hiding_characters() {
        assert!(prose("Notes", "line one\nline two\ttab", 100).is_ok());
        assert!(prose("Notes", "می\u{200c}خواهم 👩\u{200d}💻", 100).is_ok());
        assert!(prose("Notes", "a\u{200b}b", 100).is_err());
        assert!(prose("Notes", "\u{202e}abc", 100).is_err());
        assert!(prose("Notes", "\u{2067}abc\u{2069}", 100).is_err());
        assert!(prose("Notes", "nul\u{0}", 100).is_err());
        for hidden in [
            '\u{feff}',
            '\u{2060}',
            '\u{2029}',
            '\u{206a}',
            '\u{fff9}',
            '\u{e0001}',
        ] {
            assert!(
                prose("Notes", &format!("a{hidden}b"), 100).is_err(),
                "{hidden:?}"
            );
        }
        for control in ['\u{85}', '\u{9f}', '\u{fffe}', '\u{10ffff}'] {
            assert!(
                prose("Notes", &format!("a{control}b"), 100).is_err(),
                "{control:?}"
            );
        }
        assert!(prose("Notes", "שלום\u{200f} abc\u{00ad}def", 100).is_ok());
        assert!(prose("Notes", "abc", 2).is_err());
    }

    #[test]
    fn emails_are_ascii_and_keys_compare_after_nfkc() {
        assert!(email("Email", "ada@xn--bcher-kva.example").is_ok());
        let refused = email("Email", "ada@bücher.example").expect_err("not ASCII");
        assert!(refused.contains("xn--"), "{refused}");
        assert!(email("Email", "adá@example.com").is_err());
        assert_eq!(name_key("Ｆｏｏ Bar"), name_key("foo bar"));
        assert_eq!(name_key("ﬁle"), "file");
        assert_eq!(clean_name(" e\u{301} "), "é");
    }

    #[test]
    fn passwords_fit_bcrypt() {
        assert!(password("Password", "short").is_err());
        assert!(password("Password", &"x".repeat(73)).is_err());
        assert!(password("Password", "long enough").is_ok());
    }
}
