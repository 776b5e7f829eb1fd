//! The Build page's search by part of a component's name, through a trigram index of the names
//! when the text is long enough and rare enough for the index to pay: SQLite's FTS5 index
//! `component_names` (see its migration), PostgreSQL's `pg_trgm` index, which the planner uses
//! by itself. A common text is found faster by reading the account's components in name order
//! until the page is full, which is what [`super::build::list_components`] does otherwise.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};

use super::build::{ComponentFilter, ComponentSummary};

/// The fewest characters the trigram index can look up.
const SHORTEST: usize = 3;

/// At most this many names may hold the text for the index to be used: the page is then
/// sorted from at most this many candidates.
const MOST_CANDIDATES: i64 = 5_000;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// An FTS5 query for names holding `text` as it is (one quoted phrase: with the trigram
/// tokenizer, a phrase matches exactly the names that contain it).
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Whether the index should find the page: the text has enough characters and at most
/// [`MOST_CANDIDATES`] names of any account hold it.
fn worth_it(conn: &mut SqliteConnection, text: &str) -> QueryResult<bool> {
    if text.chars().count() < SHORTEST {
        return Ok(false);
    }
    let found: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM \
         (SELECT rowid FROM component_names WHERE name_key MATCH ? LIMIT ?)",
    )
    .bind::<Text, _>(phrase(text))
    .bind::<BigInt, _>(MOST_CANDIDATES + 1)
    .get_result(conn)?;
    Ok(found.n <= MOST_CANDIDATES)
}

/// One page of the account's live components whose name holds the filter's text, found
/// through the trigram index; `None` when the index would not pay (see [`worth_it`]).
pub fn list_sqlite(
    conn: &mut SqliteConnection,
    account_id: &str,
    filter: &ComponentFilter,
    limit: i64,
) -> QueryResult<Option<Vec<ComponentSummary>>> {
    let Some(text) = filter.name_contains.as_deref() else {
        return Ok(None);
    };
    if !worth_it(conn, text)? {
        return Ok(None);
    }
    // CROSS JOIN keeps the index's matches as the outer loop: each is then checked against
    // the account and the filter, and the few left are sorted.
    let mut sql = String::from(
        "SELECT c.id, c.component_type, c.name, c.name_key, c.folder_id, c.revision, \
         c.updated_at FROM component_names f \
         CROSS JOIN component_search_rows r ON r.row = f.rowid \
         CROSS JOIN components c ON c.id = r.component_id \
         WHERE f.name_key MATCH ? AND c.account_id = ? AND c.deleted_at IS NULL",
    );
    if filter.component_type.is_some() {
        sql.push_str(" AND c.component_type = ?");
    }
    if filter.folder_id.is_some() {
        sql.push_str(" AND c.folder_id = ?");
    }
    if filter.after.is_some() {
        sql.push_str(" AND (c.name_key > ? OR (c.name_key = ? AND c.id > ?))");
    }
    sql.push_str(" ORDER BY c.name_key, c.id LIMIT ?");
    let mut query = diesel::sql_query(sql)
        .into_boxed::<Sqlite>()
        .bind::<Text, _>(phrase(text))
        .bind::<Text, _>(account_id.to_owned());
    if let Some(kind) = &filter.component_type {
        query = query.bind::<Text, _>(kind.clone());
    }
    if let Some(folder) = &filter.folder_id {
        query = query.bind::<Text, _>(folder.clone());
    }
    if let Some((name_key, id)) = &filter.after {
        query = query
            .bind::<Text, _>(name_key.clone())
            .bind::<Text, _>(name_key.clone())
            .bind::<Text, _>(id.clone());
    }
    query.bind::<BigInt, _>(limit).load(conn).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_quotes_the_text_as_it_is() {
        assert_eq!(phrase("step 2"), "\"step 2\"");
        assert_eq!(phrase("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
