//! Safety: a build reads and writes only inside its site and its output, whatever the site
//! holds. One submodule per class of attack: what a file's name or `--output` can make the
//! writer touch, symlinks, work that must stay linear in the input, hostile field values, and
//! the dev server.

mod dos;
mod fields;
mod paths;
#[cfg(feature = "serve")]
mod serve;
mod symlinks;
