//! Dependent components: the transitive closure of references, walked one query per level
//! (never one per component); cycles end because each component is visited once.

use crate::db::ids::*;
use std::collections::BTreeSet;

use crate::db::build::Component;
use crate::db::{self, DbConnection};
use crate::error::AppError;

/// The root and every component it reaches, the root first.
pub fn closure(
    conn: &mut DbConnection,
    account_id: &AccountId,
    root: &Component,
) -> Result<Vec<Component>, AppError> {
    let mut seen: BTreeSet<ComponentId> = BTreeSet::from([root.id.clone()]);
    let mut frontier = vec![root.id.clone()];
    while !frontier.is_empty() {
        let edges = db::build::list_refs_from(conn, &frontier)?;
        frontier = edges
            .into_iter()
            .filter_map(|(_, to)| seen.insert(to.clone()).then_some(to))
            .collect();
    }
    seen.remove(&root.id);
    let ids: Vec<ComponentId> = seen.into_iter().collect();
    let mut dependencies = db::build::list_components_by_ids(conn, account_id, &ids)?;
    dependencies.sort_by(|a, b| a.name_key.cmp(&b.name_key).then(a.id.cmp(&b.id)));
    let mut all = Vec::with_capacity(dependencies.len() + 1);
    all.push(root.clone());
    all.extend(dependencies);
    Ok(all)
}
