//! An account's folder tree held in memory: each folder's path by id, the trail from the root to
//! a folder, and a folder's subfolders a page at a time, so that pages never list every folder.

use std::collections::HashMap;

use super::{FolderOption, folder_tree};
use crate::db::build::Folder;
use crate::services::cache::Weight;

/// The folders of one account in tree order (parents before children, siblings by name).
#[derive(Debug, Default)]
pub struct FolderTree {
    options: Vec<FolderOption>,
    index: HashMap<String, usize>,
    parents: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
}

impl Weight for FolderTree {
    fn weight(&self) -> u64 {
        u64::try_from(self.options.len()).unwrap_or(u64::MAX) + 1
    }
}

impl FolderTree {
    pub fn new(folders: &[Folder]) -> Self {
        let options = folder_tree(folders);
        let mut parents = Vec::with_capacity(options.len());
        let mut children = vec![Vec::new(); options.len()];
        // In tree order a folder's parent is the nearest earlier folder one level up.
        let mut open: Vec<usize> = Vec::new();
        for (i, option) in options.iter().enumerate() {
            open.truncate(option.depth);
            let parent = open.last().copied().filter(|_| option.depth > 0);
            if let Some(p) = parent {
                children[p].push(i);
            }
            parents.push(parent);
            open.push(i);
        }
        let index = options
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), i))
            .collect();
        Self {
            options,
            index,
            parents,
            children,
        }
    }

    pub fn get(&self, id: &str) -> Option<&FolderOption> {
        self.index.get(id).map(|&i| &self.options[i])
    }

    /// The folder's path ("Partner Co / Salesforce"), empty for a folder that is not here.
    pub fn path_of(&self, id: &str) -> &str {
        self.get(id).map_or("", |f| f.path.as_str())
    }

    /// The account's root folder.
    pub fn root(&self) -> Option<&FolderOption> {
        self.options.first().filter(|f| f.is_root)
    }

    /// The folders from the root down to `id` (empty when `id` is not here).
    pub fn trail(&self, id: &str) -> Vec<&FolderOption> {
        let mut trail = Vec::new();
        let mut at = self.index.get(id).copied();
        while let Some(i) = at {
            trail.push(&self.options[i]);
            at = self.parents[i];
        }
        trail.reverse();
        trail
    }

    /// Up to `limit` subfolders of `id` by name, starting after the subfolder `after`, and
    /// whether more follow.
    pub fn children(
        &self,
        id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> (Vec<&FolderOption>, bool) {
        let Some(&i) = self.index.get(id) else {
            return (Vec::new(), false);
        };
        let kids = &self.children[i];
        let start = after
            .and_then(|a| self.index.get(a))
            .and_then(|a| kids.iter().position(|k| k == a))
            .map_or(0, |p| p + 1);
        let page: Vec<&FolderOption> = kids
            .iter()
            .skip(start)
            .take(limit)
            .map(|&k| &self.options[k])
            .collect();
        (page, kids.len() > start + limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::ids::*;

    fn folder(id: &str, parent: Option<&str>, name: &str) -> Folder {
        Folder {
            id: FolderId::from(id.to_owned()),
            account_id: AccountId::from("a".to_owned()),
            parent_id: parent.map(str::to_owned).map(FolderId::from),
            name: name.to_owned(),
            name_key: name.to_lowercase(),
            created_at: chrono::NaiveDateTime::default(),
        }
    }

    fn tree() -> FolderTree {
        FolderTree::new(&[
            folder("c", Some("r"), "Salesforce"),
            folder("r", None, "Partner Co"),
            folder("o", Some("c"), "Orders"),
            folder("a", Some("r"), "Accounting"),
            folder("x", Some("c"), "Accounts"),
            folder("z", Some("r"), "Zendesk"),
        ])
    }

    fn names(options: &[&FolderOption]) -> Vec<String> {
        options.iter().map(|o| o.name.clone()).collect()
    }

    #[test]
    fn paths_trails_and_subfolders_follow_the_tree() {
        let t = tree();
        assert_eq!(t.root().map(|r| r.id.as_str()), Some("r"));
        assert_eq!(t.path_of("o"), "Partner Co / Salesforce / Orders");
        assert_eq!(t.path_of("missing"), "");
        assert_eq!(names(&t.trail("o")), ["Partner Co", "Salesforce", "Orders"]);
        assert!(t.trail("missing").is_empty());
        let (kids, more) = t.children("r", None, 10);
        assert_eq!(names(&kids), ["Accounting", "Salesforce", "Zendesk"]);
        assert!(!more);
        assert_eq!(names(&t.children("c", None, 10).0), ["Accounts", "Orders"]);
        assert_eq!(t.children("r", None, 10).0.len(), 3);
        assert!(t.children("o", None, 10).0.is_empty());
    }

    #[test]
    fn subfolders_page_by_the_last_one_shown() {
        let t = tree();
        let (first, more) = t.children("r", None, 2);
        assert_eq!(names(&first), ["Accounting", "Salesforce"]);
        assert!(more);
        let (rest, more) = t.children("r", Some("c"), 2);
        assert_eq!(names(&rest), ["Zendesk"]);
        assert!(!more);
    }
}
