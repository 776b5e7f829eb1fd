//! Accounts, users, roles, access and sign-in.

pub mod access;
pub mod grants;
pub mod invitations;
pub mod roles;
pub mod sessions;
pub mod setup;
pub mod users;

pub use access::Access;
