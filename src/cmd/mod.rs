//! The commands, one file each; `main.rs` parses arguments and calls these.

pub mod build;
pub mod check;
pub mod init;
pub mod list;
pub mod new;
pub mod root;
pub mod theme;
