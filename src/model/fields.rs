//! Text and URL fields of front matter, brought to the one form every output shows: a
//! single-line field (title, name, author, tag, category, symbol) on one line, and a URL field
//! only a link a page may carry, else an error at the value naming the field.

use serde_saphyr::Spanned;

use crate::diagnostic::Diagnostic;
use crate::locate::Step;
use crate::parse::Located;
use crate::scheme;
use crate::text::one_line;

use crate::parse::matter::{Evidence, PageMatter, ProjectMatter, ResponseMatter, ReviewMatter};

/// A project's single-line fields on one line, and its URL fields checked: `homepage`,
/// `accountability.status_page` and `accountability.postmortems` are the project's own
/// pages (web or mail links only); a claim's `source` may also be a path on this site (an
/// archived copy in `static/`).
pub(super) fn project(matter: &mut ProjectMatter, source: &Located, errors: &mut Vec<Diagnostic>) {
    matter.name = one_line(std::mem::take(&mut matter.name));
    check_image(matter.image.as_ref(), source, errors);
    matter.category = matter.category.take().map(one_line);
    lines(&mut matter.tags);
    if let Some(token) = &mut matter.token {
        token.symbol = token.symbol.take().map(one_line);
    }
    if let Some(homepage) = &matter.homepage {
        check_url(homepage, &[Step::Key("homepage")], false, source, errors);
    }
    for (i, channel) in matter.channels.iter().enumerate() {
        check_url(channel, &[Step::Key("channels"), Step::Index(i)], false, source, errors);
    }
    for (i, claim) in matter.claims.iter_mut().enumerate() {
        if let Some(evidence) = &mut claim.source {
            let at = [Step::Key("claims"), Step::Index(i), Step::Key("source")];
            check_evidence(evidence, &at, true, source, errors);
            // Read on one day: the claim's `accessed`, or its source's.
            match (claim.accessed, evidence.value.accessed) {
                (Some(a), Some(b)) if a != b => {
                    let message = format!("`accessed` is {a} on the claim and {b} on its source: expected one day");
                    errors.push(source.error(evidence, &at, message).with_hint("keep one of them"));
                }
                // The claim keeps the day; its source's ledger keeps only what was written there.
                (a, b) => claim.accessed = a.or(b),
            }
        }
    }
    for (i, event) in matter.events.iter_mut().enumerate() {
        let at = [Step::Key("events"), Step::Index(i)];
        event.text.value = one_line(std::mem::take(&mut event.text.value));
        if event.text.value.trim().is_empty() {
            let path = [Step::Key("events"), Step::Index(i), Step::Key("text")];
            errors.push(source.error(&event.text, &path, "empty event `text`: expected what happened"));
        }
        if let Some(evidence) = &mut event.source {
            check_evidence(evidence, &[at[0], at[1], Step::Key("source")], true, source, errors);
        }
    }
    if let Some(accountability) = &matter.accountability {
        for (key, url) in [("status_page", &accountability.status_page), ("postmortems", &accountability.postmortems)] {
            if let Some(url) = url {
                check_url(url, &[Step::Key("accountability"), Step::Key(key)], false, source, errors);
            }
        }
    }
}

/// A review's single-line fields on one line, and each question's `evidence` checked: a web
/// or mail link, or a path on this site (a screenshot or archived page in `static/`).
pub(super) fn review(matter: &mut ReviewMatter, source: &Located, errors: &mut Vec<Diagnostic>) {
    matter.title = one_line(std::mem::take(&mut matter.title));
    check_image(matter.image.as_ref(), source, errors);
    matter.author = matter.author.take().map(one_line);
    lines(&mut matter.authors);
    lines(&mut matter.tags);
    for (i, q) in matter.questions.iter_mut().enumerate() {
        if let Some(evidence) = &mut q.evidence {
            check_evidence(
                evidence,
                &[Step::Key("questions"), Step::Index(i), Step::Key("evidence")],
                true,
                source,
                errors,
            );
        }
    }
}

/// A response's `by` on one line, and its `source` checked: a web or mail link.
pub(super) fn response(matter: &mut ResponseMatter, source: &Located, errors: &mut Vec<Diagnostic>) {
    matter.by = one_line(std::mem::take(&mut matter.by));
    if let Some(evidence) = &mut matter.source {
        check_evidence(evidence, &[Step::Key("source")], false, source, errors);
    }
}

/// A page's title on one line.
pub(super) fn page(matter: &mut PageMatter, source: &Located, errors: &mut Vec<Diagnostic>) {
    matter.title = one_line(std::mem::take(&mut matter.title));
    check_image(matter.image.as_ref(), source, errors);
}

/// `image`, the picture shared links show: a web URL or a path on this site (not `mailto:`),
/// without white space or `.`/`..` segments, written as it will be printed.
fn check_image(image: Option<&Spanned<String>>, source: &Located, errors: &mut Vec<Diagnostic>) {
    let Some(image) = image else { return };
    let path = [Step::Key("image")];
    let value = &image.value;
    let problem = if scheme::classify(value) == scheme::Target::Mail {
        Some("is a mail address: expected a picture's URL")
    } else if value.chars().any(char::is_whitespace) {
        Some("holds white space: expected the address as a browser sends it (a space as `%20`)")
    } else if value.split(['?', '#']).next().unwrap_or_default().split('/').any(|s| s == "." || s == "..") {
        Some("has a `.` or `..` segment: expected the picture's own path")
    } else {
        None
    };
    if let Some(problem) = problem {
        let message = format!("`image` `{}` {problem}", value.escape_debug());
        let hint = "give an `https://` URL, or a path on this site such as `/pictures/card.png` (from `static/`)";
        errors.push(source.error(image, &path, message).with_hint(hint));
        return;
    }
    check_url(image, &path, true, source, errors);
}

fn lines(values: &mut [String]) {
    for value in values {
        *value = one_line(std::mem::take(value));
    }
}

/// An error at the URL field at `path` unless it is an `http`, `https` or `mailto` URL, or
/// with `site_paths`, a path on this site starting with `/`.
fn check_url(
    value: &Spanned<String>,
    path: &[Step<'_>],
    site_paths: bool,
    source: &Located,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some((message, hint)) = scheme::field_problem(&field_name(path), &value.value, site_paths) {
        errors.push(source.error(value, path, message).with_hint(hint));
    }
}

/// An evidence field checked: its `url` as [`check_url`] has it, its `archived` copy a web
/// link or (a copy kept in `static/`) a path on this site; its quote on one line.
fn check_evidence(
    value: &mut Spanned<Evidence>,
    path: &[Step<'_>],
    site_paths: bool,
    source: &Located,
    errors: &mut Vec<Diagnostic>,
) {
    // Its place, for the checks that read the model (which keeps no spans).
    let place = source.error(value, path, String::new());
    value.value.at = (place.line, place.col);
    let evidence = &value.value;
    let mut problems = Vec::new();
    if let Some(problem) = scheme::field_problem(&field_name(path), &evidence.url, site_paths) {
        problems.push(problem);
    }
    if let Some(archived) = &evidence.archived
        && let Some(problem) = scheme::field_problem(&format!("{}.archived", field_name(path)), archived, true)
    {
        problems.push(problem);
    }
    for (message, hint) in problems {
        errors.push(source.error(value, path, message).with_hint(hint));
    }
    value.value.quote = value.value.quote.take().map(one_line).filter(|q| !q.trim().is_empty());
}

/// A key path as a message names it: `claims[2].source`.
fn field_name(path: &[Step<'_>]) -> String {
    let mut name = String::new();
    for step in path {
        match step {
            Step::Key(key) if name.is_empty() => name.push_str(key),
            Step::Key(key) => {
                name.push('.');
                name.push_str(key);
            }
            Step::Index(i) => name.push_str(&format!("[{i}]")),
        }
    }
    name
}

/// The slug a review, project or page is published under: its `slug:` (lowercase letters,
/// digits and `-`, as file names are slugged), else its file name's. An error at the value
/// otherwise, the file name's slug kept.
pub(super) fn slug(
    given: Option<&Spanned<String>>,
    file_slug: &str,
    source: &Located,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let Some(given) = given else { return file_slug.to_string() };
    let wanted = &given.value;
    if wanted.is_empty() || slug::slugify(wanted) != *wanted {
        let like = if wanted.trim().is_empty() { file_slug.to_string() } else { slug::slugify(wanted) };
        let message = format!("invalid `slug` `{wanted}`: expected lowercase letters, digits and `-` (like `{like}`)");
        errors.push(source.error(given, &[Step::Key("slug")], message));
        return file_slug.to_string();
    }
    wanted.clone()
}

/// `aliases` with the file name's address (`section/file-slug/`) when `slug` is not the file
/// name's: links written to the file (`../file-slug.md`) and its old address lead there.
pub(super) fn addresses(
    matter_aliases: &[Spanned<String>],
    section: &str,
    (slug, file_slug): (&str, &str),
    source: &Located,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut aliases = aliases(matter_aliases, source, errors);
    let file_address = format!("{section}{file_slug}/");
    if slug != file_slug && !aliases.contains(&file_address) {
        aliases.push(file_address);
    }
    aliases
}

/// The most characters of an alias.
const ALIAS_MAX: usize = 512;

/// `aliases`: old addresses on this site, each a path from the site's root (`/reviews/old/`,
/// `/old.html`; `%XX` escapes read), as a link below the base path (`reviews/old/`): a path
/// without an extension is a folder. An error at each one that is not a plain path the output
/// can hold (a URL, a query or fragment, `..`, white space, the site's root).
fn aliases(values: &[Spanned<String>], source: &Located, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let at = [Step::Key("aliases"), Step::Index(i)];
        match alias(&value.value) {
            Ok(alias) if out.contains(&alias) => {
                let message = format!("alias `{}` is given twice: expected each old address once", value.value);
                errors.push(source.error(value, &at, message));
            }
            Ok(alias) => out.push(alias),
            Err(why) => {
                let message = format!("invalid alias `{}`: {why}", value.value);
                let hint = "give the old address as a path from the site's root, such as `/reviews/old-name/`";
                errors.push(source.error(value, &at, message).with_hint(hint));
            }
        }
    }
    out
}

/// One alias as a link below the base path, or why it cannot be one.
fn alias(written: &str) -> Result<String, String> {
    if written.chars().count() > ALIAS_MAX {
        return Err(format!("longer than {ALIAS_MAX} characters"));
    }
    let Some(path) = written.strip_prefix('/').filter(|p| !p.starts_with('/')) else {
        return Err("expected a path starting with one `/`".into());
    };
    if path.contains(['?', '#']) {
        return Err("an old address is a path, without `?` or `#`".into());
    }
    let decoded = crate::urls::percent_decode(path).ok_or("a `%` escape that is not one")?;
    if decoded.chars().any(char::is_whitespace) {
        return Err("it holds white space, which no redirect rule can name".into());
    }
    if decoded.is_empty() {
        return Err("the site's root is the home page".into());
    }
    // A last segment without an extension is a folder, as the site's own addresses are.
    let last = decoded.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let folder = decoded.ends_with('/') || !last.contains('.');
    let link = if folder { format!("{}/", decoded.trim_end_matches('/')) } else { decoded };
    let file = if folder { format!("{link}index.html") } else { link.clone() };
    crate::site_path::check(&file).map_err(|problem| format!("the output cannot hold it: {problem}"))?;
    Ok(link)
}

/// The most characters of a description made from a summary: what search engines show.
pub(super) const DESCRIPTION_CHARS: usize = 160;

/// What a page says of itself in `<meta name="description">`, OpenGraph and feeds: its
/// `description:` on one line, else what `otherwise` makes.
pub(super) fn description(given: Option<String>, otherwise: impl FnOnce() -> String) -> String {
    given.map(one_line).filter(|d| !d.is_empty()).unwrap_or_else(otherwise)
}

/// A summary's text for a description: without the headings' self-links, cut after a word.
pub(super) fn summary_text(summary_html: &str) -> String {
    let text = crate::text::plain_text(&crate::markdown::without_anchors(summary_html));
    crate::text::cut_at_word(&text, DESCRIPTION_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_plain_paths_from_the_root() {
        assert_eq!(alias("/reviews/old-name/").as_deref(), Ok("reviews/old-name/"));
        assert_eq!(alias("/reviews/old-name").as_deref(), Ok("reviews/old-name/"));
        assert_eq!(alias("/old.html").as_deref(), Ok("old.html"));
        assert_eq!(alias("/caf%C3%A9/").as_deref(), Ok("café/"));
        assert_eq!(alias("/a.b/c/").as_deref(), Ok("a.b/c/"));
        for bad in [
            "reviews/x/",
            "//evil.example/x",
            "https://e.org/x",
            "/x?y=1",
            "/x#y",
            "/",
            "/a/../../b/",
            "/a b/",
            "/a%20b/",
            "/%zz/",
            "/a\\b/",
            "/./x/",
            "/a//b/",
        ] {
            assert!(alias(bad).is_err(), "{bad}");
        }
        assert!(alias(&format!("/{}/", "a".repeat(600))).is_err());
    }

    #[test]
    fn field_names_read_as_written() {
        let path = [Step::Key("claims"), Step::Index(2), Step::Key("source")];
        assert_eq!(field_name(&path), "claims[2].source");
        assert_eq!(field_name(&[Step::Key("homepage")]), "homepage");
    }
}
