//! The data generation: a counter that database triggers move, in the same transaction, with
//! every change to what instances cache in memory (accounts, roles, groups, publications,
//! installations). A cached value built at generation `g` is current while the counter is `g`.

use diesel::prelude::*;

use super::DbConnection;
use super::schema::generations;
use crate::error::AppError;

/// The counter as committed now.
pub fn current(conn: &mut DbConnection) -> Result<i64, AppError> {
    Ok(generations::table
        .find(1)
        .select(generations::value)
        .first(conn)?)
}

/// The counter as a scalar subquery, to read it in the same statement as something else.
pub fn current_value() -> diesel::dsl::SingleValue<
    diesel::dsl::Select<diesel::dsl::Find<generations::table, i32>, generations::value>,
> {
    generations::table
        .find(1)
        .select(generations::value)
        .single_value()
}
