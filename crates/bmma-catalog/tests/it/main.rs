//! Loader and built-in framework tests.

mod builtin;
mod lint;
mod loader;
