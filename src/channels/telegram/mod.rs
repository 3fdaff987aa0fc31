//! The Telegram channel (Bot API): a long-polling `getUpdates` poller, a sender, and the
//! fetcher of files whose download has to wait. The bot's token is part of every URL,
//! so no URL is ever logged and errors are scrubbed of it (`api`).

mod api;
mod media;
mod poller;
mod sender;
mod settings;

pub use media::TelegramMedia;
pub use poller::{read_updates, TelegramPoller, Update};
pub use sender::{split, TelegramSender};
pub use settings::{test_connection, Settings, DEFAULT_API_BASE};
