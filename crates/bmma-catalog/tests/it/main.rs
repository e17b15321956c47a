//! Loader and built-in framework tests.

mod builtin;
mod calibration;
mod lint;
mod loader;
