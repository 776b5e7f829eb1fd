//! Keyset paging both ways: a page starts after a key, or ends before one (read backwards,
//! then put back in order), and one extra row read tells whether a page lies beyond it.

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Seek<K> {
    /// The first page.
    #[default]
    First,
    /// The rows after this key.
    After(K),
    /// The rows just before this key (the page before a page).
    Before(K),
}

impl<K> Seek<K> {
    /// From the `after` and `before` parameters of a page's address (`after` wins; an empty
    /// or unreadable one is ignored).
    pub fn from_params(after: Option<K>, before: Option<K>) -> Self {
        match (after, before) {
            (Some(key), _) => Self::After(key),
            (None, Some(key)) => Self::Before(key),
            (None, None) => Self::First,
        }
    }

    /// Whether the rows are read backwards (the query orders them descending).
    pub fn backwards(&self) -> bool {
        matches!(self, Self::Before(_))
    }

    pub fn map<L>(self, f: impl FnOnce(K) -> L) -> Seek<L> {
        match self {
            Self::First => Seek::First,
            Self::After(key) => Seek::After(f(key)),
            Self::Before(key) => Seek::Before(f(key)),
        }
    }

    pub fn as_ref(&self) -> Seek<&K> {
        match self {
            Self::First => Seek::First,
            Self::After(key) => Seek::After(key),
            Self::Before(key) => Seek::Before(key),
        }
    }
}

/// One page in order, and whether pages lie before and after it.
#[derive(Debug, Clone)]
pub struct Window<T> {
    pub rows: Vec<T>,
    pub earlier: bool,
    pub later: bool,
}

impl<T> Window<T> {
    /// The page from up to `limit + 1` rows read as `seek` asks (descending when backwards).
    pub fn of(mut rows: Vec<T>, limit: usize, seek: &Seek<impl Sized>) -> Self {
        let beyond = rows.len() > limit;
        rows.truncate(limit);
        if seek.backwards() {
            rows.reverse();
        }
        let (earlier, later) = match seek {
            Seek::First => (false, beyond),
            Seek::After(_) => (true, beyond),
            Seek::Before(_) => (beyond, true),
        };
        Self {
            rows,
            earlier,
            later,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_read_backwards_comes_back_in_order_and_knows_what_lies_beyond() {
        let first = Window::of(vec![1, 2, 3], 2, &Seek::<i32>::First);
        assert_eq!(
            (first.rows, first.earlier, first.later),
            (vec![1, 2], false, true)
        );
        let after = Window::of(vec![3, 4], 2, &Seek::After(2));
        assert_eq!(
            (after.rows, after.earlier, after.later),
            (vec![3, 4], true, false)
        );
        let before = Window::of(vec![2, 1], 2, &Seek::Before(3));
        assert_eq!(
            (before.rows, before.earlier, before.later),
            (vec![1, 2], false, true)
        );
        let middle = Window::of(vec![4, 3, 2], 2, &Seek::Before(5));
        assert_eq!(
            (middle.rows, middle.earlier, middle.later),
            (vec![3, 4], true, true)
        );
    }
}
