//! Messages in the user's language, from Fluent files compiled into the binary.
//!
//! Every string a user reads in a page, an API error or a command-line refusal of a field
//! comes from here; each field error is worded once, in these files. English is the
//! reference and is complete; a message missing from another language falls back to
//! English, and a test keeps French complete.
//!
//! Country names come from CLDR (through ICU4X's compiled data), in the reader's language
//! and order; only the fictional countries, unknown to CLDR, are worded in the message files.

use std::collections::HashMap;
use std::sync::Arc;

use bmma_core::Country;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use icu_collator::CollatorBorrowed;
use icu_collator::options::CollatorOptions;
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use icu_locale_core::Locale;
use icu_locale_core::subtags::Region;
use unic_langid::LanguageIdentifier;

/// Languages with a message file, the reference first.
pub const LANGUAGES: &[(&str, &str)] =
    &[("en", include_str!("../locales/en/bmma.ftl")), ("fr", include_str!("../locales/fr/bmma.ftl"))];

/// Scripts written right to left; the page layout mirrors for them.
const RIGHT_TO_LEFT: &[&str] = &["ar", "fa", "he", "ur"];

#[derive(Clone)]
pub struct I18n {
    bundles: Arc<HashMap<&'static str, FluentBundle<FluentResource>>>,
    /// Per language, every country with its name, in the order a list shows them.
    countries: Arc<HashMap<&'static str, Vec<NamedCountry>>>,
}

/// A country with its name in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedCountry {
    /// ISO 3166-1 alpha-2 code, upper case.
    pub code: &'static str,
    pub name: String,
    pub fictional: bool,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

impl I18n {
    /// Builds the bundles. The message files ship inside the binary and are checked by the
    /// tests, so an error here is a defect of the build: it is reported, not hidden.
    pub fn new() -> Result<I18n, String> {
        let mut bundles = HashMap::new();
        for (lang, text) in LANGUAGES {
            let resource = FluentResource::try_new(text.to_string())
                .map_err(|(_, errors)| format!("locales/{lang}/bmma.ftl: {errors:?}"))?;
            let id: LanguageIdentifier = lang.parse().map_err(|e| format!("{lang}: {e:?}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks would end up inside HTML attributes and JSON.
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).map_err(|errors| format!("locales/{lang}/bmma.ftl: {errors:?}"))?;
            bundles.insert(*lang, bundle);
        }
        let mut i18n = I18n { bundles: Arc::new(bundles), countries: Arc::default() };
        let mut countries = HashMap::new();
        for (lang, _) in LANGUAGES {
            countries.insert(*lang, i18n.name_countries(lang)?);
        }
        i18n.countries = Arc::new(countries);
        Ok(i18n)
    }

    /// Every country named in `lang`: the real ones from CLDR, sorted by the language's
    /// collation (so "Égypte" is among the E's), then the fictional ones from the message
    /// files. Done once, at start-up, so pages only copy the result.
    fn name_countries(&self, lang: &str) -> Result<Vec<NamedCountry>, String> {
        let locale: Locale = lang.parse().map_err(|e| format!("{lang}: {e:?}"))?;
        let cldr = RegionDisplayNames::try_new((&locale).into(), DisplayNamesOptions::default())
            .map_err(|e| format!("country names for {lang}: {e}"))?;
        let collator = CollatorBorrowed::try_new((&locale).into(), CollatorOptions::default())
            .map_err(|e| format!("collation for {lang}: {e}"))?;
        let (mut real, mut fictional): (Vec<_>, Vec<_>) = Country::all()
            .into_iter()
            .map(|c| {
                let name = if c.fictional {
                    let id = format!("country-{}", c.code.to_ascii_lowercase());
                    let text = self.format(lang, &id, None);
                    // A message missing from every file comes back as its id.
                    if text == id { c.name.to_string() } else { text }
                } else {
                    // CLDR names every ISO country; the English name is only a safety net.
                    c.code.parse::<Region>().ok().and_then(|r| cldr.of(r)).unwrap_or(c.name).to_string()
                };
                NamedCountry { code: c.code, name, fictional: c.fictional }
            })
            .partition(|c| !c.fictional);
        real.sort_by(|a, b| collator.compare(&a.name, &b.name));
        fictional.sort_by(|a, b| collator.compare(&a.name, &b.name));
        real.append(&mut fictional);
        Ok(real)
    }

    /// The countries of `lang`, English's for a language without messages.
    fn countries_of(&self, lang: &str) -> &[NamedCountry] {
        let primary = lang.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        self.countries.get(primary.as_str()).or_else(|| self.countries.get("en")).map_or(&[], Vec::as_slice)
    }

    /// The name in `lang` of the country with alpha-2 `code` (any case); `None` for a code
    /// bmma does not know. An unknown language gets the English name.
    pub fn country_name(&self, lang: &str, code: &str) -> Option<String> {
        let code = code.trim().to_ascii_uppercase();
        self.countries_of(lang).iter().find(|c| c.code == code).map(|c| c.name.clone())
    }

    /// Every country of [`Country::all`] named in `lang`, sorted by name as that language
    /// sorts, the fictional ones last. An unknown language gets the English list.
    pub fn countries(&self, lang: &str) -> Vec<NamedCountry> {
        self.countries_of(lang).to_vec()
    }

    /// Picks a supported language: an explicit choice first, then the Accept-Language
    /// header in its order of preference, then English.
    pub fn negotiate(&self, chosen: Option<&str>, accept_language: Option<&str>) -> &'static str {
        let supported = |tag: &str| {
            let primary = tag.split(['-', '_']).next().unwrap_or("").trim().to_ascii_lowercase();
            LANGUAGES.iter().map(|(l, _)| *l).find(|l| *l == primary)
        };
        if let Some(lang) = chosen.and_then(supported) {
            return lang;
        }
        let mut ranked: Vec<(f32, &str)> = accept_language
            .unwrap_or("")
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((quality, tag))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.into_iter().find_map(|(_, tag)| supported(tag)).unwrap_or("en")
    }

    pub fn translator(&self, lang: &'static str) -> Tr {
        Tr { i18n: self.clone(), lang }
    }

    fn format(&self, lang: &str, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        for candidate in [lang, "en"] {
            let Some(bundle) = self.bundles.get(candidate) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            if errors.is_empty() {
                return text.into_owned();
            }
            tracing::warn!(id, lang = candidate, ?errors, "message could not be formatted");
        }
        // A missing message shows its id, which a test would have caught; never a panic.
        id.to_string()
    }
}

/// The messages of one language, handed to templates and error renderers.
#[derive(Clone, Debug)]
pub struct Tr {
    i18n: I18n,
    pub lang: &'static str,
}

impl Tr {
    /// The message `id`.
    pub fn get(&self, id: impl AsRef<str>) -> String {
        self.i18n.format(self.lang, id.as_ref(), None)
    }

    /// The message `id` with named arguments.
    pub fn with(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        self.i18n.format(self.lang, id, Some(&fluent_args))
    }

    /// The message `id` with a number as `count`, for plurals, and named arguments.
    pub fn count_with(&self, id: &str, n: usize, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::new();
        fluent_args.set("count", FluentValue::from(n));
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        self.i18n.format(self.lang, id, Some(&fluent_args))
    }

    /// The message `id` with a number, for plurals.
    pub fn count(&self, id: &str, n: impl std::borrow::Borrow<usize>) -> String {
        let mut fluent_args = FluentArgs::new();
        fluent_args.set("count", FluentValue::from(*n.borrow()));
        self.i18n.format(self.lang, id, Some(&fluent_args))
    }

    /// The name of the country with alpha-2 `code` in this language; `None` for a code bmma
    /// does not know.
    pub fn country_name(&self, code: &str) -> Option<String> {
        self.i18n.country_name(self.lang, code)
    }

    /// Every country named in this language, in the order a list of them shows: by name,
    /// as the language sorts, then the fictional ones.
    pub fn countries(&self) -> Vec<NamedCountry> {
        self.i18n.countries(self.lang)
    }

    /// "ltr" or "rtl", for the `dir` attribute of the page.
    pub fn dir(&self) -> &'static str {
        if RIGHT_TO_LEFT.contains(&self.lang) { "rtl" } else { "ltr" }
    }

    /// A field error in words.
    pub fn field_error(&self, error: &bmma_core::FieldError) -> String {
        use bmma_core::FieldErrorKind as K;
        match &error.kind {
            K::Required => self.get("error-required"),
            K::TooLong { max } => self.count("error-too-long", *max),
            K::UnknownCountry { value } => self.with("error-unknown-country", &[("value", value)]),
            K::UnknownFramework { value } => self.with("error-unknown-framework", &[("value", value)]),
            K::UnknownCode { value } => self.with("error-unknown-code", &[("value", value)]),
            K::EmptyScope => self.get("error-empty-scope"),
            K::UnknownStatus { value } => self.with("error-unknown-status", &[("value", value)]),
            K::TransitionNotAllowed { from, to } => self.with(
                "error-transition",
                &[("from", &self.get(format!("status-{from}"))), ("to", &self.get(format!("status-{to}")))],
            ),
            K::NotRatingPeriod { status } => {
                self.with("error-not-rating-period", &[("status", &self.get(format!("status-{status}")))])
            }
            K::OutOfScope { value } => self.with("error-out-of-scope", &[("value", value)]),
            K::NotOnScale { value } => self.with("error-not-on-scale", &[("value", &value.to_string())]),
            K::NotAssigned { value } => self.with("error-not-assigned", &[("value", value)]),
            K::BeforeStart => self.get("error-before-start"),
            K::AfterEnd { value } => self.with("error-after-end", &[("value", value)]),
            K::BeforeStartNamed { value } => self.with("error-before-start-named", &[("value", value)]),
            K::BadDate { value } => self.with("error-bad-date", &[("value", value)]),
            K::BadCoordinate { value } => self.with("error-bad-coordinate", &[("value", value)]),
            K::Negative => self.get("error-negative"),
            K::NotANumber { value } => self.with("error-not-a-number", &[("value", value)]),
            K::FileTooLarge { limit_mb } => {
                self.with("error-file-too-large", &[("limit", &limit_mb.to_string())])
            }
            K::FileTypeNotAllowed { value } => self.with("error-file-type", &[("value", value)]),
            K::UnknownEvidence { value } => self.with("error-unknown-evidence", &[("value", value)]),
            K::NotAnEmail => self.get("error-email"),
            K::PasswordTooShort { min } => self.count("error-password-short", *min),
            K::AccountExists => self.get("error-account-exists"),
            K::WrongPassword => self.get("error-current-password"),
            K::PasswordsDiffer => self.get("error-password-mismatch"),
        }
    }
}
