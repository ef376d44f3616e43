//! The site's summaries for crawlers and language-model tools: `sitemap.xml` and `llms.txt`.

use std::fmt::Write;
use std::sync::Arc;

use bytes::Bytes;

use crate::date::Date;
use crate::markdown::html_escape;
use crate::model::scores::format_score;
use crate::model::{Review, Site};
use crate::render::jobs::Job;
use crate::render::views::Views;

use super::{Records, ReviewData};

/// `jobs`' pages with their paths, sorted by path.
fn by_path(site: &Site, views: &Views<'_>, jobs: impl Iterator<Item = Job>) -> Vec<(String, Job)> {
    let mut entries: Vec<(String, Job)> = jobs.map(|job| (job.path(site, views), job)).collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// The pages of `jobs` that a sitemap lists and the reviews place ([`Job::placed_by_reviews`]),
/// or (`placed` false) the others, with their paths, sorted by path.
pub fn sitemap_pages(site: &Site, views: &Views<'_>, jobs: &[Job], placed: bool) -> Vec<(String, Job)> {
    by_path(site, views, jobs.iter().copied().filter(|job| job.is_page() && job.placed_by_reviews() == placed))
}

/// `sitemap.xml` of `site`: its pages (from [`sitemap_pages`]) placed by the reviews and
/// listed otherwise, each sorted by path, merged in path order.
pub fn sitemap(
    site: &Site,
    views: &Views<'_>,
    placed: &[(String, Job)],
    listed: &[(String, Job)],
    origin: &str,
) -> Bytes {
    // Each review's date read once: projects and terms take the newest of theirs.
    let changed: Vec<Date> = site.reviews.iter().map(|r| r.updated.unwrap_or(r.date)).collect();
    let latest = changed.iter().max().copied();
    // A term's pages share its date, worked out once: a big term has many pages, each listing
    // a few of its many reviews (its pages' paths sort together: they extend the first's).
    let mut term_date = None;
    let mut date_of = |job: Job| match (job, term_date) {
        (Job::Term(kind, i, _), Some((term, date))) if term == (kind, i) => date,
        (Job::Term(kind, i, _), _) => {
            let date = job.last_modified(site, views, &changed, latest);
            term_date = Some(((kind, i), date));
            date
        }
        _ => job.last_modified(site, views, &changed, latest),
    };
    // Every URL is the origin and the base path before the page's path: paths in order are
    // URLs in order. (Paths are unique.)
    let prefix = html_escape(&format!("{origin}{}", views.urls().at("")));
    let count = placed.len() + listed.len();
    let mut xml = String::with_capacity(count * (prefix.len() + 80));
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let (mut a, mut b) = (placed.iter().peekable(), listed.iter().peekable());
    while let Some((path, job)) = match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if y.0 < x.0 => b.next(),
        (Some(_), _) => a.next(),
        (None, _) => b.next(),
    } {
        xml.push_str("  <url><loc>");
        xml.push_str(&prefix);
        let _ = pulldown_cmark_escape::escape_html(&mut xml, path);
        xml.push_str("</loc>");
        if let Some(date) = date_of(*job) {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Bytes::from(xml)
}

/// A summary for language-model tools, in the `llms.txt` format: the site, each project
/// with its standing, each review, and where the full data lives. In parts: the reviews' lines
/// are made once per review file.
pub(super) fn llms(site: &Site, records: &Records<'_>, reviews: &[Arc<ReviewData>]) -> Vec<Arc<str>> {
    let urls = records.views.urls();
    let mut out = format!("# {}\n\n> {}\n\n", llms_text(&site.config.title), llms_text(&site.config.description));
    out.push_str(
        "Each project lists its claims; reviews score it on the axes below and raise questions tied to those claims. \
         Aggregates appear only once a project has enough reviews.\n\n",
    );
    out.push_str("Axes: ");
    let axes = site.config.axes.iter().map(|a| format!("{} ({})", llms_text(&a.label), llms_text(&a.key)));
    out.push_str(&axes.collect::<Vec<_>>().join(", "));
    out.push_str(&format!(
        "; scale {}–{}.\n\n## Projects\n\n",
        format_score(site.config.scale.min),
        format_score(site.config.scale.max)
    ));
    for p in &site.projects {
        let open: usize = p.reviews.iter().map(|&r| reviews[r].open).sum();
        let standing =
            p.overall.map_or_else(|| "no aggregate yet".to_string(), |o| format!("overall {}", format_score(o)));
        let _ = writeln!(
            out,
            "- [{}]({}): {} ({standing}; {} review{}; {open} open question{})",
            llms_text(&p.name),
            llms_url(&records.url(&urls.project(&p.slug))),
            llms_text(&p.summary),
            p.reviews.len(),
            if p.reviews.len() == 1 { "" } else { "s" },
            if open == 1 { "" } else { "s" },
        );
    }
    out.push_str("\n## Reviews\n\n");
    let mut parts = vec![Arc::from(out)];
    parts.extend(reviews.iter().map(|r| r.summary.clone()));
    let mut out = String::new();
    let _ = write!(
        out,
        "\n## Data\n\n- [Reviews, one JSON record a line]({0}): data/reviews.jsonl\n- [Claims with their questions]({1}): data/claims.jsonl\n- [JSON Schema of the records]({2})\n- [Latest reviews as JSON Feed]({3})\n",
        llms_url(&records.url(&urls.at("data/reviews.jsonl"))),
        llms_url(&records.url(&urls.at("data/claims.jsonl"))),
        llms_url(&records.url(&urls.at("data/schema.json"))),
        llms_url(&records.url(&urls.at("feed.json"))),
    );
    parts.push(Arc::from(out));
    parts
}

/// A review's line of `llms.txt`.
pub(super) fn llms_line(site: &Site, records: &Records<'_>, r: &Review) -> String {
    let verdict = site.config.verdict(&r.verdict).map_or(r.verdict.as_str(), |v| v.label.as_str());
    format!(
        "- [{}]({}): {}, on {} by {}, {}\n",
        llms_text(&r.title),
        llms_url(&records.url(&records.views.urls().review(&r.slug))),
        llms_text(verdict),
        llms_text(&site.projects[r.project].name),
        llms_text(&r.byline()),
        r.date
    )
}

/// Text for `llms.txt`, which is Markdown, that changes nothing of its structure: on one line,
/// with a backslash before every character that could start a heading, list item, quote,
/// code, link, image, autolink, emphasis, table, HTML or entity, where it could. A backslash
/// before ASCII punctuation is shown as the character alone, so the text reads the same.
fn llms_text(text: &str) -> String {
    let text = crate::text::one_line(text.to_string());
    let leading_digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '<' | '>' | '#' | '|' | '~' | '{' | '}' | '&' | '@' => {
                true
            }
            // A list item, a setext underline or a thematic break, where the text starts a line.
            '-' | '+' | '=' => i == 0,
            // `1.` starting an ordered list, and `www.` starting an autolink as GitHub reads one.
            '.' => (i > 0 && i == leading_digits) || text[..i].ends_with("www"),
            // `https://…`, an autolink as GitHub reads one.
            ':' => text[i..].starts_with("://"),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A URL as a Markdown link's destination: parentheses percent-encoded, so that none ends it.
fn llms_url(url: &str) -> String {
    url.replace('(', "%28").replace(')', "%29")
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Parser, Tag};

    /// The links, headings, block quotes and list items of a Markdown text.
    fn structure(markdown: &str) -> Vec<String> {
        Parser::new_ext(markdown, pulldown_cmark::Options::all())
            .filter_map(|e| match e {
                Event::Start(
                    tag @ (Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. } | Tag::BlockQuote(_)),
                ) => Some(format!("{tag:?}")),
                Event::Start(tag @ (Tag::Item | Tag::List(_) | Tag::CodeBlock(_) | Tag::Table(_) | Tag::HtmlBlock)) => {
                    Some(format!("{tag:?}"))
                }
                Event::Start(tag @ (Tag::Emphasis | Tag::Strong | Tag::Strikethrough)) => Some(format!("{tag:?}")),
                Event::InlineHtml(html) | Event::Html(html) => Some(html.to_string()),
                Event::Code(code) => Some(code.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn hostile_text_changes_nothing_of_the_structure() {
        let hostile = [
            "A\n## Injected\n- [x](https://evil.example)",
            "[click](javascript:alert(1)) ![i](x.png) <script>x</script>",
            "# also a heading {#id} | a | b |",
            "- a list",
            "1. ordered",
            "1) ordered",
            "> quote",
            "```fence",
            "    code",
            "*emphasis* __strong__ ~~gone~~ `code`",
            "---",
            "===",
            "https://evil.example www.evil.example a@evil.example",
            "a\\",
            "&amp; &#35; entity",
            "[ref]\n\n[ref]: https://evil.example",
        ];
        for text in hostile {
            let escaped = llms_text(text);
            assert!(!escaped.contains('\n'), "{escaped}");
            for line in
                [format!("# {escaped}"), format!("> {escaped}"), format!("- [{escaped}](https://x.org/): {escaped}")]
            {
                let expected: Vec<String> = structure(&line.replace(&escaped, "plain"));
                assert_eq!(structure(&line), expected, "{text:?} as {line:?}");
            }
        }
        assert_eq!(
            llms_text("Cheaper? Yes: 40% less, v1.2"),
            "Cheaper? Yes: 40% less, v1.2",
            "plain text reads as it was"
        );
    }

    #[test]
    fn urls_cannot_end_a_link_early() {
        assert_eq!(llms_url("https://x.org/a(b)/"), "https://x.org/a%28b%29/");
    }
}
