//! The integration tests: the real application over SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` is set.

mod support;

mod actors;
mod audit;
mod browse;
mod build;
mod caching;
mod costs;
mod csrf;
mod demo;
mod deploy;
mod explain;
mod generations;
mod groups;
mod library;
mod migrations;
mod pages;
mod privileges;
mod reliability;
mod secrets;
mod security;
mod sessions;
mod settings;
mod signin;
mod xss;
