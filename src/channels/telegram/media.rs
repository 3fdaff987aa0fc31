//! Files owed by an update whose download failed for a moment: fetched again by their
//! `file_id` (`getFile` gives a fresh path each time, valid for an hour).

use super::api::{Api, Failure};
use super::settings::Settings;
use crate::channels::{Fetch, IncomingFile, MediaRef, MediaSource};

pub struct TelegramMedia {
    api: Api,
}

impl TelegramMedia {
    pub fn new(settings: &Settings) -> TelegramMedia {
        TelegramMedia { api: Api::new(settings, settings.request_timeout()) }
    }
}

impl MediaSource for TelegramMedia {
    fn fetch(&self, media: &MediaRef) -> Fetch {
        match self.api.download(&media.reference) {
            Ok(bytes) => Fetch::File(IncomingFile {
                file_name: media.file_name.clone(),
                declared_type: media.declared_type.clone(),
                bytes,
            }),
            Err(failure @ Failure::TooLarge) => Fetch::Never { reason: failure.reason() },
            Err(failure) if failure.is_transient() => Fetch::Retry { reason: failure.reason() },
            Err(failure) => Fetch::Never { reason: failure.reason() },
        }
    }
}
