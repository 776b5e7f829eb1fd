//! Categories and tags of published processes (SPEC §6.5): a fixed list of categories, and up
//! to ten tags typed freely, compared as names are (case and width folded).

use super::validation::{has_format_character, name_key};

/// The categories a published process may have (or none).
pub const CATEGORIES: [&str; 8] = [
    "CRM",
    "ERP",
    "E-commerce",
    "Finance",
    "HR",
    "Marketing",
    "Data Sync",
    "Other",
];

/// Tags a process may have at most.
pub const MAX_TAGS: usize = 10;
/// Characters a tag may have at most.
pub const MAX_TAG_LENGTH: usize = 30;

/// The tags typed (comma-separated) as stored: trimmed, each once (compared as names are), in
/// the order typed, joined by ", "; or why they are refused.
pub fn normalize(text: &str) -> Result<String, String> {
    let mut tags: Vec<&str> = Vec::new();
    for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if tag.chars().count() > MAX_TAG_LENGTH {
            return Err(format!(
                "Tag \"{tag}\" is longer than {MAX_TAG_LENGTH} characters."
            ));
        }
        if tag.chars().any(char::is_control) || has_format_character(tag) {
            return Err(
                "Tags cannot contain control or invisible formatting characters.".to_owned(),
            );
        }
        if !tags.iter().any(|t| name_key(t) == name_key(tag)) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("At most {MAX_TAGS} tags, separated by commas."));
    }
    Ok(tags.join(", "))
}

/// The stored tags one by one.
pub fn split(stored: &str) -> impl Iterator<Item = &str> {
    stored.split(", ").filter(|t| !t.is_empty())
}

/// Whether the stored tags hold `key` (a tag's name key).
pub fn holds(stored: &str, key: &str) -> bool {
    split(stored).any(|t| name_key(t) == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_kept_once_and_bounded() {
        assert_eq!(
            normalize(" Nightly, batch ,,NIGHTLY, Ｂatch ").as_deref(),
            Ok("Nightly, batch")
        );
        assert_eq!(normalize("").as_deref(), Ok(""));
        assert!(normalize(&"x".repeat(31)).is_err());
        assert!(normalize("a\u{200b}b").is_err());
        let eleven = (0..11)
            .map(|i| format!("t{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert!(normalize(&eleven).is_err());
        assert!(holds("Nightly, batch", &name_key("BATCH")));
        assert!(!holds("Nightly, batch", &name_key("bat")));
    }
}
