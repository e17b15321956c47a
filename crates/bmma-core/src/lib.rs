//! The bmma domain: frameworks, scoring states, aggregation, countries and assessments.
//!
//! This crate performs no I/O: no files, no SQL, no HTTP. Everything here is a value or a
//! pure function, so every rule can be tested with a table of inputs and expected outputs.

pub mod access;
pub mod aggregation;
pub mod assessment;
pub mod board;
pub mod country;
pub mod evidence;
pub mod framework;
pub mod pefa;
pub mod plan;
pub mod records;
pub mod scoring;
pub mod sites;

pub use access::{Action, Role, Sharing, permits};
pub use aggregation::{Aggregate, AggregateScore, AggregationMethod, ConversionTable, Rating};
pub use assessment::{
    Assessment, AssessmentStatus, EMAIL_MAX_CHARS, FieldError, FieldErrorKind, NOTES_MAX_CHARS,
    NewAssessment, Scope, TITLE_MAX_CHARS, text_problem,
};
pub use country::Country;
pub use framework::{Framework, FrameworkRef};
