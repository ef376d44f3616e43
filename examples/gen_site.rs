//! Writes a synthetic critique site for benchmarks: `critique.toml`, N/50 projects, N reviews
//! of about 600 words each, and three free pages. The same seed and N give the same bytes.
//!
//! ```sh
//! cargo run --release --example gen_site -- --reviews 10000 --seed 42 DIR [--hugo HUGO_DIR]
//! ```
//!
//! With `--hugo HUGO_DIR` the same site is also written as a Hugo site (same Markdown bodies,
//! simple front matter, a minimal layout) so that the two generators can be timed on equal
//! content. Only std is used: a splitmix64 generator seeded from `--seed` drives every choice.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a benchmark tool reports on the terminal")]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The file that marks a directory as written by this generator (it may be emptied and
/// rewritten); any other non-empty directory is refused.
const MARK: &str = ".gen-site";

const AXES: [&str; 6] = ["cost", "speed", "reliability", "ease", "decentralization", "accountability"];
const VERDICTS: [&str; 5] = ["delivers", "promising", "unproven", "overstated", "misleading"];

const CONFIG: &str = r#"# A synthetic site written by examples/gen_site.rs for benchmarks.
title = "critique — benchmark site"
description = "Synthetic critical reviews of synthetic projects, generated for benchmarks."
base_url = "https://bench.example.org/"
language = "en"

[scale]
min = 0
max = 10

[[axes]]
key = "cost"
label = "Cheaper"
ask = "Is it cheaper than what developers use today?"

[[axes]]
key = "speed"
label = "Faster"
ask = "Is it faster than what developers use today?"

[[axes]]
key = "reliability"
label = "More reliable"
ask = "Does it keep working under pressure?"

[[axes]]
key = "ease"
label = "Easier to use"
ask = "Is it easier to adopt and operate?"

[[axes]]
key = "decentralization"
label = "Decentralization"
ask = "Is control really spread out, or concentrated in new hands?"

[[axes]]
key = "accountability"
label = "Accountability"
ask = "Is someone answerable when it fails at 2 a.m.?"

[[verdicts]]
key = "delivers"
label = "Delivers"
description = "The claims hold up under scrutiny."

[[verdicts]]
key = "promising"
label = "Promising"
description = "Mostly credible, with questions still open."

[[verdicts]]
key = "unproven"
label = "Unproven"
description = "The claims may be true, but the evidence is not there yet."

[[verdicts]]
key = "overstated"
label = "Overstated"
description = "The claims go well beyond the evidence."

[[verdicts]]
key = "misleading"
label = "Misleading"
description = "The evidence contradicts the claims."
"#;

const TAGS: [&str; 40] = [
    "governance",
    "tokenomics",
    "concentration",
    "latency",
    "pricing",
    "uptime",
    "incident-response",
    "verification",
    "decentralized-ai",
    "storage",
    "bandwidth",
    "compute",
    "staking",
    "validators",
    "multisig",
    "timelock",
    "audits",
    "open-source",
    "licensing",
    "developer-experience",
    "documentation",
    "sdk",
    "onboarding",
    "privacy",
    "zero-knowledge",
    "rollups",
    "bridges",
    "oracles",
    "identity",
    "messaging",
    "payments",
    "stablecoins",
    "energy",
    "hardware",
    "benchmarks",
    "marketing",
    "roadmap",
    "treasury",
    "community",
    "regulation",
];

const CATEGORIES: [&str; 12] = [
    "AI infrastructure",
    "Storage",
    "Compute marketplace",
    "Networking",
    "Payments",
    "Identity",
    "Data availability",
    "Oracles",
    "Messaging",
    "Developer tools",
    "Energy markets",
    "Content delivery",
];

const FIRST_NAMES: [&str; 30] = [
    "Ada", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hiroshi", "Ines", "Jonas", "Kavya", "Lars", "Mei",
    "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tomasz", "Uma", "Viktor", "Wanjiru", "Xavier", "Yara",
    "Zeno", "Amara", "Bastien", "Carmen", "Desmond",
];

const LAST_NAMES: [&str; 10] =
    ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Reinholt", "Castellanos", "Novak", "Haddad", "Brennan", "Iyer"];

const NAME_HEADS: [&str; 24] = [
    "Ferry", "Proof", "Gradient", "Commons", "Lattice", "Quorum", "Harbor", "Relay", "Cinder", "Atlas", "Beacon",
    "Drift", "Ember", "Fathom", "Granite", "Helix", "Ion", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus",
    "Orbit", "Pylon",
];

const NAME_TAILS: [&str; 16] = [
    "mesh", "holm", "net", "works", "base", "grid", "stack", "chain", "hub", "flow", "vault", "link", "forge", "field",
    "port", "line",
];

const OPENERS: [&str; 16] = [
    "",
    "",
    "",
    "",
    "In practice, ",
    "On paper, ",
    "To be fair, ",
    "As far as I can tell, ",
    "Put plainly, ",
    "For now, ",
    "Read carefully, ",
    "In my testing, ",
    "Again, ",
    "Worse, ",
    "Still, ",
    "By contrast, ",
];

const SUBJECTS: [&str; 28] = [
    "the token schedule",
    "the operator dashboard",
    "every node operator",
    "the public testnet",
    "the documentation",
    "the fee market",
    "the verification layer",
    "the foundation",
    "the upgrade multisig",
    "the staking contract",
    "the reward curve",
    "the status page",
    "the incident channel",
    "the SDK",
    "the pricing page",
    "the whitepaper",
    "the governance forum",
    "the audit report",
    "the routing layer",
    "the largest operator",
    "a small developer",
    "the treasury",
    "the bridge",
    "the default configuration",
    "the launch announcement",
    "the benchmark suite",
    "the on-call rotation",
    "the roadmap",
];

const VERBS: [&str; 24] = [
    "claims to reduce",
    "quietly depends on",
    "does not yet measure",
    "promises to replace",
    "shifts the burden of",
    "hides",
    "doubles",
    "barely mentions",
    "makes a point of",
    "never explains",
    "was built around",
    "sets a ceiling on",
    "undercuts",
    "leaves room for",
    "pays for",
    "concentrates",
    "publishes",
    "glosses over",
    "keeps changing",
    "assumes away",
    "outsources",
    "rewards",
    "tests",
    "caps",
];

const OBJECTS: [&str; 30] = [
    "the latency of a cold request",
    "the cost of a million inferences",
    "the power to pause the network",
    "who answers an outage at night",
    "the share of rewards paid to the ten largest operators",
    "the unlock schedule for early investors",
    "the price of storage per terabyte",
    "the time to first successful deploy",
    "the number of independent operators",
    "the risk of a single cloud region failing",
    "the fees a developer pays in the native token",
    "the timelock on protocol upgrades",
    "the overhead of verification",
    "the hardware an operator must buy",
    "the error budget",
    "the list of known incidents",
    "the cost of switching away",
    "the default retry policy",
    "the ownership of the treasury keys",
    "the methodology behind the headline number",
    "the tail latency under load",
    "the conditions of the grant programme",
    "the license of the client software",
    "the path from testnet to mainnet",
    "the bandwidth bill",
    "the replication factor",
    "the accounting for slashed stake",
    "the support contract",
    "the allocation to the team",
    "the migration guide",
];

const TAILS: [&str; 24] = [
    "once the incentives run out",
    "under any realistic load",
    "according to the numbers I could find",
    "without saying so anywhere",
    "in ways that matter to a small team",
    "long before anyone asked",
    "and nobody seems to mind",
    "which is the part worth checking",
    "if the public figures are right",
    "at least for the first year",
    "for anyone who runs it in production",
    "more than the pitch admits",
    "as the last incident showed",
    "until the next upgrade",
    "by a wide margin",
    "and the documentation is silent on it",
    "in every region I tried",
    "which changes the whole calculation",
    "more often than I expected",
    "when the market turns",
    "on a bad day",
    "as long as the subsidy lasts",
    "in the version I tested",
    "even on the paid tier",
];

const CONDITIONS: [&str; 12] = [
    "the largest operator goes offline",
    "the token price halves",
    "a developer wants to leave",
    "the foundation disagrees with the operators",
    "the subsidy ends",
    "an upgrade breaks the client",
    "a region loses power",
    "a verifier cheats",
    "demand doubles overnight",
    "the audit finds a bug",
    "the team sells its allocation",
    "usage stays flat for a year",
];

const CONSEQUENCES: [&str; 12] = [
    "the cost advantage disappears",
    "nobody is obliged to answer",
    "the network falls back to a handful of machines",
    "users carry the loss",
    "the governance story stops holding up",
    "latency becomes the least of the problems",
    "the claim becomes hard to defend",
    "developers pay twice",
    "the timelock is the only protection left",
    "the decentralization score should drop",
    "the status page would be the first to know",
    "the pitch and the product part ways",
];

const HEADINGS: [&str; 32] = [
    "The claim under test",
    "What the numbers say",
    "Who profits",
    "Who controls upgrades",
    "Who answers at 2 a.m.",
    "A week of running it",
    "The cost, counted honestly",
    "Latency in the real world",
    "Governance is a cap-table question",
    "What the documentation leaves out",
    "The operator's view",
    "The developer's view",
    "Where the decentralization ends",
    "Reliability under pressure",
    "Numbers that would settle it",
    "What I would need to change my mind",
    "Comparing with the incumbents",
    "The incident that was not reported",
    "Reading the audit",
    "What the token is for",
    "Onboarding, step by step",
    "The fine print",
    "Fees, followed to the end",
    "A second look at the roadmap",
    "How the scores were set",
    "The part that works",
    "The part that does not",
    "Trust, and who is asked for it",
    "Switching costs",
    "Measuring it myself",
    "What changed since launch",
    "Open questions",
];

const TITLE_STARTS: [&str; 20] = [
    "Counting the operators behind",
    "A month on",
    "Who is paid first at",
    "The fine print of",
    "Latency, measured, at",
    "Three weeks with",
    "What nobody says about",
    "The upgrade keys of",
    "Cheaper than what? Notes on",
    "On call for",
    "Reading the token schedule of",
    "Boring in the right places:",
    "The missing status page of",
    "A developer's first day on",
    "Verification theatre at",
    "Not yet decentralized:",
    "Second opinion on",
    "The real bill for",
    "Small teams and",
    "Questions for",
];

const LIST_ITEMS: [&str; 20] = [
    "Allocation by group, with the cliff and vesting for each",
    "The current holder of upgrade rights, and any timelock",
    "The split of one fee between operators, verifiers and treasury",
    "A public incident history with dates and durations",
    "The number of operators serving real traffic last month",
    "Median and p99 latency from at least three regions",
    "A named contact for security reports",
    "The price of the same workload on a conventional cloud",
    "Who can pause the network, and how that is announced",
    "The audit scope, and what it left out",
    "Whether fees can be paid in a stable unit",
    "The share of stake held by the five largest operators",
    "A migration path off the network",
    "The license of every component a user must run",
    "How verification failures are detected and punished",
    "The size of the subsidy, and when it ends",
    "Post-mortems for the last three outages",
    "Hardware requirements for a new operator",
    "The policy for deprecating old client versions",
    "Who holds the treasury keys",
];

const ASKS: [&str; 16] = [
    "Who can upgrade the protocol today, and is there a timelock?",
    "What share of rewards went to the ten largest operators last quarter?",
    "Can a developer pay for usage without holding the token?",
    "Where is the incident history, and who writes the post-mortems?",
    "What does the headline cost figure compare against?",
    "How many independent operators serve production traffic?",
    "Who can pause the network, and under what rules?",
    "What did the audit leave out of scope?",
    "How is a failed verification detected and punished?",
    "When does the launch subsidy end, and what happens to prices then?",
    "Which parts of the client are open source, under which license?",
    "What latency should a user expect at the 99th percentile?",
    "Who holds the treasury keys, and how many signatures are needed?",
    "What is the unlock schedule for the team and early investors?",
    "Is there a named contact for security reports?",
    "How would a user migrate their data off the network?",
];

const ANSWERS: [&str; 10] = [
    "The team published the figures in a forum post; they match the review's estimate within a few percent.",
    "A 4-of-7 multisig controls upgrades, with a **48-hour** timelock announced on the status page.",
    "Fees can be paid in a stablecoin; conversion happens on the back end at the market rate.",
    "The project points to a post-mortem page, but it lists only one incident out of the three reported.",
    "The foundation says the figure compares against on-demand pricing, not reserved capacity.",
    "Operators were counted from public node lists; about a third are run by the same company.",
    "The audit covered the contracts but not the off-chain *routing* service.",
    "The answer arrived by email and has not been published, so it cannot be checked.",
    "The subsidy ends next year according to the roadmap; no price commitment was given.",
    "A security contact exists, though the published address bounced twice during this review.",
];

const NOTES: [&str; 8] = [
    "Re-scored reliability after the outage report.",
    "Lowered cost after the subsidy ended.",
    "Raised accountability once a security contact was published.",
    "Corrected the operator count and adjusted decentralization.",
    "Re-scored speed with measurements from a second region.",
    "Updated after the project answered two open questions.",
    "Adjusted ease after the new SDK release.",
    "Revised the verdict after the audit was published.",
];

const CLAIM_IDS: [(&str, &str); 16] = [
    ("decentralized-hosting", "Runs without depending on a single cloud provider or operator."),
    ("cheaper", "Costs developers less than the conventional services it replaces."),
    ("faster", "Serves requests faster than the incumbents in every region."),
    ("verifiable", "Every result can be verified by anyone, without trusting the operator."),
    ("open-access", "Anyone can join as a user or an operator without permission."),
    ("token-incentives", "The token aligns the incentives of operators, builders and users."),
    ("high-availability", "Stays available through the failure of any single operator or region."),
    ("easy-onboarding", "A developer can deploy a first workload in under ten minutes."),
    ("community-governance", "Protocol changes are decided by the community, not a company."),
    ("private-by-default", "User data is encrypted so that operators cannot read it."),
    ("audited", "The contracts and the client have been independently audited."),
    ("green-energy", "Operators run on renewable energy, and this is checked."),
    ("no-lock-in", "Users can leave at any time and take their data with them."),
    ("fair-rewards", "Rewards go to the operators who do the work, not to the largest holders."),
    ("transparent-incidents", "Every incident is published with a post-mortem within a week."),
    ("stable-pricing", "Prices are stable and predictable, independent of the token price."),
];

/// splitmix64: small, fast and good enough to make the content look varied.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn index(&mut self, len: usize) -> usize {
        (self.next() % len as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.index(items.len())]
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// `lo..=hi` distinct indices below `len`, in the order drawn.
    fn distinct_some(&mut self, lo: u64, hi: u64, len: usize) -> Vec<usize> {
        let count = self.range(lo, hi) as usize;
        self.distinct(count, len)
    }

    /// `count` distinct indices below `len`, in the order drawn.
    fn distinct(&mut self, count: usize, len: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(count);
        while out.len() < count.min(len) {
            let i = self.index(len);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn date(days: i64) -> String {
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// 2024-01-01 as days since the epoch.
const START: i64 = 19_723;
/// Review dates fall in 2024-01-01 ..= 2026-09-30, so revisions and answers stay in 2026.
const SPAN: u64 = 1003;

fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A YAML double-quoted string.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct Claim {
    id: String,
    text: String,
}

struct Project {
    slug: String,
    name: String,
    claims: Vec<Claim>,
}

struct Review {
    slug: String,
    title: String,
    project: usize,
    author: usize,
    date: i64,
}

struct Site {
    projects: Vec<Project>,
    reviews: Vec<Review>,
    authors: Vec<String>,
}

/// Decides names, slugs, projects and dates of every review first, so that bodies can link
/// to any review.
fn plan(rng: &mut Rng, reviews: usize) -> Site {
    let authors = (0..300)
        .map(|i| {
            let first = FIRST_NAMES[i % FIRST_NAMES.len()];
            let last = LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()];
            format!("{first} {last}")
        })
        .collect();
    let count = (reviews / 50).max(1);
    let projects = (0..count)
        .map(|i| {
            let head = NAME_HEADS[i % NAME_HEADS.len()];
            let tail = NAME_TAILS[(i / NAME_HEADS.len()) % NAME_TAILS.len()];
            let round = i / (NAME_HEADS.len() * NAME_TAILS.len());
            let name = if round == 0 { format!("{head}{tail}") } else { format!("{head}{tail} {}", round + 1) };
            let n = rng.range(4, 6) as usize;
            let claims = rng
                .distinct(n, CLAIM_IDS.len())
                .into_iter()
                .map(|c| Claim { id: CLAIM_IDS[c].0.to_string(), text: CLAIM_IDS[c].1.to_string() })
                .collect();
            Project { slug: slugify(&name), name, claims }
        })
        .collect::<Vec<_>>();
    let reviews = (0..reviews)
        .map(|i| {
            let project = rng.index(projects.len());
            let title = format!("{} {}", rng.pick(&TITLE_STARTS), projects[project].name);
            let slug = format!("{}-{i}", slugify(&title));
            Review { slug, title, project, author: rng.index(300), date: START + rng.range(0, SPAN) as i64 }
        })
        .collect();
    Site { projects, reviews, authors }
}

fn sentence(rng: &mut Rng, project: &str) -> String {
    match rng.range(0, 9) {
        0..=3 => format!(
            "{}{} {} {} {}.",
            rng.pick(&OPENERS),
            rng.pick(&SUBJECTS),
            rng.pick(&VERBS),
            rng.pick(&OBJECTS),
            rng.pick(&TAILS)
        ),
        4 => format!("If {}, {}.", rng.pick(&CONDITIONS), rng.pick(&CONSEQUENCES)),
        5 => format!(
            "I measured {} at {} {} over {} days, against {} for the incumbent.",
            rng.pick(&OBJECTS),
            rng.range(2, 950),
            rng.pick(&["ms", "dollars", "percent", "requests", "operators"]),
            rng.range(3, 60),
            rng.range(2, 950)
        ),
        6 => format!(
            "{project} {} {}, {}.",
            rng.pick(&VERBS),
            rng.pick(&OBJECTS),
            rng.pick(&["and that is the crux", "which is fair", "but only on paper", "so I asked"])
        ),
        7 => format!("Who {} {} when {}?", rng.pick(&VERBS), rng.pick(&OBJECTS), rng.pick(&CONDITIONS)),
        8 => format!(
            "The **{}** matters more than {}, {}.",
            rng.pick(&OBJECTS).trim_start_matches("the "),
            rng.pick(&OBJECTS),
            rng.pick(&TAILS)
        ),
        _ => format!(
            "{}{} `{}` {}.",
            rng.pick(&OPENERS),
            rng.pick(&SUBJECTS),
            rng.pick(&["max_retries", "stake_weight", "fee_split", "timelock_hours", "region", "replicas"]),
            rng.pick(&["is set too low", "is undocumented", "changed twice this year", "defaults to zero"])
        ),
    }
}

/// A paragraph of `lo..=hi` sentences.
fn paragraph(rng: &mut Rng, project: &str, lo: u64, hi: u64) -> String {
    let mut out = String::new();
    for i in 0..rng.range(lo, hi) {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&capitalize(&sentence(rng, project)));
    }
    out.push_str("\n\n");
    out
}

fn code_block(rng: &mut Rng, project: &Project) -> String {
    let slug = &project.slug;
    match rng.range(0, 4) {
        0 => format!(
            "```json\n{{\n  \"project\": \"{slug}\",\n  \"region\": \"{}\",\n  \"p50_ms\": {},\n  \"p99_ms\": {},\n  \"errors\": {},\n  \"operators\": [\"op-{}\", \"op-{}\", \"op-{}\"]\n}}\n```\n\n",
            rng.pick(&["eu-west", "us-east", "ap-south", "sa-east"]),
            rng.range(20, 200),
            rng.range(200, 2000),
            rng.range(0, 50),
            rng.range(1, 99),
            rng.range(1, 99),
            rng.range(1, 99)
        ),
        1 => format!(
            "```bash\n# {} requests, {} in parallel\nfor i in $(seq 1 {}); do\n  curl -s -o /dev/null -w '%{{time_total}}\\n' \\\n    https://api.{slug}.example/v1/run\ndone | sort -n | awk '{{a[NR]=$1}} END {{print a[int(NR*0.99)]}}'\n```\n\n",
            rng.range(100, 5000),
            rng.range(1, 32),
            rng.range(100, 5000)
        ),
        2 => format!(
            "```yaml\nnode:\n  stake: {}\n  region: {}\n  max_jobs: {}\nrewards:\n  operator: {}\n  treasury: {}\n```\n\n",
            rng.range(1000, 90000),
            rng.pick(&["eu-west", "us-east", "ap-south"]),
            rng.range(1, 64),
            rng.range(50, 90),
            rng.range(5, 30)
        ),
        3 => format!(
            "```python\nimport statistics\n\nlatencies = [{}, {}, {}, {}, {}]\nprint(\"median\", statistics.median(latencies))\nprint(\"spread\", max(latencies) - min(latencies))\n```\n\n",
            rng.range(10, 900),
            rng.range(10, 900),
            rng.range(10, 900),
            rng.range(10, 900),
            rng.range(10, 900)
        ),
        _ => format!(
            "```toml\n[client]\nendpoint = \"https://rpc.{slug}.example\"\ntimeout_ms = {}\nretries = {}\n```\n\n",
            rng.range(100, 10000),
            rng.range(0, 8)
        ),
    }
}

fn table(rng: &mut Rng) -> String {
    let mut out = String::from("| Measure | This project | Incumbent | Note |\n|---|---:|---:|---|\n");
    for _ in 0..rng.range(3, 5) {
        let measure = capitalize(rng.pick(&OBJECTS).trim_start_matches("the "));
        let _ = writeln!(
            out,
            "| {measure} | {} | {} | {} |",
            rng.range(1, 999),
            rng.range(1, 999),
            capitalize(rng.pick(&TAILS))
        );
    }
    out.push('\n');
    out
}

fn review_body(rng: &mut Rng, site: &Site, index: usize) -> String {
    let review = &site.reviews[index];
    let project = &site.projects[review.project];
    let name = project.name.as_str();
    let mut body = String::new();
    let _ = write!(body, "[{name}](/projects/{}/) {} {}. ", project.slug, rng.pick(&VERBS), rng.pick(&OBJECTS));
    body.push_str(&paragraph(rng, name, 3, 4));
    let sections = rng.range(3, 5) as usize;
    let headings = rng.distinct(sections, HEADINGS.len());
    let list_at = rng.index(sections);
    let table_at = rng.index(sections);
    let code_at = rng.index(sections);
    let link_at = rng.index(sections);
    for (s, h) in headings.into_iter().enumerate() {
        let _ = writeln!(body, "## {}\n", HEADINGS[h]);
        body.push_str(&paragraph(rng, name, 4, 6));
        if s == link_at {
            let other = &site.reviews[rng.index(site.reviews.len())];
            let _ = write!(
                body,
                "Compare [{}](/reviews/{}/), which {} {}. ",
                other.title,
                other.slug,
                rng.pick(&VERBS),
                rng.pick(&OBJECTS)
            );
            body.push_str(&paragraph(rng, name, 2, 3));
        }
        if s == list_at {
            body.push_str("What would settle it:\n\n");
            for i in rng.distinct_some(4, 6, LIST_ITEMS.len()) {
                let _ = writeln!(body, "- {}", LIST_ITEMS[i]);
            }
            body.push('\n');
        }
        if s == table_at {
            body.push_str(&table(rng));
        }
        if s == code_at {
            body.push_str("The check I ran:\n\n");
            body.push_str(&code_block(rng, project));
        }
        if rng.chance(50) {
            body.push_str(&paragraph(rng, name, 3, 5));
        }
    }
    body.push_str(&paragraph(rng, name, 2, 3));
    body
}

struct Question {
    ask: String,
    claim: Option<String>,
    status: &'static str,
    answer: Option<String>,
    evidence: Option<String>,
    asked: Option<i64>,
    answered: Option<i64>,
}

/// A revision: its date, its note, and the previous scores of the axes it changed.
type Revision = (i64, &'static str, Vec<(usize, u64)>);

struct ReviewFile {
    verdict: &'static str,
    scores: [u64; 6],
    tags: Vec<&'static str>,
    questions: Vec<Question>,
    revisions: Vec<Revision>,
    updated: Option<i64>,
    body: String,
}

fn review_file(rng: &mut Rng, site: &Site, index: usize) -> ReviewFile {
    let review = &site.reviews[index];
    let project = &site.projects[review.project];
    // A per-project leaning makes the medians differ between projects.
    let lean = (review.project as u64 * 7) % 5;
    let scores = std::array::from_fn(|_| (rng.range(0, 6) + lean).min(10));
    let verdict = VERDICTS[((10 - scores.iter().sum::<u64>() / 6) / 2).min(4) as usize];
    let tags = rng.distinct_some(1, 3, TAGS.len()).into_iter().map(|t| TAGS[t]).collect();
    let questions = rng
        .distinct_some(2, 5, ASKS.len())
        .into_iter()
        .map(|ask| {
            let claim = rng.chance(90).then(|| project.claims[rng.index(project.claims.len())].id.clone());
            let status = match rng.range(0, 9) {
                0..=4 => "open",
                5..=7 => "answered",
                _ => "disputed",
            };
            let asked = rng.chance(70).then(|| review.date - rng.range(0, 20) as i64);
            let answer = (status != "open").then(|| rng.pick(&ANSWERS).to_string());
            let answered = match (answer.is_some() && rng.chance(70), asked) {
                (true, Some(a)) => Some(a + rng.range(1, 40) as i64),
                _ => None,
            };
            let evidence = (answer.is_some() && rng.chance(60))
                .then(|| format!("https://{}.example/evidence/{}", project.slug, rng.range(1, 999)));
            Question { ask: ASKS[ask].to_string(), claim, status, answer, evidence, asked, answered }
        })
        .collect();
    let mut revisions = Vec::new();
    let mut updated = None;
    if rng.chance(20) {
        let mut at = review.date;
        for _ in 0..rng.range(1, 2) {
            at += rng.range(1, 25) as i64;
            let axes = rng.distinct_some(1, 2, AXES.len());
            revisions.push((at, rng.pick(&NOTES), axes.into_iter().map(|a| (a, rng.range(0, 10))).collect()));
        }
        updated = Some(at);
    } else if rng.chance(10) {
        updated = Some(review.date + rng.range(1, 30) as i64);
    }
    let body = review_body(rng, site, index);
    ReviewFile { verdict, scores, tags, questions, revisions, updated, body }
}

/// An author's profile: links, an affiliation, and for two authors in three a standing
/// disclosure (which the reviews that give none take).
fn write_profile(i: usize, name: &str) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "name: {name}");
    let _ = writeln!(out, "links: [\"https://{}.writers.example/\"]", slugify(name));
    let _ = writeln!(out, "affiliations: [{}]", ["Independent", "University lab", "Trade press"][i % 3]);
    match i % 3 {
        0 => out.push_str("disclosure: { holdings: none, compensation: none }\n"),
        1 => out.push_str("disclosure: { holdings: held, compensation: none, notes: \"sold in 2025\" }\n"),
        _ => {}
    }
    let _ =
        writeln!(out, "---\n{name} has reviewed infrastructure projects for years.\n\nThey write about what breaks.");
    out
}

/// The project's reply to its first review and that review's first question, published on
/// its own site for two projects in three (elsewhere for the rest); `None` for a project no
/// review covers.
fn write_response(site: &Site, p: usize) -> Option<String> {
    let review = site.reviews.iter().find(|r| r.project == p)?;
    let slug = &site.projects[p].slug;
    let source = if p % 3 == 2 {
        format!("https://forum.example/t/{slug}-reply")
    } else {
        format!("https://{slug}.example/blog/reply")
    };
    Some(format!(
        "---\nproject: {slug}\ndate: {}\nby: The {} team\nsource: {source}\nto:\n  - review: {}\n  - question: {}#q-1\n---\nWe read the review closely. The figures it quotes are from an old release; the current one is [documented](https://{slug}.example/docs).\n\nOn the first question: our upgrade keys are held by the foundation, and we publish every change a week before it ships.\n",
        date(review.date + 9),
        site.projects[p].name,
        review.slug,
        review.slug
    ))
}

fn write_review(site: &Site, index: usize, file: &ReviewFile) -> String {
    let review = &site.reviews[index];
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", quote(&review.title));
    let _ = writeln!(out, "project: {}", site.projects[review.project].slug);
    // One review in thirteen is written together with the next author.
    if index % 13 == 4 {
        let other = &site.authors[(review.author + 1) % site.authors.len()];
        let _ = writeln!(out, "authors: [{}, {other}]", site.authors[review.author]);
    } else {
        let _ = writeln!(out, "author: {}", site.authors[review.author]);
    }
    let _ = writeln!(out, "date: {}", date(review.date));
    if let Some(u) = file.updated {
        let _ = writeln!(out, "updated: {}", date(u));
    }
    let _ = writeln!(out, "verdict: {}", file.verdict);
    let scores = AXES.iter().zip(file.scores).map(|(a, s)| format!("{a}: {s}")).collect::<Vec<_>>();
    let _ = writeln!(out, "scores: {{ {} }}", scores.join(", "));
    let _ = writeln!(out, "tags: [{}]", file.tags.join(", "));
    // Disclosures and standings by position, so that the rest of the site is as before: most
    // reviews disclose, some hold the token, a few are under review or retracted.
    match index % 4 {
        0 => out.push_str("disclosure: { holdings: none, compensation: none, relationship: none }\n"),
        1 => out.push_str("disclosure: { holdings: holds, compensation: none, relationship: \"ran a node\" }\n"),
        2 => {}
        _ => out.push_str(
            "disclosure: { holdings: held, compensation: \"a grant from the foundation\", relationship: grants }\n",
        ),
    }
    if index % 97 == 5 {
        let _ = writeln!(
            out,
            "status: under-review\nunder_review: {{ date: {}, reason: \"new figures\" }}",
            date(review.date + 3)
        );
    } else if index % 89 == 7 {
        let _ = writeln!(
            out,
            "status: retracted\nretraction: {{ date: {}, reason: \"the benchmark was wrong\" }}",
            date(review.date + 5)
        );
    }
    out.push_str("questions:\n");
    for (n, q) in file.questions.iter().enumerate() {
        let _ = writeln!(out, "  - ask: {}", quote(&q.ask));
        // One review in seven asked the project to reply to its last question.
        if index % 7 == 3 && n + 1 == file.questions.len() {
            let _ = writeln!(out, "    response_requested: {}", date(review.date + 2));
        }
        if let Some(c) = &q.claim {
            let _ = writeln!(out, "    claim: {c}");
        }
        let _ = writeln!(out, "    status: {}", q.status);
        if let Some(a) = &q.answer {
            let _ = writeln!(out, "    answer: {}", quote(a));
        }
        if let Some(e) = &q.evidence {
            let _ = writeln!(out, "    evidence: {e}");
        }
        if let Some(a) = q.asked {
            let _ = writeln!(out, "    asked: {}", date(a));
        }
        if let Some(a) = q.answered {
            let _ = writeln!(out, "    answered: {}", date(a));
        }
    }
    if !file.revisions.is_empty() {
        out.push_str("revisions:\n");
        for (at, note, scores) in &file.revisions {
            let _ = writeln!(out, "  - date: {}", date(*at));
            let _ = writeln!(out, "    note: {}", quote(note));
            let scores = scores.iter().map(|(a, s)| format!("{}: {s}", AXES[*a])).collect::<Vec<_>>();
            let _ = writeln!(out, "    scores: {{ {} }}", scores.join(", "));
        }
    }
    out.push_str("---\n");
    out.push_str(&file.body);
    out
}

/// The same review for Hugo: simple front matter (taxonomies for tags, authors, verdicts and
/// the reviewed project), the same body.
fn write_hugo_review(site: &Site, index: usize, file: &ReviewFile) -> String {
    let review = &site.reviews[index];
    let project = &site.projects[review.project];
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", quote(&review.title));
    let _ = writeln!(out, "date: {}", date(review.date));
    if let Some(u) = file.updated {
        let _ = writeln!(out, "lastmod: {}", date(u));
    }
    let _ = writeln!(out, "project: {}", project.slug);
    let _ = writeln!(out, "projectname: {}", quote(&project.name));
    let _ = writeln!(out, "reviewed: [{}]", project.slug);
    let _ = writeln!(out, "authors: [{}]", quote(&site.authors[review.author]));
    let _ = writeln!(out, "verdicts: [{}]", file.verdict);
    let _ = writeln!(out, "tags: [{}]", file.tags.join(", "));
    let scores = AXES.iter().zip(file.scores).map(|(a, s)| format!("{a}: {s}")).collect::<Vec<_>>();
    let _ = writeln!(out, "scores: {{ {} }}", scores.join(", "));
    out.push_str("questions:\n");
    for q in &file.questions {
        let _ = writeln!(out, "  - ask: {}", quote(&q.ask));
        let _ = writeln!(out, "    claim: {}", q.claim.as_deref().unwrap_or(""));
        let _ = writeln!(out, "    status: {}", q.status);
        let _ = writeln!(out, "    answer: {}", quote(q.answer.as_deref().unwrap_or("")));
    }
    out.push_str("---\n");
    out.push_str(&file.body);
    out
}

struct ProjectFile {
    summary: String,
    homepage: bool,
    category: &'static str,
    tags: Vec<&'static str>,
    sources: Vec<Option<(String, i64)>>,
    token: Option<(String, Vec<&'static str>, String)>,
    governance: Option<(&'static str, &'static str)>,
    accountability: Option<[bool; 4]>,
    body: String,
}

fn project_file(rng: &mut Rng, project: &Project) -> ProjectFile {
    let summary = format!(
        "A {} that {} {}.",
        rng.pick(&["network", "protocol", "marketplace", "cooperative", "platform", "service"]),
        rng.pick(&["claims to cut", "promises to spread out", "sets out to verify", "aims to replace"]),
        rng.pick(&OBJECTS)
    );
    let sources = project
        .claims
        .iter()
        .map(|c| {
            rng.chance(70).then(|| {
                (format!("https://{}.example/docs/{}", project.slug, c.id), START + rng.range(0, SPAN + 30) as i64)
            })
        })
        .collect();
    let token = rng.chance(50).then(|| {
        let symbol = project.name.chars().filter(char::is_ascii_alphabetic).take(3).collect::<String>().to_uppercase();
        let rights = rng
            .distinct_some(1, 3, 4)
            .into_iter()
            .map(|r| ["governance", "fees", "staking", "priority access"][r])
            .collect();
        let team = rng.range(10, 30);
        let investors = rng.range(10, 30);
        (symbol, rights, format!("team {team}%, investors {investors}%, community {}%", 100 - team - investors))
    });
    let governance = rng.chance(40).then(|| {
        (
            rng.pick(&["a 5-of-9 multisig", "a 3-of-5 multisig", "a token vote", "the foundation alone", "a council"]),
            rng.pick(&["none", "24 hours", "48 hours", "7 days", "14 days"]),
        )
    });
    let accountability = rng.chance(35).then(|| {
        let mut parts: [bool; 4] = std::array::from_fn(|_| rng.chance(70));
        parts[0] |= !parts.contains(&true);
        parts
    });
    let mut body = String::new();
    for _ in 0..rng.range(2, 3) {
        body.push_str(&paragraph(rng, &project.name, 3, 5));
    }
    ProjectFile {
        summary,
        homepage: rng.chance(80),
        category: rng.pick(&CATEGORIES),
        tags: rng.distinct_some(1, 3, TAGS.len()).into_iter().map(|t| TAGS[t]).collect(),
        sources,
        token,
        governance,
        accountability,
        body,
    }
}

/// A project's file; `first_review` (its first review's slug, if it has one) is what its
/// first claim's finding rests on.
fn write_project(project: &Project, file: &ProjectFile, first_review: Option<&str>) -> String {
    let slug = &project.slug;
    let mut out = String::from("---\n");
    let _ = writeln!(out, "name: {}", quote(&project.name));
    let _ = writeln!(out, "summary: {}", quote(&file.summary));
    if file.homepage {
        let _ = writeln!(out, "homepage: https://{slug}.example/");
    }
    let _ = writeln!(out, "channels: [\"https://{slug}.example\", \"https://social.example/{slug}\"]");
    // Two events in its life, one kept in the evidence ledger.
    let _ = writeln!(
        out,
        "events:\n  - date: 2025-03-01\n    text: Public testnet opens\n    source: https://{slug}.example/blog/testnet"
    );
    let _ = writeln!(
        out,
        "  - date: 2026-02-14\n    text: \"Incident: calls fail for three hours after an upgrade\"\n    source: {{ url: https://status.{slug}.example/incidents/1, archived: \"https://web.archive.org/web/2026/https://status.{slug}.example/incidents/1\" }}"
    );
    let _ = writeln!(out, "category: {}", file.category);
    let _ = writeln!(out, "tags: [{}]", file.tags.join(", "));
    out.push_str("claims:\n");
    for (i, (claim, source)) in project.claims.iter().zip(&file.sources).enumerate() {
        let _ = writeln!(out, "  - id: {}", claim.id);
        let _ = writeln!(out, "    text: {}", quote(&claim.text));
        if let Some((url, accessed)) = source {
            // Every other source kept in the ledger, with an archived copy and a quote.
            if i % 2 == 0 {
                let _ = writeln!(
                    out,
                    "    source: {{ url: {url}, archived: \"https://web.archive.org/web/2026/{url}\", quote: \"{}\" }}",
                    claim.text.replace('"', "")
                );
            } else {
                let _ = writeln!(out, "    source: {url}");
            }
            let _ = writeln!(out, "    accessed: {}", date(*accessed));
        }
        // The first claim found, on its first review's first answer.
        if let (0, Some(review)) = (i, first_review) {
            let _ = writeln!(
                out,
                "    finding: {{ rating: partly-supported, date: 2026-06-01, summary: \"The figures hold for *one* workload.\", based_on: [\"{review}#q-1\"] }}"
            );
        }
    }
    if let Some((symbol, rights, allocation)) = &file.token {
        let _ = writeln!(out, "token:\n  symbol: {symbol}\n  rights: [{}]", rights.join(", "));
        let _ = writeln!(out, "  allocation: {}", quote(allocation));
    }
    if let Some((upgrades, timelock)) = file.governance {
        let _ = writeln!(out, "governance:\n  upgrades: {}\n  timelock: {}", quote(upgrades), quote(timelock));
    }
    if let Some(parts) = file.accountability {
        out.push_str("accountability:\n");
        if parts[0] {
            let _ = writeln!(out, "  incident_contact: security@{slug}.example");
        }
        if parts[1] {
            let _ = writeln!(out, "  status_page: https://status.{slug}.example");
        }
        if parts[2] {
            out.push_str("  can_pause: \"the foundation\"\n");
        }
        if parts[3] {
            let _ = writeln!(out, "  postmortems: https://{slug}.example/incidents");
        }
    }
    out.push_str("---\n");
    out.push_str(&file.body);
    out
}

fn write_hugo_project(project: &Project, file: &ProjectFile) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", quote(&project.name));
    let _ = writeln!(out, "summary: {}", quote(&file.summary));
    let _ = writeln!(out, "category: {}", quote(file.category));
    let _ = writeln!(out, "tags: [{}]", file.tags.join(", "));
    out.push_str("claims:\n");
    for claim in &project.claims {
        let _ = writeln!(out, "  - id: {}\n    text: {}", claim.id, quote(&claim.text));
    }
    out.push_str("---\n");
    out.push_str(&file.body);
    out
}

fn pages(rng: &mut Rng) -> Vec<(&'static str, String)> {
    [("about", "About this site"), ("methodology", "How reviews are scored"), ("editorial-policy", "Editorial policy")]
        .into_iter()
        .map(|(slug, title)| {
            let mut body = format!("---\ntitle: {}\ndescription: {}\n---\n", quote(title), quote(title));
            body.push_str(&paragraph(rng, "The site", 4, 4));
            body.push_str("## Why\n\n");
            body.push_str(&paragraph(rng, "The site", 5, 5));
            body.push_str("## How\n\n");
            body.push_str(&paragraph(rng, "The site", 5, 5));
            (slug, body)
        })
        .collect()
}

const HUGO_CONFIG: &str = r#"baseURL = "https://bench.example.org/"
title = "hugo — benchmark site"
disableKinds = ["rss", "sitemap", "robotsTXT"]

[taxonomies]
tag = "tags"
author = "authors"
verdict = "verdicts"
reviewed = "reviewed"

[markup.highlight]
noClasses = false

[markup.goldmark.renderer]
unsafe = true
"#;

/// A minimal theme producing pages comparable to critique's: one per review and project, the
/// section lists, the taxonomy lists and term pages, the home page.
const HUGO_LAYOUTS: [(&str, &str); 8] = [
    (
        "single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}
"#,
    ),
    (
        "baseof.html",
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ site.Title }}</a> <a href="/projects/">Projects</a> <a href="/reviews/">Reviews</a> <a href="/tags/">Tags</a> <a href="/authors/">Authors</a> <a href="/verdicts/">Verdicts</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"#,
    ),
    (
        "home.html",
        r#"{{ define "main" }}<h1>{{ site.Title }}</h1>
<h2>Latest reviews</h2><ul>{{ range first 20 (where site.RegularPages "Section" "reviews") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}<div>{{ .Summary }}</div></li>{{ end }}</ul>
<h2>Projects</h2><ul>{{ range (where site.RegularPages "Section" "projects") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "list.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}<div>{{ .Summary }}</div></li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "taxonomy.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "term.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}<div>{{ .Summary }}</div></li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "reviews/single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>by {{ index .Params.authors 0 }}, {{ .Date.Format "2006-01-02" }}; verdict {{ index .Params.verdicts 0 }}; project <a href="/projects/{{ .Params.project }}/">{{ .Params.projectname }}</a></p>
<nav>{{ .TableOfContents }}</nav>
<table>{{ range $k, $v := .Params.scores }}<tr><th>{{ $k }}</th><td>{{ $v }}</td></tr>{{ end }}</table>
<ol>{{ range .Params.questions }}<li>{{ .ask }} ({{ .status }}{{ with .claim }}, claim {{ . }}{{ end }}){{ with .answer }}<div>{{ . | markdownify }}</div>{{ end }}</li>{{ end }}</ol>
{{ .Content }}
<h2>Other reviews of this project</h2><ul>{{ $self := . }}{{ range index site.Taxonomies.reviewed .Params.project }}{{ if ne .Page $self }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>
</article>{{ end }}
"#,
    ),
    (
        "projects/single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ .Content }}
{{ $reviews := index site.Taxonomies.reviewed .File.ContentBaseName }}
{{ range .Params.claims }}{{ $id := .id }}<h2 id="claim-{{ .id }}">{{ .text }}</h2><ul>{{ range $reviews }}{{ $r := .Page }}{{ range .Page.Params.questions }}{{ if eq .claim $id }}<li>{{ .ask }} ({{ .status }}) in <a href="{{ $r.RelPermalink }}">{{ $r.Title }}</a></li>{{ end }}{{ end }}{{ end }}</ul>{{ end }}
<h2>Reviews</h2><ul>{{ range $reviews }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Page.Params.scores.cost }} {{ .Page.Params.scores.speed }} {{ .Page.Params.scores.reliability }}</li>{{ end }}</ul>
</article>{{ end }}
"#,
    ),
];

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)
}

/// Makes `dir` ready: created if missing, emptied if it carries the mark, refused otherwise.
fn prepare(dir: &Path) -> io::Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        if !dir.join(MARK).exists() {
            return Err(io::Error::other(format!(
                "{} is not empty and was not written by gen_site: refusing to overwrite it",
                dir.display()
            )));
        }
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
    fs::write(dir.join(MARK), "written by examples/gen_site.rs\n")
}

struct Args {
    reviews: usize,
    seed: u64,
    dir: PathBuf,
    hugo: Option<PathBuf>,
}

const USAGE: &str = "usage: gen_site [--reviews N] [--seed S] [--hugo HUGO_DIR] DIR";

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut reviews, mut seed, mut dir, mut hugo) = (1000, 42, None, None);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--reviews" => reviews = value("--reviews")?.parse().map_err(|e| format!("--reviews: {e}"))?,
            "--seed" => seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--hugo" => hugo = Some(PathBuf::from(value("--hugo")?)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other if other.starts_with('-') => return Err(format!("unknown option {other}\n{USAGE}")),
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let dir = dir.ok_or(format!("missing DIR\n{USAGE}"))?;
    if reviews == 0 {
        return Err("--reviews must be at least 1".to_string());
    }
    Ok(Args { reviews, seed, dir, hugo })
}

fn generate(args: &Args) -> io::Result<()> {
    let mut rng = Rng(args.seed);
    let site = plan(&mut rng, args.reviews);
    prepare(&args.dir)?;
    if let Some(h) = &args.hugo {
        prepare(h)?;
        write(&h.join("hugo.toml"), HUGO_CONFIG)?;
        for (name, text) in HUGO_LAYOUTS {
            write(&h.join("layouts").join(name), text)?;
        }
        write(&h.join("static/style.css"), "body { font-family: sans-serif; max-width: 48rem; margin: auto; }\n")?;
    }
    write(&args.dir.join("critique.toml"), CONFIG)?;
    for project in &site.projects {
        let file = project_file(&mut rng, project);
        let name = format!("{}.md", project.slug);
        let p = site.projects.iter().position(|x| x.slug == project.slug);
        let first = site.reviews.iter().find(|r| Some(r.project) == p).map(|r| r.slug.as_str());
        write(&args.dir.join("content/projects").join(&name), &write_project(project, &file, first))?;
        if let Some(h) = &args.hugo {
            write(&h.join("content/projects").join(&name), &write_hugo_project(project, &file))?;
        }
    }
    for i in 0..site.reviews.len() {
        let file = review_file(&mut rng, &site, i);
        let name = format!("{}.md", site.reviews[i].slug);
        write(&args.dir.join("content/reviews").join(&name), &write_review(&site, i, &file))?;
        if let Some(h) = &args.hugo {
            write(&h.join("content/reviews").join(&name), &write_hugo_review(&site, i, &file))?;
        }
    }
    // Extras made from positions alone (no draw of `rng`), so that the rest of the site is the
    // same as without them: a profile for every author, a reply from every project.
    for (i, name) in site.authors.iter().enumerate() {
        let path = args.dir.join("content/authors").join(format!("{}.md", slugify(name)));
        write(&path, &write_profile(i, name))?;
    }
    for (p, project) in site.projects.iter().enumerate() {
        if let Some(text) = write_response(&site, p) {
            write(&args.dir.join("content/responses").join(format!("{}-replies.md", project.slug)), &text)?;
        }
    }
    for (slug, text) in pages(&mut rng) {
        write(&args.dir.join("content/pages").join(format!("{slug}.md")), &text)?;
        if let Some(h) = &args.hugo {
            write(&h.join("content").join(format!("{slug}.md")), &text)?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    match generate(&args) {
        Ok(()) => {
            let projects = (args.reviews / 50).max(1);
            println!(
                "wrote {} reviews, {projects} projects, 300 author profiles, {projects} replies and 3 pages into {}",
                args.reviews,
                args.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
