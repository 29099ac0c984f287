//! Per-host limits on validation requests: how many may be in flight to one host at once, how
//! soon after the last one another may start, and how many one run may send it in all.
//!
//! A history scan can find hundreds of tokens of one provider. Asking about all of them at
//! once is what gets a CI runner's address rate-limited (or blocked) by the provider, and is
//! rude besides; a few at a time, spaced, costs seconds.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The limits, shared by every worker.
#[derive(Debug)]
pub struct HostLimits {
    per_host: usize,
    interval: Duration,
    /// Requests one run may send to one host: a repository full of distinct fake tokens of
    /// one provider would otherwise keep a CI job asking for hours (four a second) and get
    /// its runner's address blocked.
    budget: usize,
    hosts: Mutex<HashMap<String, HostState>>,
    freed: Condvar,
}

#[derive(Debug)]
struct HostState {
    in_flight: usize,
    /// Requests started so far.
    sent: usize,
    /// The earliest the next request to the host may start.
    next_start: Instant,
}

/// A request's place in its host's limit, given back when dropped.
pub struct Permit<'a> {
    limits: &'a HostLimits,
    host: String,
}

impl HostLimits {
    /// At most `per_host` requests in flight per host (at least 1), started at least
    /// `interval` apart.
    pub fn new(per_host: usize, interval: Duration) -> HostLimits {
        HostLimits::with_budget(per_host, interval, usize::MAX)
    }

    /// [`new`](Self::new), and at most `budget` requests to a host in all.
    pub fn with_budget(per_host: usize, interval: Duration, budget: usize) -> HostLimits {
        HostLimits {
            per_host: per_host.max(1),
            interval,
            budget,
            hosts: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
        }
    }

    /// The budget of requests per host.
    pub fn budget(&self) -> usize {
        self.budget
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, HostState>> {
        self.hosts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until a request to `host` may start; `None` once the host's budget is spent.
    pub fn acquire(&self, host: &str) -> Option<Permit<'_>> {
        let mut hosts = self.lock();
        loop {
            let state = hosts.entry(host.to_string()).or_insert(HostState {
                in_flight: 0,
                sent: 0,
                next_start: Instant::now(),
            });
            if state.sent >= self.budget {
                return None;
            }
            if state.in_flight < self.per_host {
                state.in_flight += 1;
                state.sent += 1;
                let now = Instant::now();
                let start = state.next_start.max(now);
                state.next_start = start + self.interval;
                drop(hosts);
                std::thread::sleep(start.saturating_duration_since(now));
                return Some(Permit {
                    limits: self,
                    host: host.to_string(),
                });
            }
            hosts = self.freed.wait(hosts).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut hosts = self.limits.lock();
        if let Some(state) = hosts.get_mut(&self.host) {
            state.in_flight = state.in_flight.saturating_sub(1);
        }
        drop(hosts);
        self.limits.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn in_flight_per_host_is_bounded_and_starts_are_spaced() {
        let limits = HostLimits::new(2, Duration::from_millis(20));
        let now = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let started = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| {
                    let _p = limits.acquire("api.example.com").expect("no budget set");
                    let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(n, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(30));
                    now.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert!(most.load(Ordering::SeqCst) <= 2);
        // Six starts 20 ms apart: the last no sooner than 100 ms after the first.
        assert!(started.elapsed() >= Duration::from_millis(100));
    }

    #[test]
    fn a_host_gets_its_budget_and_no_more() {
        let limits = HostLimits::with_budget(2, Duration::ZERO, 3);
        for _ in 0..3 {
            assert!(limits.acquire("a.example.com").is_some());
        }
        assert!(limits.acquire("a.example.com").is_none());
        // Another host has its own.
        assert!(limits.acquire("b.example.com").is_some());
    }
}
