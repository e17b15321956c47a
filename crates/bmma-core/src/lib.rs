//! The bmma domain: frameworks, scoring states, aggregation, countries and assessments.
//!
//! This crate performs no I/O: no files, no SQL, no HTTP. Everything here is a value or a
//! pure function, so every rule can be tested with a table of inputs and expected outputs.

pub mod access;
pub mod aggregation;
pub mod assessment;
pub mod board;
pub mod calibration;
pub mod country;
pub mod evidence;
pub mod fields;
pub mod framework;
pub mod pefa;
pub mod plan;
pub mod records;
pub mod scoring;
pub mod sites;
pub mod status;

pub use access::{Action, Role, Sharing, permits};
pub use aggregation::{Aggregate, AggregateScore, AggregationMethod, ConversionTable, Rating};
pub use assessment::{Assessment, NewAssessment, Scope};
pub use country::Country;
pub use fields::{
    EMAIL_MAX_CHARS, FieldError, FieldErrorKind, NOTES_MAX_CHARS, TITLE_MAX_CHARS, text_problem,
};
pub use framework::{Framework, FrameworkRef};
pub use status::AssessmentStatus;
