//! Background jobs, started when the server lifts off and stopped at shutdown: the
//! session reaper and the outbox worker (`engine::outbox`).

pub mod reaper;

use rocket::fairing::AdHoc;

pub fn fairing() -> AdHoc {
    AdHoc::on_liftoff("background jobs", |rocket| {
        Box::pin(async move {
            reaper::start(rocket);
            if let Some(engine) = rocket.state::<crate::engine::Engine>().cloned() {
                rocket::tokio::spawn(engine.run_outbox(rocket.shutdown()));
            }
        })
    })
}
