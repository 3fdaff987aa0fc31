//! A flow's HTTP block, carried out: on a blocking thread, with the addresses the
//! name resolves to checked before connecting (private and loopback ones refused
//! unless the flow allows them — the check is in the resolver, so the connection goes
//! to exactly the addresses checked), no redirects followed, the block's timeout, and
//! at most 1 MiB of answer. The result is fed back to the flow as its next input.

use std::time::Duration;

use crate::channels::guarded_http;
use crate::domain::flow::definition::HttpMethod;
use crate::domain::flow::step::HttpCall;
use crate::domain::flow::HttpOutcome;

/// Most of an answer read.
const MAX_ANSWER: u64 = 1024 * 1024;
/// Longest a block may wait, whatever it says.
const MAX_TIMEOUT_MS: u64 = 30_000;

/// Makes the call; never panics, every failure is an outcome.
pub(crate) fn call(call: &HttpCall) -> HttpOutcome {
    let timeout = Duration::from_millis(call.timeout_ms.clamp(100, MAX_TIMEOUT_MS));
    let agent = guarded_http::agent(timeout, call.allow_private);
    let sent = match call.method {
        HttpMethod::Get => agent.get(&call.url).call(),
        HttpMethod::Post => agent.post(&call.url).content_type("application/json").send(call.body.as_bytes()),
        HttpMethod::Put => agent.put(&call.url).content_type("application/json").send(call.body.as_bytes()),
    };
    match sent {
        Ok(mut answer) => {
            let status = answer.status().as_u16();
            match answer.body_mut().with_config().limit(MAX_ANSWER).read_to_string() {
                Ok(body) => HttpOutcome::Answered { status, body },
                Err(e) => HttpOutcome::Failed(e.to_string()),
            }
        }
        Err(e) => HttpOutcome::Failed(e.to_string()),
    }
}
