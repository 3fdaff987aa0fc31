//! What only `atende demo` mounts: the customer's phone (`phone`) and the services the
//! demo channels talk to in their place — Meta's Graph API (`graph`) and Telegram's
//! Bot API (`bot_api`) — and the shop's order system (`orders`). `atende serve` never
//! mounts these.

mod bot_api;
mod graph;
mod orders;
mod phone;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    let mut routes = phone::routes();
    routes.extend(graph::routes());
    routes.extend(bot_api::routes());
    routes.extend(orders::routes());
    routes
}
