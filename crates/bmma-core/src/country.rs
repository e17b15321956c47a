//! Countries: the ISO 3166-1 list from a maintained crate, plus fictional countries for
//! training and demonstration, which use codes from the user-assigned range (X*).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, upper case.
    pub code: &'static str,
    pub alpha3: &'static str,
    pub name: &'static str,
    /// True for a country that exists only for training and demonstration.
    pub fictional: bool,
}

/// Fictional countries. Their codes are in the ISO 3166-1 user-assigned range, so they can
/// never collide with a real country.
const FICTIONAL: &[Country] =
    &[Country { code: "XV", alpha3: "XVA", name: "Valdoria (fictional)", fictional: true }];

impl Country {
    /// Looks a country up by its alpha-2 code, in any case.
    pub fn by_code(code: &str) -> Option<Country> {
        let code = code.trim().to_ascii_uppercase();
        if let Some(fictional) = FICTIONAL.iter().find(|c| c.code == code) {
            return Some(*fictional);
        }
        rust_iso3166::from_alpha2(&code).map(from_iso)
    }

    /// Every country, real ones sorted by English name, then the fictional ones.
    pub fn all() -> Vec<Country> {
        let mut real: Vec<Country> = rust_iso3166::ALL.iter().copied().map(from_iso).collect();
        real.sort_by(|a, b| a.name.cmp(b.name));
        real.extend_from_slice(FICTIONAL);
        real
    }
}

fn from_iso(c: rust_iso3166::CountryCode) -> Country {
    Country { code: c.alpha2, alpha3: c.alpha3, name: c.name, fictional: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_real_and_fictional_countries_in_any_case() {
        assert_eq!(Country::by_code("ke").map(|c| c.alpha3), Some("KEN"));
        assert_eq!(Country::by_code("XV").map(|c| c.fictional), Some(true));
        assert_eq!(Country::by_code("QQ"), None);
        assert_eq!(Country::by_code(""), None);
    }
}
