//! Bot flows ("Fluxo de atendimento"), pure: the definition of a version, the step
//! that moves a customer through it, answer validation, the checks a version must pass
//! before it is published, and the changes between two versions in words.

pub mod answers;
pub mod checks;
pub mod definition;
pub mod diff;
pub mod edit;
pub mod layout;
pub mod menu;
pub mod menu_words;
pub mod placeholders;
pub mod step;

pub use definition::{Block, BlockKind, Definition};
pub use step::{step, Action, Context, HttpOutcome, Input, Note, Outgoing, State, Step};
