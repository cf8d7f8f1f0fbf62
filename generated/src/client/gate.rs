//! What every attempt of every call of one client (and of its clones) passes before it is sent:
//! the `max_in_flight` bound and the pacing slot ([`runtime::pacing`](crate::runtime::pacing)
//! decides; this module waits, on tokio's clock, and reports the wait to `tracing`).

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;

use super::trace;
use crate::runtime::pacing::{Pacer, Pacing};
use crate::runtime::retry::random_u64;
use crate::runtime::RateLimit;

pub(crate) struct Gate {
    pacer: Mutex<Pacer>,
    /// The zero of the pacer's clock.
    origin: Instant,
    /// The wall-clock time at `origin`: the wall clock the pacer reads `X-RateLimit-Reset`
    /// against advances with tokio's clock from here (see [`Gate::unix_now`]).
    wall_at_origin: Mutex<SystemTime>,
    in_flight: Option<Semaphore>,
    max_in_flight: Option<usize>,
}

/// Why an attempt could not start.
pub(crate) enum Refused {
    /// Its pacing slot (or a place among `max_in_flight`) comes after the call's deadline.
    PastDeadline,
}

impl Gate {
    pub fn new(pacing: Pacing, max_in_flight: Option<usize>) -> Gate {
        Gate {
            pacer: Mutex::new(Pacer::new(pacing)),
            origin: Instant::now(),
            wall_at_origin: Mutex::new(SystemTime::now()),
            in_flight: max_in_flight.map(Semaphore::new),
            max_in_flight,
        }
    }

    fn pacer(&self) -> MutexGuard<'_, Pacer> {
        self.pacer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn now(&self) -> Duration {
        Instant::now().saturating_duration_since(self.origin)
    }

    /// The wall clock at `now` (on the pacer's clock). It advances with tokio's clock, so that a
    /// paused test clock and a server scripted on it agree on when a reset comes; when the real
    /// wall clock runs ahead of it by more than a second (the machine was suspended, which the
    /// monotonic clock does not count) it starts again from the real one. Ahead of a reset,
    /// lagging the real clock only makes pacing more careful.
    fn unix_now(&self, now: Duration) -> SystemTime {
        let mut anchor = self.wall_at_origin.lock().unwrap_or_else(PoisonError::into_inner);
        let estimate = *anchor + now;
        let real = SystemTime::now();
        match real.duration_since(estimate) {
            Ok(ahead) if ahead > Duration::from_secs(1) => {
                *anchor += ahead;
                real
            }
            _ => estimate,
        }
    }

    pub fn pacing(&self) -> Pacing {
        self.pacer().config()
    }

    pub fn max_in_flight(&self) -> Option<usize> {
        self.max_in_flight
    }

    /// The rate limit of the latest response any call of this client received.
    pub fn rate_limit(&self) -> RateLimit {
        self.pacer().latest()
    }

    /// Waits for a place among `max_in_flight` and then for the pacing slot. The ticket gives
    /// the slot back (to the in-flight count) when the attempt ends, however it ends.
    pub async fn enter(&self, deadline: Option<Instant>, operation_id: &'static str) -> Result<Ticket<'_>, Refused> {
        let permit = match &self.in_flight {
            None => None,
            // The semaphore is never closed, so `acquire` fails only past the deadline.
            Some(semaphore) => match deadline {
                None => semaphore.acquire().await.ok(),
                Some(at) => match tokio::time::timeout_at(at, semaphore.acquire()).await {
                    Ok(permit) => permit.ok(),
                    Err(_) => return Err(Refused::PastDeadline),
                },
            },
        };
        let (wait, remaining) = {
            let mut pacer = self.pacer();
            (pacer.grant(self.now(), random_u64()), pacer.latest().remaining)
        };
        // From here on a dropped call (or a refusal) hands the slot back.
        let ticket = Ticket { gate: self, _permit: permit, answered: false };
        if !wait.is_zero() {
            if deadline.is_some_and(|at| Instant::now() + wait > at) {
                return Err(Refused::PastDeadline);
            }
            trace::paced(operation_id, wait, remaining);
            tokio::time::sleep(wait).await;
        }
        Ok(ticket)
    }
}

/// One attempt let through the gate.
pub(crate) struct Ticket<'a> {
    gate: &'a Gate,
    _permit: Option<SemaphorePermit<'a>>,
    answered: bool,
}

impl Ticket<'_> {
    /// The attempt got a response reporting `rate_limit`.
    pub fn answered(mut self, rate_limit: &RateLimit) {
        self.answered = true;
        let now = self.gate.now();
        let unix_now = self.gate.unix_now(now);
        self.gate.pacer().observe(rate_limit, now, unix_now, random_u64());
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if !self.answered {
            self.gate.pacer().abandon();
        }
    }
}
