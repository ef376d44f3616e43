//! The order of requests: every address waits in its host's queue, and a pool of workers
//! takes the next request that no limit holds back — at most `per_host` in flight to a host,
//! starts at least `delay` apart on it, a retry not before its wait, all hosts at once. A
//! redirect joins the queue of the host it leads to, so each hop is polite to its own host.
//! A 429 holds back its whole host; the run stops asking at its time limit.

use std::collections::{HashMap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
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
    /// Retries of one link after its first request, on 429 and 5xx, all hops together.
    pub retries: u32,
    /// Wait before the first retry (doubled after each), when no `Retry-After` says.
    pub backoff: Duration,
    /// The longest `Retry-After` honoured: a longer one gives up on the link for this run.
    pub max_wait: Duration,
    /// Statuses that count as live besides 2xx.
    pub accepted: Vec<u16>,
    /// The request timeout, for messages.
    pub timeout: Duration,
    /// How long the whole run may take: links not asked about by then are unreachable.
    pub time_limit: Duration,
}

/// What became of one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It answered with an accepted status (after any redirects).
    Live,
    /// It is gone: a 4xx answer, a host that does not exist, endless redirects.
    Dead(String),
    /// It could not be told: no answer in time, a refused connection, 5xx or 429 to the last
    /// try, a redirect into a private network. Not kept in the cache: the next run asks again.
    Unreachable(String),
    /// It was not fetched (a private address, a skip pattern).
    Skipped(String),
}

/// What a redirect's target gets before it is fetched: `Some` verdict for one that must not
/// be (the same test as the links as written: skip patterns, private names).
pub type Screen<'a> = &'a (dyn Fn(&str, &Address) -> Option<Verdict> + Sync);

/// Sends one request.
pub type Send<'a> = &'a (dyn Fn(Method, &str) -> Reply + Sync);

/// Redirects followed from one address before it counts as dead.
const MAX_HOPS: u32 = 10;

struct Job {
    /// Which address this request is for.
    index: usize,
    address: Address,
    method: Method,
    hops: u32,
    /// Retries so far (429 and 5xx), over every hop.
    tries: u32,
    /// Requests sent for this address, for messages.
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
    deadline: Instant,
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

    fn enqueue(&mut self, job: Job, now: Instant) {
        let host = self.host(&job.address.host, now);
        self.hosts[host].queue.push_back(job);
    }

    fn settle(&mut self, index: usize, verdict: Verdict) {
        if self.verdicts[index].is_none() {
            self.pending -= 1;
        }
        self.verdicts[index] = Some(verdict);
    }

    /// Past the time limit: every link still queued is given up on.
    fn give_up(&mut self, limits: &Limits) {
        let why = format!("not asked about: the run reached its time limit ({} s)", limits.time_limit.as_secs());
        let queued: Vec<usize> = self.hosts.iter_mut().flat_map(|h| h.queue.drain(..)).map(|j| j.index).collect();
        for index in queued {
            self.settle(index, Verdict::Unreachable(why.clone()));
        }
    }

    /// The next request no limit holds back, taken from its queue; else when to look again
    /// (`None`: only answers in flight can free one).
    fn take(&mut self, limits: &Limits, now: Instant) -> Result<(usize, Job), Option<Instant>> {
        if now >= self.deadline {
            self.give_up(limits);
            return Err(None);
        }
        let mut wake: Option<Instant> = None;
        for (i, host) in self.hosts.iter_mut().enumerate() {
            if host.in_flight >= limits.per_host || host.queue.is_empty() {
                continue;
            }
            let ready = host.queue.iter().position(|j| j.not_before <= now);
            match ready {
                Some(at) if host.next_start <= now => {
                    let Some(mut job) = host.queue.remove(at) else { continue };
                    // Queued before the host was found to refuse HEAD.
                    if host.head_refused {
                        job.method = Method::Get;
                    }
                    host.in_flight += 1;
                    host.next_start = later(now, limits.delay);
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
        // Waking at the time limit at the latest, to give up on what is left.
        Err(Some(wake.map_or(self.deadline, |w| w.min(self.deadline))))
    }
}

/// `after` from `now`, or a year from it where that cannot be told (no wait is that long).
fn later(now: Instant, after: Duration) -> Instant {
    now.checked_add(after).or_else(|| now.checked_add(Duration::from_secs(365 * 86_400))).unwrap_or(now)
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
        // A name written as public that leads inside is not fetched; a redirect there is a
        // link readers cannot follow either.
        Reply::Failed(Failure::Private) if job.hops == 0 => {
            return Next::Done(Verdict::Skipped("its host is a private or loopback address".into()));
        }
        Reply::Failed(Failure::Private) => {
            let why = format!("it redirects to `{}`, a private or loopback address", job.address.request);
            return Next::Done(Verdict::Unreachable(why));
        }
        Reply::Failed(Failure::Other(why)) => return Next::Done(Verdict::Unreachable(why)),
    };
    if (200..300).contains(&code) || code == 304 || limits.accepted.contains(&code) {
        return Next::Done(Verdict::Live);
    }
    if (300..400).contains(&code) {
        let Some(target) = location.as_deref().and_then(|l| address::redirect_target(&job.address.request, l)) else {
            return Next::Done(Verdict::Unreachable(format!("{} without a Location", status_text(code))));
        };
        if job.hops >= MAX_HOPS {
            return Next::Done(Verdict::Dead(format!("it redirects more than {MAX_HOPS} times")));
        }
        return Next::Follow(target);
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
    let backoff = limits.backoff.saturating_mul(1 << job.tries.min(16));
    // A 429 holds back the whole host, for as long as it asks (within reason) or the backoff.
    let host_wait = (code == 429).then(|| retry_after.unwrap_or(backoff).min(limits.max_wait));
    if let Some(wait) = retry_after.filter(|w| *w > limits.max_wait) {
        let why = format!("{}, asked to wait {} s", status_text(code), wait.as_secs());
        return Next::Done(Verdict::Unreachable(why));
    }
    let after = retry_after.unwrap_or(backoff);
    if job.tries >= limits.retries {
        // A server failing HEAD to the end may still serve GET: one last request with it.
        if job.method == Method::Head {
            return Next::Again { method: Method::Get, after, retry: false, host_wait, refuses_head: false };
        }
        let sent = job.sent + 1;
        return Next::Done(Verdict::Unreachable(format!("{} after {sent} requests", status_text(code))));
    }
    Next::Again { method: job.method, after, retry: true, host_wait, refuses_head: false }
}

/// Fetches every address of `addresses` with `send`, within `limits`, a redirect's target
/// once `screen` lets it through; their verdicts in the same order, and how many requests
/// were sent.
pub fn run(addresses: Vec<Address>, limits: &Limits, screen: Screen<'_>, send: Send<'_>) -> (Vec<Verdict>, usize) {
    let now = Instant::now();
    let count = addresses.len();
    let mut state = State {
        hosts: Vec::new(),
        by_name: HashMap::new(),
        verdicts: vec![None; count],
        pending: count,
        requests: 0,
        deadline: later(now, limits.time_limit),
    };
    for (index, address) in addresses.into_iter().enumerate() {
        let job = Job { index, address, method: Method::Head, hops: 0, tries: 0, sent: 0, not_before: now };
        state.enqueue(job, now);
    }
    let workers = limits.concurrency.min(count).max(1);
    let shared = (Mutex::new(state), Condvar::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| work(&shared, limits, screen, send));
        }
    });
    let state = shared.0.into_inner().unwrap_or_else(PoisonError::into_inner);
    let verdicts =
        state.verdicts.into_iter().map(|v| v.unwrap_or(Verdict::Unreachable("not checked".into()))).collect();
    (verdicts, state.requests)
}

/// One worker: takes requests until every address has its verdict.
fn work(shared: &(Mutex<State>, Condvar), limits: &Limits, screen: Screen<'_>, send: Send<'_>) {
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
                if state.pending == 0 {
                    continue;
                }
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
        // A client that panics must not leave the others waiting for its answer forever.
        let reply = catch_unwind(AssertUnwindSafe(|| send(job.method, &job.address.request)))
            .unwrap_or_else(|_| Reply::Failed(Failure::Other("the HTTP client failed".into())));
        let next = judge(&job, reply, limits);
        state = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        state.hosts[host].in_flight -= 1;
        match next {
            Next::Done(verdict) => state.settle(job.index, verdict),
            Next::Again { method, after, retry, host_wait, refuses_head } => {
                state.hosts[host].head_refused |= refuses_head;
                if let Some(wait) = host_wait {
                    let held = &mut state.hosts[host].next_start;
                    *held = (*held).max(later(now, wait));
                }
                let tries = job.tries + u32::from(retry);
                let again = Job { method, tries, sent: job.sent + 1, not_before: later(now, after), ..job };
                // Asked again at once (GET after HEAD): ahead of the queue, as it was.
                if after.is_zero() {
                    state.hosts[host].queue.push_front(again);
                } else {
                    state.hosts[host].queue.push_back(again);
                }
            }
            Next::Follow(target) => match address::parse(&target) {
                Ok(address) => match screen(&target, &address) {
                    Some(Verdict::Skipped(why)) if why.contains("private") => {
                        let why = format!("it redirects to `{target}`, a private or loopback address");
                        state.settle(job.index, Verdict::Unreachable(why));
                    }
                    Some(verdict) => state.settle(job.index, verdict),
                    None => {
                        let (hops, sent) = (job.hops + 1, job.sent + 1);
                        let job = Job { address, hops, sent, not_before: now, method: Method::Head, ..job };
                        state.enqueue(job, now);
                    }
                },
                Err(_) => {
                    let why = format!("it redirects to `{target}`, which is not a web address");
                    state.settle(job.index, Verdict::Dead(why));
                }
            },
        }
        changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            per_host: 2,
            delay: Duration::ZERO,
            concurrency: 4,
            retries: 2,
            backoff: Duration::from_millis(100),
            max_wait: Duration::from_secs(120),
            accepted: vec![999],
            timeout: Duration::from_secs(15),
            time_limit: Duration::from_secs(60),
        }
    }

    fn job(method: Method, tries: u32, hops: u32) -> Job {
        let address = address::parse("https://e.org/a").expect("an address");
        Job { index: 0, address, method, hops, tries, sent: tries, not_before: Instant::now() }
    }

    fn status(code: u16, retry_after: Option<u64>) -> Reply {
        Reply::Status { code, location: None, retry_after: retry_after.map(Duration::from_secs) }
    }

    #[test]
    fn answers_mean_what_they_say() {
        let l = limits();
        assert_eq!(judge(&job(Method::Get, 0, 0), status(204, None), &l), Next::Done(Verdict::Live));
        assert_eq!(judge(&job(Method::Get, 0, 0), status(999, None), &l), Next::Done(Verdict::Live), "accepted");
        assert_eq!(judge(&job(Method::Get, 0, 0), status(410, None), &l), Next::Done(Verdict::Dead("410 Gone".into())));
        // HEAD refused: GET at once, and the host remembered.
        let Next::Again { method, after, refuses_head, .. } = judge(&job(Method::Head, 0, 0), status(405, None), &l)
        else {
            panic!("again")
        };
        assert_eq!((method, after, refuses_head), (Method::Get, Duration::ZERO, true));
        // A 404 to HEAD is asked again with GET too, without marking the host.
        assert!(matches!(
            judge(&job(Method::Head, 0, 0), status(404, None), &l),
            Next::Again { refuses_head: false, .. }
        ));
    }

    #[test]
    fn throttling_holds_the_host_and_backs_off() {
        let l = limits();
        // 429 with Retry-After: the link and its host wait that long.
        let next = judge(&job(Method::Head, 0, 0), status(429, Some(3)), &l);
        assert_eq!(
            next,
            Next::Again {
                method: Method::Head,
                after: Duration::from_secs(3),
                retry: true,
                host_wait: Some(Duration::from_secs(3)),
                refuses_head: false
            }
        );
        // Without one, the backoff, doubled by the tries so far; the host waits too.
        let Next::Again { after, host_wait, .. } = judge(&job(Method::Get, 1, 0), status(429, None), &l) else {
            panic!("again")
        };
        assert_eq!((after, host_wait), (Duration::from_millis(200), Some(Duration::from_millis(200))));
        // A 503 backs off the link alone.
        assert!(matches!(judge(&job(Method::Get, 0, 0), status(503, None), &l), Next::Again { host_wait: None, .. }));
        // Out of tries: HEAD gets a last GET (after the wait asked); GET gives up.
        assert!(matches!(
            judge(&job(Method::Head, 2, 0), status(503, None), &l),
            Next::Again { method: Method::Get, retry: false, .. }
        ));
        assert_eq!(
            judge(&job(Method::Get, 2, 0), status(503, None), &l),
            Next::Done(Verdict::Unreachable("503 Service Unavailable after 3 requests".into()))
        );
        // A wait longer than any run should take gives up on the link.
        assert!(matches!(
            judge(&job(Method::Get, 0, 0), status(429, Some(3600)), &l),
            Next::Done(Verdict::Unreachable(_))
        ));
    }

    #[test]
    fn redirects_are_followed_within_bounds() {
        let l = limits();
        let moved = |to: &str| Reply::Status { code: 301, location: Some(to.into()), retry_after: None };
        assert_eq!(judge(&job(Method::Head, 0, 0), moved("/b"), &l), Next::Follow("https://e.org/b".into()));
        assert!(matches!(judge(&job(Method::Head, 0, MAX_HOPS), moved("/b"), &l), Next::Done(Verdict::Dead(_))));
        assert!(matches!(judge(&job(Method::Head, 0, 0), moved(""), &l), Next::Done(Verdict::Unreachable(_))));
        let private = Reply::Failed(Failure::Private);
        assert!(matches!(judge(&job(Method::Head, 0, 0), private.clone(), &l), Next::Done(Verdict::Skipped(_))));
        assert!(matches!(judge(&job(Method::Head, 0, 1), private, &l), Next::Done(Verdict::Unreachable(_))));
    }

    #[test]
    fn the_time_limit_gives_up_on_what_is_left_and_a_panicking_client_on_its_link() {
        // One host, one link a second: the second starts at 1 s, within the limit of 1.5 s, the
        // third would at 2 s (half a second either side for a loaded machine).
        let l = Limits {
            time_limit: Duration::from_millis(1500),
            per_host: 1,
            delay: Duration::from_millis(1000),
            ..limits()
        };
        let addresses: Vec<Address> =
            (0..5).map(|i| address::parse(&format!("https://e.org/{i}")).expect("address")).collect();
        let screen = |_: &str, _: &Address| None;
        let send = |_: Method, url: &str| {
            if url.ends_with("/0") {
                panic!("a client bug");
            }
            Reply::Status { code: 200, location: None, retry_after: None }
        };
        let started = Instant::now();
        let (verdicts, _) = run(addresses, &l, &screen, &send);
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
        assert_eq!(verdicts[0], Verdict::Unreachable("the HTTP client failed".into()));
        assert_eq!(verdicts[1], Verdict::Live);
        assert!(
            verdicts[2..].iter().all(|v| matches!(v, Verdict::Unreachable(why) if why.contains("time limit"))),
            "{verdicts:?}"
        );
    }
}
