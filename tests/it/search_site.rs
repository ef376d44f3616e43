//! A large generated site for the search index's scale and byte-budget tests: 10,000 reviews
//! of 200 projects by 300 authors with 40 tags, deterministic, built in memory. The text
//! follows Zipf's law over a few thousand words, as prose does, so common words have long
//! postings and rare ones short.

use std::fmt::Write;

use critique::load::{Section, SiteFiles, SourceFile};

/// Common English words first (the top of the Zipf ranking), stop words among them.
const COMMON: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "it",
    "for",
    "on",
    "with",
    "as",
    "this",
    "by",
    "be",
    "are",
    "not",
    "or",
    "from",
    "at",
    "which",
    "but",
    "have",
    "has",
    "an",
    "they",
    "its",
    "their",
    "can",
    "more",
    "than",
    "project",
    "network",
    "users",
    "claims",
    "token",
    "team",
    "upgrade",
    "reliability",
    "fees",
    "nodes",
    "cost",
    "operators",
    "governance",
    "security",
    "incident",
    "evidence",
    "latency",
    "validators",
    "decentralized",
    "documentation",
    "audit",
    "treasury",
    "multisig",
    "outage",
    "roadmap",
    "benchmark",
    "throughput",
    "providers",
    "data",
    "model",
    "service",
    "support",
    "release",
    "contract",
    "storage",
    "hosting",
    "compute",
    "inference",
];
const SYLLABLES: &[&str] = &[
    "ka", "ren", "to", "mi", "sal", "ver", "on", "dra", "pel", "qui", "nor", "tha", "lim", "bas", "cor", "fen", "gal",
    "hex", "jun", "lor", "mat", "nex", "ost", "pra", "rul", "sen", "tor", "umb", "vas", "wel",
];
const STATUSES: [&str; 3] = ["open", "answered", "disputed"];
const VERDICTS: [&str; 5] = ["delivers", "promising", "unproven", "overstated", "misleading"];
const AXES: [&str; 6] = ["cost", "speed", "reliability", "ease", "decentralization", "accountability"];

/// A seeded xorshift generator: the same site on every run and machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Words ranked by frequency, and a Zipf sampler over them.
pub struct Words {
    words: Vec<String>,
    /// Cumulative weights 1/rank, scaled to integers.
    cumulative: Vec<u64>,
}

impl Words {
    pub fn new(rare: usize) -> Self {
        let mut words: Vec<String> = COMMON.iter().map(|w| w.to_string()).collect();
        let mut rng = Rng::new(7);
        while words.len() < COMMON.len() + rare {
            let n = 2 + rng.below(3);
            let w: String = (0..n).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect();
            words.push(w);
        }
        let mut total = 0u64;
        let cumulative = (1..=words.len() as u64)
            .map(|rank| {
                total += 1_000_000_000 / rank;
                total
            })
            .collect();
        Self { words, cumulative }
    }

    pub fn pick(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap_or(&1);
        let target = rng.next() % total;
        &self.words[self.cumulative.partition_point(|&c| c <= target)]
    }

    /// A sentence of `min` to `min + spread - 1` words, capitalised.
    pub fn sentence(&self, rng: &mut Rng, min: usize, spread: usize) -> String {
        let len = min + rng.below(spread);
        let mut s: Vec<&str> = (0..len).map(|_| self.pick(rng)).collect();
        let first = s[0].to_string();
        let mut capital = first[..1].to_uppercase();
        capital.push_str(&first[1..]);
        s[0] = &capital;
        s.join(" ")
    }
}

/// A site of `reviews` reviews as in-memory files.
pub fn generate(reviews: usize) -> SiteFiles {
    const PROJECTS: usize = 200;
    const AUTHORS: usize = 300;
    const TAGS: usize = 40;
    let words = Words::new(4000);
    let mut rng = Rng::new(2026);
    let mut content = Vec::with_capacity(reviews + PROJECTS);
    for p in 0..PROJECTS {
        let mut text = format!(
            "---\nname: Project {}\nsummary: {}.\ntags: [tag-{}]\nclaims:\n",
            words.sentence(&mut rng, 2, 1),
            words.sentence(&mut rng, 12, 1),
            p % TAGS
        );
        for c in 0..2 + rng.below(3) {
            let _ = write!(text, "  - id: claim-{c}\n    text: {}.\n", words.sentence(&mut rng, 10, 1));
        }
        let _ = write!(text, "---\n{}.\n", words.sentence(&mut rng, 60, 1));
        content.push(SourceFile::new(Section::Projects, &format!("project-{p:03}"), text));
    }
    // Dates at random over three years, as a real site's are against its slugs (the search
    // page ships each review's age), from a generator of their own.
    let mut dates = Rng::new(1970);
    for r in 0..reviews {
        let (day, month, year) = (1 + dates.below(28), 1 + dates.below(12), 2024 + dates.below(3));
        let mut text = format!(
            "---\ntitle: {}\nproject: project-{:03}\nauthor: Author {}\ndate: {year}-{month:02}-{day:02}\nverdict: {}\n",
            words.sentence(&mut rng, 4, 5),
            rng.below(PROJECTS),
            rng.below(AUTHORS),
            VERDICTS[rng.below(VERDICTS.len())],
        );
        let scores: Vec<String> = AXES
            .iter()
            .filter_map(|axis| {
                let (scored, score) = (rng.below(10) > 0, rng.below(11));
                scored.then(|| format!("{axis}: {score}"))
            })
            .collect();
        let _ = writeln!(text, "scores: {{ {} }}", scores.join(", "));
        let _ = writeln!(text, "tags: [tag-{}, tag-{}]", rng.below(TAGS), rng.below(TAGS));
        text.push_str("questions:\n");
        for _ in 0..2 + rng.below(4) {
            let status = STATUSES[rng.below(3)];
            let _ = write!(text, "  - ask: {}?\n    status: {status}\n", words.sentence(&mut rng, 8, 7));
            if status != "open" {
                let _ = writeln!(text, "    answer: {}.", words.sentence(&mut rng, 15, 15));
            }
        }
        text.push_str("---\n");
        for _ in 0..3 + rng.below(3) {
            let _ = write!(text, "{}.\n\n", words.sentence(&mut rng, 50, 40));
        }
        content.push(SourceFile::new(Section::Reviews, &format!("review-{r:05}"), text));
    }
    let project_files = (0..PROJECTS).map(|p| format!("project-{p:03}")).collect();
    SiteFiles { content, project_files, ..SiteFiles::default() }
}
