//! The integration tests: the real application over SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` is set.
//! Tests that need one backend sit in a module `on_postgres` or `on_sqlite` and run in that
//! backend's pass only (`.config/nextest.toml`).

mod support;

mod actors;
mod api;
mod audit;
mod browse;
mod build;
mod build_process;
mod build_search;
mod caching;
mod costs;
mod csrf;
mod demo;
mod deploy;
mod deprecation;
mod explain;
mod facets;
mod foreign_posts;
mod generations;
mod grants;
mod groups;
mod http;
mod hygiene;
mod invitations;
mod jobs;
mod legacy;
mod library;
mod library_code;
mod migrations;
mod outages;
mod overview;
mod packs;
mod pages;
mod platform;
mod preview;
mod privileges;
mod reliability;
mod secrets;
mod security;
mod session_reads;
mod sessions;
mod settings;
mod signin;
mod text_rules;
mod update;
mod xss;
