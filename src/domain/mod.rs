//! Pure types and rules of the product: no IO, no diesel, no actix.

pub mod accounts;
pub mod audit;
pub mod build;
pub mod component_rules;
pub mod library_code;
pub mod merge;
pub mod tags;
pub mod text;
pub mod validation;
