//! The site's summaries for crawlers and language-model tools: `sitemap.xml` and `llms.txt`.

use std::fmt::Write;
use std::sync::Arc;

use crate::markdown::html_escape;
use crate::model::date::Date;
use crate::model::scores::format_score;
use crate::model::{Review, Site};
use crate::render::jobs::Job;
use crate::render::views::Views;

use super::{Records, ReviewData};

pub(super) fn sitemap(site: &Site, views: &Views<'_>, jobs: &[Job], origin: &str) -> String {
    // Each review's date read once: projects and terms take the newest of theirs.
    let changed: Vec<Date> = site.reviews.iter().map(|r| r.updated.unwrap_or(r.date)).collect();
    let latest = changed.iter().max().copied();
    let mut entries: Vec<(String, Option<Date>)> = Vec::with_capacity(jobs.len());
    // A term's pages come one after another and share its date, worked out once: a big term
    // has many pages, each listing a few of its many reviews.
    let mut term_date = None;
    for &job in jobs.iter().filter(|job| job.is_page()) {
        let date = match (job, term_date) {
            (Job::Term(kind, i, _), Some((term, date))) if term == (kind, i) => date,
            (Job::Term(kind, i, _), _) => {
                let date = job.last_modified(site, views, &changed, latest);
                term_date = Some(((kind, i), date));
                date
            }
            _ => job.last_modified(site, views, &changed, latest),
        };
        entries.push((job.path(site, views), date));
    }
    // Every URL is the origin and the base path before the page's path: sorting the paths
    // sorts the URLs. (Paths are unique.)
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let prefix = html_escape(&format!("{origin}{}", views.urls().at("")));
    let mut xml = String::with_capacity(entries.len() * (prefix.len() + 80));
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in entries {
        xml.push_str("  <url><loc>");
        xml.push_str(&prefix);
        let _ = pulldown_cmark_escape::escape_html(&mut xml, &path);
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// A summary for language-model tools, in the `llms.txt` format: the site, each project
/// with its standing, each review, and where the full data lives. In parts: the reviews' lines
/// are made once per review file.
pub(super) fn llms(site: &Site, records: &Records<'_>, reviews: &[Arc<ReviewData>]) -> Vec<Arc<str>> {
    let urls = records.views.urls();
    let mut out = format!("# {}\n\n> {}\n\n", site.config.title, site.config.description);
    out.push_str(
        "Each project lists its claims; reviews score it on the axes below and raise questions tied to those claims. \
         Aggregates appear only once a project has enough reviews.\n\n",
    );
    out.push_str("Axes: ");
    out.push_str(&site.config.axes.iter().map(|a| format!("{} ({})", a.label, a.key)).collect::<Vec<_>>().join(", "));
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
            p.name,
            records.url(&urls.project(&p.slug)),
            p.summary,
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
        records.url(&urls.at("data/reviews.jsonl")),
        records.url(&urls.at("data/claims.jsonl")),
        records.url(&urls.at("data/schema.json")),
        records.url(&urls.at("feed.json")),
    );
    parts.push(Arc::from(out));
    parts
}

/// A review's line of `llms.txt`.
pub(super) fn llms_line(site: &Site, records: &Records<'_>, r: &Review) -> String {
    let verdict = site.config.verdict(&r.verdict).map_or(r.verdict.as_str(), |v| v.label.as_str());
    format!(
        "- [{}]({}): {verdict}, on {} by {}, {}\n",
        r.title,
        records.url(&records.views.urls().review(&r.slug)),
        site.projects[r.project].name,
        r.author,
        r.date
    )
}
