//! Everything that talks to services outside Atende, one module per service.

pub mod smtp;
pub mod webchat;
