//! The features of the site, one module each, with their routes' handlers, pages, API and
//! forms, and templates in the folder of the same name. A feature never imports another
//! (a test reads the sources); what two share lives in `crate::http` or the application
//! layer.

pub(crate) mod account;
pub(crate) mod assessments;
pub(crate) mod evidence;
pub(crate) mod fieldwork;
pub(crate) mod frameworks;
pub(crate) mod people;
pub(crate) mod plan;
pub(crate) mod scoring;
