//! Background jobs, started when the server lifts off and stopped at shutdown.

pub mod reaper;

use rocket::fairing::AdHoc;

pub fn fairing() -> AdHoc {
    AdHoc::on_liftoff("background jobs", |rocket| {
        Box::pin(async move {
            reaper::start(rocket);
        })
    })
}
