//! Integration tests: real sites built in temporary directories, asserted on parsed HTML.

// Test helpers fail loudly by design: a panic is the assertion.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests panic on purpose")]
#![allow(clippy::print_stderr, reason = "the scale tests report their figures")]

mod accessibility;
mod addresses;
mod authors;
mod browser;
mod build;
mod bundles;
mod check;
mod cli;
mod compare;
mod errors;
mod evidence;
mod external;
mod findings;
mod json_ld;
mod json_schema;
mod language;
mod loopback;
mod pages;
mod publish;
mod requests_browser;
mod responses;
mod robustness;
mod safety;
mod search;
mod search_browser;
mod search_site;
#[cfg(feature = "serve")]
mod serve_browser;
#[cfg(feature = "serve")]
mod serve_equality;
#[cfg(feature = "serve")]
mod serve_http;
#[cfg(feature = "serve")]
mod server;
mod sharing;
mod site;
mod support;
mod timeline;
mod validity;
mod webdriver;
