//! The test harness: the real application over a fresh database per test (SQLite in a
//! temporary file, or a new PostgreSQL database when `TEST_DATABASE_URL` names a server),
//! a cookie-keeping client, one-line factories, and the worlds of several objects tests share.

#![allow(dead_code)]

mod client;
mod database;
mod factories;
pub mod proxy;
mod routes;
mod worlds;

pub use client::{Response, TestApp};
pub use database::{postgres_admin_url, queries_so_far};
pub use factories::{SENTINEL, admin_app, connection, connector_process};
pub use routes::{route_patterns, struct_fields};
pub use worlds::{
    Tenant, World, hot_pages, install, integration_pack, library_world, scale_world, share,
    shared_with_gold, tenant,
};

pub const PASSWORD: &str = "correct horse battery";
