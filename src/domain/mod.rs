//! Pure rules with no I/O, unit-tested beside the code.

pub mod backoff;
pub mod cell_text;
pub mod channel_kind;
pub mod clock;
pub mod email;
pub mod fields;
pub mod flow;
pub mod image;
pub mod inactivity;
pub mod message_status;
pub mod message_template;
pub mod network;
pub mod password;
pub mod pause;
pub mod percentile;
pub mod permissions;
pub mod phone;
pub mod protocol;
pub mod report_period;
pub mod routing;
pub mod schedule;
pub mod service_level;
pub mod survey;
pub mod text;
pub mod window;
pub mod word_filter;
