//! Words for numbers in the messages and pages people read.

/// "1 account", "2 accounts".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(super::count(1, "component", "components"), "1 component");
        assert_eq!(super::count(0, "component", "components"), "0 components");
        assert_eq!(super::count(12, "user", "users"), "12 users");
    }
}
