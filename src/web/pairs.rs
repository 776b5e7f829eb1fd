//! Reading a form's fields by name, including repeated and numbered ones (rows of a table).

/// The fields of a url-encoded form, in order.
#[derive(Debug, Clone, Default)]
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Every value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The row numbers used by fields named `PREFIX_N`, in ascending order.
    pub fn rows(&self, prefix: &str) -> Vec<usize> {
        let mut rows: Vec<usize> = self
            .0
            .iter()
            .filter_map(|(k, _)| k.strip_prefix(prefix)?.strip_prefix('_')?.parse().ok())
            .filter(|n| *n < 10_000)
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    pub fn row(&self, prefix: &str, row: usize) -> &str {
        self.get(&format!("{prefix}_{row}"))
    }

    pub fn row_checked(&self, prefix: &str, row: usize) -> bool {
        self.checked(&format!("{prefix}_{row}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_found_by_prefix() {
        let pairs = Pairs(vec![
            ("prop_name_2".into(), "b".into()),
            ("prop_name_0".into(), "a".into()),
            ("prop_kind_0".into(), "text".into()),
            ("prop_name_x".into(), "?".into()),
        ]);
        assert_eq!(pairs.rows("prop_name"), [0, 2]);
        assert_eq!(pairs.row("prop_name", 2), "b");
        assert!(!pairs.row_checked("prop_clear", 0));
    }
}
