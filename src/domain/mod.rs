//! Pure rules with no I/O, unit-tested beside the code.

pub mod clock;
pub mod network;
pub mod password;
pub mod permissions;
pub mod text;
