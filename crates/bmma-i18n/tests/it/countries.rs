//! Country names: CLDR's in each language, the fictional ones from the message files, and
//! lists sorted as the reader's language sorts.

use bmma_core::Country;
use bmma_i18n::I18n;

#[test]
fn real_countries_have_their_cldr_name_in_each_language() {
    let i18n = I18n::new().unwrap();
    let en = i18n.translator("en");
    let fr = i18n.translator("fr");
    assert_eq!(en.country_name("KE").as_deref(), Some("Kenya"));
    assert_eq!(fr.country_name("KE").as_deref(), Some("Kenya"));
    assert_eq!(fr.country_name("DE").as_deref(), Some("Allemagne"));
    assert_eq!(en.country_name("de").as_deref(), Some("Germany"));
    assert_eq!(fr.country_name("QQ"), None);
}

#[test]
fn an_unknown_language_gets_english_names() {
    let i18n = I18n::new().unwrap();
    assert_eq!(i18n.country_name("xx", "DE").as_deref(), Some("Germany"));
    assert_eq!(i18n.country_name("fr-BE", "DE").as_deref(), Some("Allemagne"));
    assert_eq!(i18n.countries("xx"), i18n.countries("en"));
}

#[test]
fn fictional_countries_are_worded_by_the_message_files() {
    let i18n = I18n::new().unwrap();
    assert_eq!(i18n.translator("en").country_name("XV").as_deref(), Some("Valdoria (fictional)"));
    assert_eq!(i18n.translator("fr").country_name("xv").as_deref(), Some("Valdoria (fictive)"));
}

#[test]
fn every_country_has_a_name_in_every_language() {
    let i18n = I18n::new().unwrap();
    let all = Country::all();
    for (lang, _) in bmma_i18n::LANGUAGES {
        let t = i18n.translator(lang);
        for c in &all {
            let name = t.country_name(c.code);
            assert!(name.as_deref().is_some_and(|n| !n.trim().is_empty()), "{lang} {}: {name:?}", c.code);
        }
        let listed: Vec<&str> = t.countries().iter().map(|c| c.code).collect();
        assert_eq!(listed.len(), all.len(), "{lang}");
        for c in &all {
            assert!(listed.contains(&c.code), "{lang}: {} not listed", c.code);
        }
    }
}

#[test]
fn french_list_sorts_accented_names_with_their_letter() {
    let i18n = I18n::new().unwrap();
    let list = i18n.translator("fr").countries();
    let at = |code: &str| list.iter().position(|c| c.code == code).unwrap();
    let egypt = at("EG");
    assert_eq!(list[egypt].name, "Égypte");
    // Danemark < Égypte < Émirats arabes unis < Équateur < Érythrée < Espagne < Fidji.
    assert!(at("DK") < egypt);
    assert!(egypt < at("AE"));
    assert!(at("AE") < at("EC"));
    assert!(at("EC") < at("ER"));
    assert!(at("ER") < at("ES"));
    assert!(at("ES") < at("FJ"));
    // Accents never push a name past the Z's.
    assert!(egypt < at("ZW"));
}

#[test]
fn lists_are_sorted_by_name_with_fictional_countries_last() {
    let i18n = I18n::new().unwrap();
    for lang in ["en", "fr"] {
        let list = i18n.translator(lang).countries();
        let first_fictional = list.iter().position(|c| c.fictional).unwrap();
        assert!(list[first_fictional..].iter().all(|c| c.fictional), "{lang}");
        assert_eq!(list.last().map(|c| c.code), Some("XV"), "{lang}");
    }
    let en = i18n.translator("en").countries();
    let at = |code: &str| en.iter().position(|c| c.code == code).unwrap();
    assert!(at("AF") < at("DE") && at("DE") < at("ZW"));
}
