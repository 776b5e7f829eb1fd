//! The integration tests: the real application over SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` is set.

mod support;

mod audit;
mod csrf;
mod migrations;
mod pages;
mod privileges;
mod sessions;
mod settings;
mod signin;
