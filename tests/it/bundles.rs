//! Page bundles and their images: a review, project or page as a folder with its files,
//! Markdown images sized from their files, wide ones with narrower copies, figures, covers.

use std::io::Cursor;

use crate::support::SiteTest;

/// A PNG `width` × `height` pixels (a gradient, so that copies are not trivially small).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, 90]));
    let mut bytes = Vec::new();
    image.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).expect("encode");
    bytes
}

/// `first-look` of the basic fixture moved into a folder of its own, its body ending with `tail`.
fn bundled(tail: &str) -> SiteTest {
    let site = SiteTest::fixture("basic");
    let text = site.read_source("content/reviews/first-look.md");
    site.remove("content/reviews/first-look.md");
    site.write("content/reviews/first-look/index.md", format!("{}\n\n{tail}", text.trim_end()));
    site
}

fn dimensions(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).expect("decodes");
    (image.width(), image.height())
}

#[test]
fn a_bundles_images_are_published_beside_its_page_sized_and_with_copies() {
    let site = bundled(
        "![A wide chart](chart.png \"Median cost, by month\")\n\nInline ![small *one*](img/small.png) and ![again](img/small.png).\n\n[The data](data.csv)\n",
    );
    site.write("content/reviews/first-look/chart.png", png(2400, 1000));
    site.write("content/reviews/first-look/img/small.png", png(300, 200));
    site.write("content/reviews/first-look/data.csv", "a,b\n1,2\n");
    site.build();

    let dir = site.public().join("reviews/first-look");
    assert_eq!(std::fs::read(dir.join("data.csv")).expect("published"), b"a,b\n1,2\n");
    assert_eq!(dimensions(&std::fs::read(dir.join("img/small.png")).expect("published")), (300, 200));
    let page = site.html("reviews/first-look/index.html");
    // Alone in its paragraph with a title: a figure with its caption.
    assert_eq!(page.texts(".prose figure figcaption"), ["Median cost, by month"]);
    let img = |attr: &str| page.attrs(".prose img", attr);
    // From the site's root, so that a summary on a listing finds them too.
    let at = |name: &str| format!("/reviews/first-look/{name}");
    assert_eq!(img("src"), [at("chart.png"), at("img/small.png"), at("img/small.png")]);
    assert_eq!(img("width"), ["2400", "300", "300"]);
    assert_eq!(img("height"), ["1000", "200", "200"]);
    assert_eq!(img("alt"), ["A wide chart", "small one", "again"]);
    assert_eq!(
        page.attrs(".prose img[loading=lazy]", "src"),
        [at("img/small.png"), at("img/small.png")],
        "all but the first"
    );
    // Every copy the srcsets name is there, as wide as it says and in the format it says.
    let srcset = img("srcset");
    assert_eq!(srcset.len(), 1, "only the wide image has copies: {srcset:?}");
    let webp = page.attrs(".prose picture source[type='image/webp']", "srcset");
    assert_eq!(webp.len(), 1);
    let mut named = 0;
    for (set, format) in [(&srcset[0], image::ImageFormat::Png), (&webp[0], image::ImageFormat::WebP)] {
        for candidate in set.split(", ") {
            let (url, width) = candidate.split_once(' ').expect("url and width");
            let width: u32 = width.trim_end_matches('w').parse().expect("a width");
            let bytes =
                std::fs::read(site.public().join(url.trim_start_matches('/'))).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(image::guess_format(&bytes).expect("an image"), format, "{url}");
            assert_eq!(dimensions(&bytes), (width, (width * 1000 + 1200) / 2400), "{url}");
            named += 1;
        }
    }
    assert_eq!(named, 8, "480, 1016, 2032 and the original; WebP at each");
    // Copies are kept for the next build (outside the output), which makes none again.
    let cached = || std::fs::read_dir(site.root.join(".critique/cache/images")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(cached(), 7);
    site.build();
    assert_eq!(cached(), 7);
}

#[test]
fn a_cover_heads_its_page_and_is_what_shared_links_show() {
    let site = bundled("Text.\n");
    site.edit("content/reviews/first-look/index.md", "title: ", "cover: cover.png\ntitle: ");
    site.write("content/reviews/first-look/cover.png", png(1200, 600));
    site.build();
    let page = site.html("reviews/first-look/index.html");
    assert_eq!(page.attrs("article .cover img", "src"), ["cover.png"]);
    assert_eq!(page.attrs("article .cover img", "width"), ["1200"]);
    assert_eq!(page.attrs("article .cover img", "loading"), Vec::<String>::new(), "not lazy: it is the top");
    let og = page.attrs("meta[property='og:image']", "content");
    assert!(og.len() == 1 && og[0].ends_with("/reviews/first-look/cover.png"), "{og:?}");
    assert_eq!(page.attrs("meta[property='og:image:width']", "content"), ["1200"]);

    site.edit("content/reviews/first-look/index.md", "cover: cover.png", "cover: nothing.png");
    let errors = site.errors();
    assert!(
        errors.iter().any(|e| e.path.ends_with("first-look/index.md")
            && e.line == 2
            && e.message.contains("`cover` `nothing.png` not found")),
        "{errors:?}"
    );
}

#[test]
fn a_cover_named_with_a_space_or_hash_is_linked_escaped() {
    let site = bundled("Text.\n");
    site.edit("content/reviews/first-look/index.md", "title: ", "cover: \"my cover#1.png\"\ntitle: ");
    site.write("content/reviews/first-look/my cover#1.png", png(1200, 600));
    site.build();
    let page = site.html("reviews/first-look/index.html");
    assert_eq!(page.attrs("article .cover img", "src"), ["my%20cover%231.png"]);
    let dir = site.public().join("reviews/first-look");
    for set in [page.attrs("article .cover img", "srcset"), page.attrs("article .cover source", "srcset")] {
        for candidate in set[0].split(", ") {
            let (url, _) = candidate.split_once(' ').expect("url and width");
            let file = url.replace("%20", " ").replace("%23", "#");
            assert!(dir.join(&file).is_file(), "{url} names {file}, which is not there");
        }
    }
    let og = page.attrs("meta[property='og:image']", "content");
    assert!(og[0].ends_with("/reviews/first-look/my%20cover%231.png"), "{og:?}");
}

#[test]
fn a_rebuild_follows_a_bundle_file_replaced_or_added() {
    let site = bundled("![chart](chart.png)\n");
    site.write("content/reviews/first-look/chart.png", png(300, 200));
    site.build();
    site.write("content/reviews/first-look/chart.png", png(40, 30));
    site.write("content/reviews/first-look/notes.txt", "new");
    site.build();
    let page = site.html("reviews/first-look/index.html");
    assert_eq!(page.attrs(".prose img", "width"), ["40"], "the page has the new image's size");
    let dir = site.public().join("reviews/first-look");
    assert_eq!(dimensions(&std::fs::read(dir.join("chart.png")).expect("published")), (40, 30));
    assert_eq!(std::fs::read(dir.join("notes.txt")).expect("published"), b"new");
}

#[test]
fn a_file_named_as_a_wide_images_copy_is_an_error() {
    let site = bundled("![chart](chart.png)\n");
    site.write("content/reviews/first-look/chart.png", png(1200, 600));
    site.write("content/reviews/first-look/chart-w480.png", png(20, 20));
    let errors = site.errors();
    assert!(
        errors.iter().any(|e| e.message.contains("`reviews/first-look/chart-w480.png` is published from")
            && e.rule.as_deref() == Some("output")),
        "{errors:?}"
    );
}

#[test]
fn an_image_claiming_billions_of_pixels_is_an_error_not_a_hang() {
    // A valid header over a few bytes of data: decoding it whole would take 30 GB.
    let mut bomb = Vec::new();
    let mut writer = png::Encoder::new(&mut bomb, 100_000, 100_000).write_header().expect("a header");
    writer.write_chunk(png::chunk::IDAT, &[0x78, 0x9c]).expect("a chunk");
    drop(writer);
    let site = bundled("One.\n\n![huge](bomb.png)\n");
    site.write("content/reviews/first-look/bomb.png", bomb);
    let errors = site.errors();
    assert!(
        errors.iter().any(|e| e.message.contains("100000 × 100000 pixels")
            && e.line > 1
            && e.rule.as_deref() == Some("markdown")),
        "{errors:?}"
    );
}

#[test]
fn a_png_cut_short_is_an_error_at_its_line() {
    let site = bundled("One.\n\n![small](small.png)\n\n![wide](wide.png)\n");
    let (small, wide) = (png(300, 200), png(1200, 600));
    site.write("content/reviews/first-look/small.png", &small[..small.len() / 2]);
    site.write("content/reviews/first-look/wide.png", &wide[..wide.len() / 2]);
    let errors = site.errors();
    for name in ["small.png", "wide.png"] {
        assert!(
            errors.iter().any(|e| e
                .message
                .contains(&format!("image `{name}` cannot be shown: this PNG image is cut short"))
                && e.line > 1
                && e.col == 1),
            "{name}: {errors:?}"
        );
    }
}

#[test]
fn a_bundle_file_that_could_run_script_is_an_error_unless_allowed() {
    let site = bundled("[page](page.html)\n\n![safe](safe.svg)\n");
    let svg = |inner: &str| format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{inner}</svg>"#);
    let dir = "content/reviews/first-look";
    site.write(
        &format!("{dir}/safe.svg"),
        svg(r#"<rect width="5" height="5"><animate attributeName="x" to="2"/></rect>"#),
    );
    site.write(&format!("{dir}/page.html"), "<script>alert(document.cookie)</script>");
    site.write(&format!("{dir}/a.js"), "alert(1)");
    site.write(&format!("{dir}/b.svg"), svg("<script>alert(1)</script>"));
    site.write(
        &format!("{dir}/c.svg"),
        svg(r#"<a href="jav&#x61;&#9;script:alert(1)"><rect width="5" height="5"/></a>"#),
    );
    site.write(&format!("{dir}/d.svg"), svg(r#"<rect width="5" height="5" ONload="alert(1)"/>"#));
    site.write(
        &format!("{dir}/e.svg"),
        svg(r#"<g><iframe xmlns="http://www.w3.org/1999/xhtml" srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"/></g>"#),
    );
    // An editor's metadata in namespaces of its own is inert.
    site.write(
        &format!("{dir}/inkscape.svg"),
        svg(r#"<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description/></rdf:RDF></metadata><rect width="5" height="5"/>"#),
    );
    let errors = site.errors();
    let flagged: Vec<&str> = errors
        .iter()
        .filter(|e| e.rule.as_deref() == Some("unsafe-html"))
        .filter_map(|e| e.path.file_name()?.to_str())
        .collect();
    assert_eq!(flagged, ["a.js", "b.svg", "c.svg", "d.svg", "e.svg", "page.html"], "{errors:?}");
    let config = site.read_source("critique.toml");
    site.write("critique.toml", format!("{config}\n[check]\nallow_unsafe_html = true\n"));
    site.build();
    assert!(site.public().join("reviews/first-look/page.html").is_file());
}

#[test]
fn missing_and_corrupt_images_are_errors_at_their_line() {
    let site = bundled("One.\n\nSee ![a chart](gone.png) here.\n\n![broken](broken.png)\n");
    site.write("content/reviews/first-look/broken.png", b"\x89PNG\r\n\x1a\nnot really");
    let errors = site.errors();
    let body = site.read_source("content/reviews/first-look/index.md");
    let line_of = |needle: &str| body.lines().position(|l| l.contains(needle)).expect("line") + 1;
    let found = |needle: &str, line: usize, col: usize| {
        errors.iter().any(|e| {
            e.message.contains(needle) && e.line == line && e.col == col && e.rule.as_deref() == Some("markdown")
        })
    };
    assert!(found("image `gone.png` not found beside this page", line_of("gone.png"), 5), "{errors:?}");
    assert!(found("image `broken.png` cannot be shown", line_of("broken.png"), 1), "{errors:?}");

    // A page of its own file has no folder for images.
    let flat = SiteTest::fixture("basic");
    let text = flat.read_source("content/reviews/second-look.md");
    flat.write("content/reviews/second-look.md", format!("{text}\n![x](pic.png)\n"));
    let errors = flat.errors();
    assert!(errors.iter().any(|e| e.message.contains("this page has no folder of its own")), "{errors:?}");
}

#[test]
fn folders_that_cannot_be_pages_are_errors() {
    let site = bundled("Text.\n");
    // Both a file and a folder for one page.
    site.write("content/reviews/first-look.md", site.read_source("content/reviews/first-look/index.md"));
    // A file in a folder without a page, and a second page inside a page's folder.
    site.write("content/reviews/loose/pic.png", png(2, 2));
    site.write("content/reviews/first-look/other.md", "---\ntitle: x\n---\n");
    let errors = site.errors();
    let message = |path: &str| {
        errors
            .iter()
            .find(|e| e.path.ends_with(path))
            .map(|e| e.message.clone())
            .unwrap_or_else(|| panic!("{path}: {errors:?}"))
    };
    assert!(message("reviews/first-look.md").starts_with("duplicate slug `first-look`"));
    assert!(message("loose/pic.png").contains("but no page"));
    assert!(message("first-look/other.md").contains("inside the page folder"));
}

#[test]
fn a_renamed_bundles_files_follow_its_page_and_pages_can_be_folders_too() {
    let site = bundled("![chart](chart.png)\n");
    site.edit("content/reviews/first-look/index.md", "title: ", "slug: a-first-look\ntitle: ");
    site.write("content/reviews/first-look/chart.png", png(40, 30));
    site.write("content/pages/team/index.md", "---\ntitle: Team\n---\n![The team](team.png)\n");
    site.write("content/pages/team/team.png", png(20, 10));
    site.write("content/projects/widget/index.md", site.read_source("content/projects/widget.md"));
    site.remove("content/projects/widget.md");
    site.build();
    assert!(site.public().join("reviews/a-first-look/chart.png").is_file());
    assert!(site.public().join("team/team.png").is_file());
    assert_eq!(site.html("team/index.html").attrs(".prose img", "width"), ["20"]);
    assert!(site.public().join("projects/widget/index.html").is_file());
}

#[test]
fn check_warns_of_images_without_alt_text() {
    let site = bundled("Text.\n\n![](chart.png)\n");
    site.write("content/reviews/first-look/chart.png", png(40, 30));
    let output = site.run_cli(&["check", "--format", "json"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("\"image-alt\""), "{text}");
}

#[test]
fn a_picture_replaced_is_read_again_though_no_text_changed() {
    let site = bundled("![A chart](chart.png)\n");
    site.write("content/reviews/first-look/chart.png", png(40, 30));
    site.build();
    site.write("content/reviews/first-look/chart.png", png(80, 20));
    site.build();
    let page = site.html("reviews/first-look/index.html");
    assert_eq!(page.attrs(".prose img", "width"), ["80"], "not taken for up to date");
    assert_eq!(
        dimensions(&std::fs::read(site.public().join("reviews/first-look/chart.png")).expect("published")),
        (80, 20)
    );
}

#[test]
fn a_summarys_picture_is_found_on_listings_in_feeds_and_at_a_new_address() {
    let site = SiteTest::fixture("basic");
    let text = site.read_source("content/reviews/first-look.md");
    site.remove("content/reviews/first-look.md");
    let (matter, body) = text.split_at(text.match_indices("---\n").nth(1).expect("front matter").0 + 4);
    let matter = matter.replacen("title: ", "slug: looked-at\ntitle: ", 1);
    site.write(
        "content/reviews/first-look/index.md",
        format!("{matter}![The chart](my%20chart.png) opens the summary.\n\n{body}"),
    );
    site.write("content/reviews/first-look/my chart.png", png(1600, 800));
    site.build();
    let src = "/reviews/looked-at/my%20chart.png";
    assert_eq!(site.html("reviews/looked-at/index.html").attrs(".prose img", "src"), [src]);
    assert!(site.public().join("reviews/looked-at/my chart-w480.png").is_file());
    let listing = site.html("reviews/index.html");
    assert!(listing.attrs("img", "src").contains(&src.to_string()), "the summary's picture on the listing");
    // A feed reader finds the picture and its copies on the site's origin.
    let feed = site.read("feed.xml");
    assert!(feed.contains("/reviews/looked-at/my%20chart.png"), "{feed}");
    assert!(!feed.contains("srcset=\"/reviews"), "copies absolute in the feed");
}
