//! The order of requests: every address waits in its host's queue, and a pool of workers
//! takes the next request that no limit holds back — at most `per_host` in flight to a host,
//! starts at least `delay` apart on it, a retry not before its wait, all hosts at once. A
//! redirect joins the queue of the host it leads to, so each hop is polite to its own host.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::address::{self, Address};
use super::client::{Failure, Method, Reply, status_text};

/// How hard the check may press.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Requests in flight to one host.
    pub per_host: usize,
    /// Least time between request starts on one host.
    pub delay: Duration,
    /// Requests in flight in all.
    pub concurrency: usize,
    /// Tries after the first on 429 and 5xx.
    pub retries: u32,
    /// Wait before the first retry (doubled after each), when no `Retry-After` says.
    pub backoff: Duration,
    /// The longest `Retry-After` honoured: a longer one gives up on the link for this run.
    pub max_wait: Duration,
    /// Statuses that count as live besides 2xx.
    pub accepted: Vec<u16>,
    /// The request timeout, for messages.
    pub timeout: Duration,
}

/// What became of one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It answered with an accepted status (after any redirects).
    Live,
    /// It is gone: a 4xx answer, a host that does not exist, endless redirects.
    Dead(String),
    /// It could not be told: no answer in time, a refused connection, 5xx or 429 to the last
    /// try. Not kept in the cache: the next run asks again.
    Unreachable(String),
    /// It was not fetched (a private address).
    Skipped(String),
}

/// Redirects followed from one address before it counts as dead.
const MAX_HOPS: u32 = 10;

struct Job {
    /// Which address this request is for.
    index: usize,
    address: Address,
    method: Method,
    hops: u32,
    /// Retries so far (429 and 5xx).
    tries: u32,
    /// Requests sent for this address on this hop, for messages.
    sent: u32,
    not_before: Instant,
}

struct Host {
    queue: VecDeque<Job>,
    in_flight: usize,
    next_start: Instant,
    /// The host answered HEAD with 405 or 501: its next addresses are fetched with GET.
    head_refused: bool,
}

struct State {
    hosts: Vec<Host>,
    by_name: HashMap<String, usize>,
    verdicts: Vec<Option<Verdict>>,
    /// Addresses without a verdict yet.
    pending: usize,
    requests: usize,
}

impl State {
    fn host(&mut self, name: &str, now: Instant) -> usize {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        self.hosts.push(Host { queue: VecDeque::new(), in_flight: 0, next_start: now, head_refused: false });
        self.by_name.insert(name.to_string(), self.hosts.len() - 1);
        self.hosts.len() - 1
    }

    fn enqueue(&mut self, mut job: Job, now: Instant) {
        let host = self.host(&job.address.host, now);
        if self.hosts[host].head_refused && job.method == Method::Head {
            job.method = Method::Get;
        }
        self.hosts[host].queue.push_back(job);
    }

    /// The next request no limit holds back, taken from its queue; else when to look again
    /// (`None`: only answers in flight can free one).
    fn take(&mut self, limits: &Limits, now: Instant) -> Result<(usize, Job), Option<Instant>> {
        let mut wake: Option<Instant> = None;
        for (i, host) in self.hosts.iter_mut().enumerate() {
            if host.in_flight >= limits.per_host || host.queue.is_empty() {
                continue;
            }
            let ready = host.queue.iter().position(|j| j.not_before <= now);
            match ready {
                Some(at) if host.next_start <= now => {
                    let mut job = host.queue.remove(at).ok_or(None)?;
                    // Queued before the host was found to refuse HEAD.
                    if host.head_refused {
                        job.method = Method::Get;
                    }
                    host.in_flight += 1;
                    host.next_start = now + limits.delay;
                    self.requests += 1;
                    return Ok((i, job));
                }
                _ => {
                    let soonest = host.queue.iter().map(|j| j.not_before).min().unwrap_or(now);
                    let when = soonest.max(host.next_start);
                    wake = Some(wake.map_or(when, |w| w.min(when)));
                }
            }
        }
        Err(wake)
    }
}

/// What to do after an answer.
#[derive(Debug, PartialEq)]
enum Next {
    Done(Verdict),
    /// Ask again with `method` after `after`; `host_wait` holds back the whole host.
    Again {
        method: Method,
        after: Duration,
        retry: bool,
        host_wait: Option<Duration>,
        refuses_head: bool,
    },
    Follow(String),
}

/// What an answer to `job` means.
fn judge(job: &Job, reply: Reply, limits: &Limits) -> Next {
    let (code, location, retry_after) = match reply {
        Reply::Status { code, location, retry_after } => (code, location, retry_after),
        Reply::Failed(Failure::Timeout) => {
            return Next::Done(Verdict::Unreachable(format!("no answer within {} s", limits.timeout.as_secs())));
        }
        Reply::Failed(Failure::NoSuchHost) => {
            return Next::Done(Verdict::Dead("its host name does not resolve".into()));
        }
        Reply::Failed(Failure::Private) => {
            return Next::Done(Verdict::Skipped("its host is a private or loopback address".into()));
        }
        Reply::Failed(Failure::Other(why)) => return Next::Done(Verdict::Unreachable(why)),
    };
    if (200..300).contains(&code) || code == 304 || limits.accepted.contains(&code) {
        return Next::Done(Verdict::Live);
    }
    if (300..400).contains(&code) {
        let Some(location) = location else {
            return Next::Done(Verdict::Unreachable(format!("{} without a Location", status_text(code))));
        };
        if job.hops >= MAX_HOPS {
            return Next::Done(Verdict::Dead(format!("it redirects more than {MAX_HOPS} times")));
        }
        return Next::Follow(address::redirect_target(&job.address.request, &location));
    }
    let transient = code == 429 || code >= 500 && code != 501;
    // Many servers mishandle HEAD (405, 501, even 404): GET has the last word.
    if job.method == Method::Head && !transient {
        let refuses_head = code == 405 || code == 501;
        return Next::Again { method: Method::Get, after: Duration::ZERO, retry: false, host_wait: None, refuses_head };
    }
    if !transient {
        return Next::Done(Verdict::Dead(status_text(code)));
    }
    if let Some(wait) = retry_after.filter(|w| *w > limits.max_wait) {
        let why = format!("{}, asked to wait {} s", status_text(code), wait.as_secs());
        return Next::Done(Verdict::Unreachable(why));
    }
    if job.tries >= limits.retries {
        // A server failing HEAD to the end may still serve GET: one last request with it.
        if job.method == Method::Head {
            return Next::Again {
                method: Method::Get,
                after: Duration::ZERO,
                retry: false,
                host_wait: None,
                refuses_head: false,
            };
        }
        let sent = job.sent + 1;
        return Next::Done(Verdict::Unreachable(format!("{} after {sent} requests", status_text(code))));
    }
    let after = retry_after.unwrap_or_else(|| limits.backoff.saturating_mul(1 << job.tries.min(16)));
    Next::Again { method: job.method, after, retry: true, host_wait: retry_after, refuses_head: false }
}

/// Fetches every address of `addresses` with `send`, within `limits`; their verdicts in the
/// same order, and how many requests were sent.
pub fn run(
    addresses: Vec<Address>,
    limits: &Limits,
    send: &(dyn Fn(Method, &str) -> Reply + Sync),
) -> (Vec<Verdict>, usize) {
    let now = Instant::now();
    let count = addresses.len();
    let mut state =
        State { hosts: Vec::new(), by_name: HashMap::new(), verdicts: vec![None; count], pending: count, requests: 0 };
    for (index, address) in addresses.into_iter().enumerate() {
        state.enqueue(Job { index, address, method: Method::Head, hops: 0, tries: 0, sent: 0, not_before: now }, now);
    }
    let workers = limits.concurrency.min(count).max(1);
    let shared = (Mutex::new(state), Condvar::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| work(&shared, limits, send));
        }
    });
    let state = shared.0.into_inner().unwrap_or_else(PoisonError::into_inner);
    let verdicts =
        state.verdicts.into_iter().map(|v| v.unwrap_or(Verdict::Unreachable("not checked".into()))).collect();
    (verdicts, state.requests)
}

/// One worker: takes requests until every address has its verdict.
fn work(shared: &(Mutex<State>, Condvar), limits: &Limits, send: &(dyn Fn(Method, &str) -> Reply + Sync)) {
    let (lock, changed) = shared;
    let mut state = lock.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if state.pending == 0 {
            changed.notify_all();
            return;
        }
        let now = Instant::now();
        let (host, job) = match state.take(limits, now) {
            Ok(taken) => taken,
            Err(wake) => {
                state = match wake {
                    Some(at) => {
                        changed
                            .wait_timeout(state, at.saturating_duration_since(now))
                            .unwrap_or_else(PoisonError::into_inner)
                            .0
                    }
                    None => changed.wait(state).unwrap_or_else(PoisonError::into_inner),
                };
                continue;
            }
        };
        drop(state);
        let reply = send(job.method, &job.address.request);
        let next = judge(&job, reply, limits);
        state = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        state.hosts[host].in_flight -= 1;
        match next {
            Next::Done(verdict) => {
                state.verdicts[job.index] = Some(verdict);
                state.pending -= 1;
            }
            Next::Again { method, after, retry, host_wait, refuses_head } => {
                state.hosts[host].head_refused |= refuses_head;
                if let Some(wait) = host_wait {
                    let held = &mut state.hosts[host].next_start;
                    *held = (*held).max(now + wait);
                }
                let tries = job.tries + u32::from(retry);
                let again = Job { method, tries, sent: job.sent + 1, not_before: now + after, ..job };
                // Asked again at once (GET after HEAD): ahead of the queue, as it was.
                if after.is_zero() {
                    state.hosts[host].queue.push_front(again);
                } else {
                    state.hosts[host].queue.push_back(again);
                }
            }
            Next::Follow(target) => match address::parse(&target) {
                Ok(address) => {
                    let hops = job.hops + 1;
                    state.enqueue(
                        Job { address, hops, tries: 0, sent: 0, not_before: now, method: Method::Head, ..job },
                        now,
                    );
                }
                Err(_) => {
                    let why = format!("it redirects to `{target}`, which is not a web address");
                    state.verdicts[job.index] = Some(Verdict::Dead(why));
                    state.pending -= 1;
                }
            },
        }
        changed.notify_all();
    }
}
