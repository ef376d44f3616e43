//! `SiteTest`: copy a fixture site from `tests/sites/<case>/` into a temporary directory,
//! change files, build it through the library or the binary, and read the output back.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use critique::SiteOptions;
use critique::cmd::build::{self, BuildArgs, BuildError, BuildSummary};
use critique::date::Date;
use critique::diagnostic::Diagnostic;
use scraper::{Html, Selector};

/// Headless Chromium as this machine runs it: no sandbox (root), no GPU, and none of the
/// background requests a closed network refuses.
pub const CHROMIUM_FLAGS: [&str; 7] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
];

/// Whether the programs `tools` are all on `PATH`, for a test that needs them: when one is
/// missing, the test is skipped with one line saying so, unless `CI` or
/// `CRITIQUE_REQUIRE_TOOLS` is set, where a missing tool fails it (`.ci/run` installs them).
pub fn tools_present(test: &str, tools: &[&str]) -> bool {
    let on_path = |tool: &str| {
        std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
    };
    let missing: Vec<&str> = tools.iter().copied().filter(|tool| !on_path(tool)).collect();
    if missing.is_empty() {
        return true;
    }
    let required = ["CI", "CRITIQUE_REQUIRE_TOOLS"].iter().any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
    assert!(!required, "{test} needs {} (CI or CRITIQUE_REQUIRE_TOOLS is set): install it", missing.join(", "));
    // Written to the process's stderr, past the test harness's capture, so that a plain
    // `cargo test` shows what it skipped.
    let line = format!("skipped {test}: it needs {}, which is not installed\n", missing.join(", "));
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    false
}

/// A site in a temporary directory.
pub struct SiteTest {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl SiteTest {
    /// A copy of `tests/sites/<case>/`.
    pub fn fixture(case: &str) -> Self {
        let test = Self::empty();
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites").join(case), &test.root);
        test
    }

    /// A copy of `tests/sites/<case>/`, built with the test options.
    pub fn built(case: &str) -> Self {
        let site = Self::fixture(case);
        site.build();
        site
    }

    /// A copy of the repository's own example site (content and config; the theme stays embedded).
    pub fn example() -> Self {
        let test = Self::empty();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("content"), &test.root.join("content"));
        fs::copy(repo.join("critique.toml"), test.root.join("critique.toml")).expect("copy config");
        test
    }

    /// An empty site directory.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        fs::create_dir_all(&root).expect("create root");
        Self { _dir: dir, root }
    }

    /// Writes `bytes` to `rel` under the root, creating folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
        self
    }

    /// Replaces the first `from` in the site's file `rel` with `to` (which must be there).
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read_source(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, text.replacen(from, to, 1))
    }

    /// Removes `rel` under the root.
    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.root.join(rel)).expect("remove");
        self
    }

    /// The default output directory.
    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// The options tests build with: no drafts, the configured base URL, and a fixed day
    /// (25 Nov 2026) so that "waiting N days" is stable.
    pub fn options() -> SiteOptions {
        SiteOptions { today: Some(Date::parse("2026-11-25").expect("date")), ..SiteOptions::default() }
    }

    /// Builds with `options` into `output` (default `public/`).
    pub fn build_with(&self, options: SiteOptions, output: Option<PathBuf>) -> Result<BuildSummary, BuildError> {
        build::run(&BuildArgs { root: self.root.clone(), output, site: options })
    }

    /// Builds and expects success.
    pub fn build(&self) -> BuildSummary {
        match self.build_with(Self::options(), None) {
            Ok(summary) => summary,
            Err(e) => panic!("build failed:\n{e}"),
        }
    }

    /// Builds and expects content errors, returned sorted.
    pub fn errors(&self) -> Vec<Diagnostic> {
        match self.build_with(Self::options(), None) {
            Err(BuildError::Content(d)) => d.0,
            Err(e) => panic!("expected content errors, got {e}"),
            Ok(_) => panic!("expected the build to fail"),
        }
    }

    /// Runs the `critique` binary with `args` in the site root.
    pub fn run_cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_critique")).args(args).current_dir(&self.root).output().expect("run critique")
    }

    /// A file of the site itself (`content/…`, `critique.toml`).
    pub fn read_source(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// An output file's text.
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.public().join(rel)).unwrap_or_else(|e| panic!("read public/{rel}: {e}"))
    }

    /// An output page, parsed.
    pub fn html(&self, rel: &str) -> Page {
        Page(Html::parse_document(&self.read(rel)))
    }
}

/// The basic fixture with every optional part filled, for the tests that check all of a
/// site's output (HTML validity, JSON Schema, JSON-LD, accessibility): a stale review and one
/// dated in the future, one under review and one retracted, disclosures (the review's own and
/// an author's standing one), an author profile with affiliations, the rubric's bands and
/// definitions, `recommend_from`, a co-authored review with a question waiting for a reply,
/// and the project's reply, aliases, a description and a given picture. Built with drafts and
/// future reviews on 25 Nov 2026.
pub fn varied_basic() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let edit = |rel: &str, from: &str, to: &str| {
        let text = site.read_source(rel);
        assert!(text.contains(from), "{rel} no longer has {from:?}: update varied_basic");
        site.write(rel, text.replacen(from, to, 1));
    };
    let first = "content/reviews/first-look.md";
    edit(first, "date: 2026-11-10\n", "date: 2026-11-10\nrevisit_by: 2026-11-20\n");
    edit(first, "author: Ada Reviewer\n", "authors: [Ada Reviewer, Bo Critic]\n");
    edit(
        first,
        "  - ask: Who pays for the servers?\n",
        "  - ask: Who pays for the servers?\n    response_requested: 2026-11-12\n",
    );
    edit(
        "content/reviews/second-look.md",
        "date: 2026-11-12\n",
        "date: 2026-12-12\ndisclosure: { holdings: held, compensation: none, relationship: advisor, notes: sold }\n",
    );
    edit(
        "content/reviews/third-look.md",
        "date = 2026-11-14\n",
        "date = 2026-11-14\nstatus = \"under-review\"\nunder_review = { date = 2026-11-21, reason = \"new data\" }\n",
    );
    edit(
        "content/reviews/gadget-glance.md",
        "date: 2026-11-15\n",
        "date: 2026-11-15\nstatus: retracted\nretraction: { date: 2026-11-20, reason: wrong build }\n",
    );
    edit(
        "critique.toml",
        "label = \"Cheaper\"\n",
        "label = \"Cheaper\"\ndefinition = \"Cost per call.\"\nbands = [{ from = 0, to = 5, means = \"dearer\" }, { from = 6, to = 10, means = \"cheaper\" }]\n",
    );
    edit("critique.toml", "min_reviews = 2\n", "min_reviews = 2\nrecommend_from = \"good\"\n");
    edit("content/projects/widget.md", "category: Tools\n", "category: Tools\nchannels: [\"https://widget.test\"]\n");
    // Evidence kept in the ledger: an archived copy, the day read, the words relied on.
    edit(
        "content/reviews/first-look.md",
        "    evidence: https://widget.test/bench\n",
        "    evidence: { url: https://widget.test/bench, archived: \"https://web.archive.org/web/2026/https://widget.test/bench\", accessed: 2026-11-04, quote: \"3.2 ms at p50\" }\n",
    );
    // Events in the project's life, one kept in the ledger.
    edit(
        "content/projects/widget.md",
        "claims:\n",
        "events:\n  - { date: 2026-11-11, text: Mainnet launch, source: { url: https://widget.test/launch, archived: https://archive.ph/launch } }\n  - { date: 2026-10-01, text: Testnet opens }\nclaims:\n",
    );
    // A finding on a claim, resting on an answer.
    edit(
        "content/projects/widget.md",
        "    accessed: 2026-11-01\n",
        "    accessed: 2026-11-01\n    finding: { rating: partly-supported, date: 2026-11-21, summary: \"Fast against *Gizmo* only.\", based_on: [\"first-look#q-1\"] }\n",
    );
    site.write(
        "content/authors/ada-reviewer.md",
        "---\nname: Ada Reviewer\nlinks: [\"https://ada.example/\"]\naffiliations: [Independent]\ndisclosure: { holdings: holds }\n---\nAda's bio.\n",
    );
    site.write(
        "content/responses/widget-reply.md",
        "---\nproject: widget\ndate: 2026-11-22\nby: Widget team\nsource: https://widget.test/reply\nto: [{ review: first-look }, { question: \"first-look#q-1\" }]\n---\n## Method\n\nOur *reply*[^1], as [its method](#method) says.\n\n[^1]: A note.\n",
    );
    // An old address that redirects, a description and a given picture.
    edit(
        "content/pages/about.md",
        "title: About\n",
        "title: About\naliases: [/about-us/, /old/about.html]\nimage: /pictures/about.png\n",
    );
    edit(first, "title: ", "description: What the first look found.\ntitle: ");
    // A review in a folder with its pictures: a cover, a wide figure with copies, an inline one.
    let bundle = "content/reviews/third-look/index.md";
    site.write(bundle, site.read_source("content/reviews/third-look.md"));
    site.remove("content/reviews/third-look.md");
    edit(bundle, "title = ", "cover = \"cover.png\"\ntitle = ");
    let text = site.read_source(bundle);
    site.write(
        bundle,
        format!(
            "{}\n\n![Costs by month](chart.png \"Costs by month, median\")\n\nA mark ![the mark](mark.png) inline.\n",
            text.trim_end()
        ),
    );
    site.write("content/reviews/third-look/cover.png", crate::bundles::png(1200, 500));
    site.write("content/reviews/third-look/chart.png", crate::bundles::png(1600, 800));
    site.write("content/reviews/third-look/mark.png", crate::bundles::png(24, 24));
    let options = SiteOptions {
        drafts: true,
        future: true,
        today: Some(Date::parse("2026-11-25").expect("date")),
        ..SiteOptions::default()
    };
    if let Err(e) = site.build_with(options, None) {
        panic!("build the varied basic fixture:\n{e}");
    }
    site
}

/// A parsed page with small query helpers.
pub struct Page(pub Html);

impl Page {
    /// The normalized text of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let selector = Selector::parse(css).expect("selector");
        self.0
            .select(&selector)
            .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// The text of the single element matching `css`.
    pub fn text(&self, css: &str) -> String {
        let texts = self.texts(css);
        assert_eq!(texts.len(), 1, "expected one match for {css}, got {texts:?}");
        texts.into_iter().next().unwrap_or_default()
    }

    /// The values of `attr` on every element matching `css`.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        let selector = Selector::parse(css).expect("selector");
        self.0.select(&selector).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("below"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir`, relative, with its bytes, sorted; the output marker aside (it
/// records the build that wrote the output, not the site).
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && !(e.depth() == 1 && e.file_name() == critique::output::MARKER))
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("below").to_string_lossy().into_owned(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}
