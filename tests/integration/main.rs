//! Integration tests: the real Rocket instance on a temporary data directory, and fake
//! outside servers on 127.0.0.1 speaking the real protocols.

mod common;
mod fake_graph;
mod fake_smtp;
mod http;

mod admin_catalogues;
mod admin_groups;
mod admin_pauses;
mod admin_schedules;
mod admin_settings;
mod admin_teams;
mod admin_users;
mod bad_input;
mod channel_edges;
mod cli;
mod closing;
mod composer;
mod contact_panel;
mod contacts;
mod demo;
mod desk;
mod email_addresses;
mod engine;
mod history;
mod links;
mod outbox;
mod pages;
mod permissions;
mod phones;
mod phrases;
mod profile;
mod queue_limit;
mod rate_limits;
mod read_models;
mod security;
mod sign_in;
mod slow_clients;
mod start_conversation;
mod two_factor;
mod untranslated;
mod webchat;
mod whatsapp;
mod wording;
mod workspace;
