//! Old addresses that keep working: each `aliases:` path of a review, project or page (and
//! the file name's address of one whose `slug:` differs from it) becomes a small page that
//! sends readers on to the page's address, with `rel=canonical` for search engines; with
//! `[redirects] netlify = true`, also a `_redirects` file of 301 rules for hosts that redirect
//! by rule (Netlify, Cloudflare Pages).

use crate::markdown::html_escape;
use crate::model::Site;
use crate::output::OutputFile;
use crate::strings::Strings;
use crate::urls::Urls;

/// The file of redirect rules, at the output's root.
const REDIRECTS_FILE: &str = "_redirects";

/// Every alias of `site` with the page it leads to: (the alias as a link below the base
/// path, `old-name/`; the page's link, under the base path).
fn aliases<'s>(site: &'s Site, urls: Urls<'_>) -> Vec<(&'s str, String)> {
    let reviews = site.reviews.iter().flat_map(|r| r.aliases.iter().map(|a| (a.as_str(), urls.review(&r.slug))));
    let projects = site.projects.iter().flat_map(|p| p.aliases.iter().map(|a| (a.as_str(), urls.project(&p.slug))));
    let pages = site.pages.iter().flat_map(|p| p.aliases.iter().map(|a| (a.as_str(), urls.page(&p.slug))));
    reviews.chain(projects).chain(pages).collect()
}

/// The output file of an alias (`old/` → `old/index.html`; `old.html` as it is).
fn alias_output(alias: &str) -> String {
    if alias.ends_with('/') { format!("{alias}index.html") } else { alias.to_string() }
}

/// The page at an old address: sent on at once (`http-equiv="refresh"`) to `to` (a link
/// under the base path, so that a preview on this machine stays on it), naming `canonical`
/// (absolute) for search engines, kept out of their indexes, with a link for a reader whose
/// browser does not follow.
fn redirect_page(language: &str, strings: &Strings, to: &str, canonical: &str) -> String {
    let (to, canonical) = (html_escape(to), html_escape(canonical));
    // The texts are escaped before the link is put in: the link is markup, they are not.
    let title = html_escape(strings.get("moved_title")).replace("{url}", &canonical);
    let heading = html_escape(strings.get("moved_heading"));
    let text = html_escape(strings.get("moved_text")).replace("{link}", &format!("<a href=\"{to}\">{canonical}</a>"));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n<main>\n<h1>{heading}</h1>\n\
         <p>{text}</p>\n</main>\n</body>\n</html>\n",
        html_escape(language)
    )
}

/// The redirect pages of `site` and, when the site asks for it, its `_redirects` file.
pub fn alias_files(site: &Site, urls: Urls<'_>) -> Vec<OutputFile> {
    let aliases = aliases(site, urls);
    let origin = site.config.origin();
    let mut files: Vec<OutputFile> = aliases
        .iter()
        .map(|(alias, to)| {
            OutputFile::new(
                alias_output(alias),
                redirect_page(&site.config.language, &site.config.interface, to, &format!("{origin}{to}")),
            )
        })
        .collect();
    if site.config.redirects.netlify {
        let rules: String = aliases.iter().map(|(alias, to)| format!("{} {to} 301\n", urls.at(alias))).collect();
        files.push(OutputFile::new(REDIRECTS_FILE.to_string(), rules));
    }
    files
}
