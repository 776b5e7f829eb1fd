//! One-off data migrations that need the application's code, run once at start-up and
//! recorded in `data_migrations`: the name keys of names written before keys were compared
//! after NFKC normalization, and the connectors of processes published before published
//! processes kept them.

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};

use super::DbConnection;
use super::schema::data_migrations;
use crate::domain::validation::name_key;
use crate::error::AppError;

type Result<T> = std::result::Result<T, AppError>;

const NFKC_KEYS: &str = "nfkc-name-keys";
const CONNECTORS: &str = "published-connectors";

/// The one-off migrations in the order they run: (name, what it does).
type Migration = fn(&mut DbConnection) -> Result<usize>;
const PENDING: [(&str, Migration); 2] =
    [(NFKC_KEYS, nfkc_keys), (CONNECTORS, published_connectors)];

/// The tables with a key of a name: (table, name column, key column, the column within whose
/// value keys are unique or looked up).
const KEYED: [(&str, &str, &str, Option<&str>); 7] = [
    ("accounts", "name", "name_key", None),
    ("users", "email", "email_key", None),
    ("roles", "name", "name_key", Some("account_id")),
    ("account_groups", "name", "name_key", Some("account_id")),
    ("folders", "name", "name_key", Some("parent_id")),
    ("components", "name", "name_key", Some("folder_id")),
    (
        "published_processes",
        "name",
        "name_key",
        Some("account_id"),
    ),
];

#[derive(QueryableByName)]
struct Keyed {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Nullable<Text>)]
    scope: Option<String>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The `n`th bind parameter of a statement (from 1) in the connection's dialect.
fn param(conn: &DbConnection, n: usize) -> String {
    match conn {
        DbConnection::Sqlite(_) => "?".to_owned(),
        DbConnection::Postgresql(_) => format!("${n}"),
    }
}

/// Runs the one-off migrations not yet recorded; returns how many rows they changed.
pub fn run_pending(conn: &mut DbConnection) -> Result<usize> {
    let mut changed = 0;
    for (name, migration) in PENDING {
        let done: i64 = data_migrations::table
            .filter(data_migrations::name.eq(name))
            .count()
            .get_result(conn)?;
        if done > 0 {
            continue;
        }
        changed += migration(conn)?;
        diesel::insert_into(data_migrations::table)
            .values((
                data_migrations::name.eq(name),
                data_migrations::applied_at.eq(super::now()),
            ))
            .execute(conn)?;
    }
    Ok(changed)
}

/// Fills `published_processes.connectors` from the connections each latest publication froze.
fn published_connectors(conn: &mut DbConnection) -> Result<usize> {
    use super::schema::{package_components, publications, published_processes};
    let rows: Vec<(String, String)> = published_processes::table
        .inner_join(
            publications::table.on(publications::id.eq(published_processes::latest_publication_id)),
        )
        .inner_join(
            package_components::table
                .on(package_components::package_id.eq(publications::package_id)),
        )
        .filter(package_components::component_type.eq("connection"))
        .select((published_processes::id, package_components::body))
        .load(conn)?;
    let mut by_process: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    for (process, body) in rows {
        by_process.entry(process).or_default().push(body);
    }
    let mut changed = 0;
    for (process, bodies) in by_process {
        let codes = crate::domain::build::connector_codes(bodies.iter().map(String::as_str));
        changed += diesel::update(published_processes::table.find(&process))
            .set(published_processes::connectors.eq(codes))
            .execute(conn)?;
    }
    Ok(changed)
}

/// Recomputes the keys of names holding a character outside printable ASCII (for the rest
/// NFKC changes nothing). A name whose new key another row of its scope already holds keeps
/// its old key until it is next edited (then the usual uniqueness check speaks).
fn nfkc_keys(conn: &mut DbConnection) -> Result<usize> {
    let mut changed = 0;
    for (table, name, key, scope) in KEYED {
        let outside_ascii = match conn {
            DbConnection::Sqlite(_) => format!("{name} GLOB '*[^ -~]*'"),
            DbConnection::Postgresql(_) => format!("{name} ~ '[^ -~]'"),
        };
        let scope_column = scope.unwrap_or("NULL");
        let rows: Vec<Keyed> = diesel::sql_query(format!(
            "SELECT id, {name} AS name, {key} AS key, {scope_column} AS scope FROM {table} \
             WHERE {outside_ascii}"
        ))
        .load(conn)?;
        for row in rows {
            let new = name_key(&row.name);
            if new == row.key {
                continue;
            }
            // Names and ids are bound, never spliced: they are what users typed.
            let (p1, p2, p3) = (param(conn, 1), param(conn, 2), param(conn, 3));
            let taken = match (scope, &row.scope) {
                (Some(column), Some(value)) => diesel::sql_query(format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE {key} = {p1} AND id <> {p2} \
                     AND {column} = {p3}"
                ))
                .bind::<Text, _>(&new)
                .bind::<Text, _>(&row.id)
                .bind::<Text, _>(value)
                .get_result::<Count>(conn)?,
                (Some(column), None) => diesel::sql_query(format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE {key} = {p1} AND id <> {p2} \
                     AND {column} IS NULL"
                ))
                .bind::<Text, _>(&new)
                .bind::<Text, _>(&row.id)
                .get_result::<Count>(conn)?,
                (None, _) => diesel::sql_query(format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE {key} = {p1} AND id <> {p2}"
                ))
                .bind::<Text, _>(&new)
                .bind::<Text, _>(&row.id)
                .get_result::<Count>(conn)?,
            }
            .n;
            if taken > 0 {
                continue;
            }
            diesel::sql_query(format!("UPDATE {table} SET {key} = {p1} WHERE id = {p2}"))
                .bind::<Text, _>(&new)
                .bind::<Text, _>(&row.id)
                .execute(conn)?;
            changed += 1;
        }
    }
    Ok(changed)
}
