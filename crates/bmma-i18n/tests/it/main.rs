//! Tests of bmma-i18n through its public API. The message files themselves are checked in
//! bmma-web, next to the templates that use them.

mod countries;
