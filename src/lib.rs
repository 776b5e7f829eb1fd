//! Process Library: a multi-tenant integration-platform console. A primary account builds
//! processes, packages and publishes them, and shares them with its managed accounts.
//!
//! Layers: `domain` (pure rules) ← `db` (diesel over SQLite or PostgreSQL) ← `services`
//! (use-cases, authorization, transactions) ← `web` (handlers and pages) and `api` (the JSON
//! API over the same services).

pub mod api;
pub mod app;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod services;
pub mod web;
