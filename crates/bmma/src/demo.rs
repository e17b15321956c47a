//! The demo: an assessment of a fictional country, so a newcomer sees bmma working at once.

use bmma_core::{Country, NewAssessment, Scope};
use bmma_store::{NewAssessmentRecord, Store};

/// Fixed, so that loading the demo twice finds the first copy instead of making another.
pub const DEMO_ASSESSMENT_ID: &str = "00000000-0000-4000-8000-00000000d3e0";

/// Loads the demo assessment if it is not there yet; returns its id.
pub async fn load(store: &Store) -> anyhow::Result<&'static str> {
    let framework = bmma_catalog::builtin()?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no built-in framework"))?;
    let country = Country::by_code("XV").ok_or_else(|| anyhow::anyhow!("the demo country is missing"))?;
    let assessment = NewAssessment {
        country: country.code.to_string(),
        framework: Some(framework.reference()),
        title: "Border and migration management assessment of Valdoria".into(),
        requesting_body: "Ministry of the Interior, Directorate of Border Police".into(),
        scope: Scope::everything(),
    };
    assessment
        .validate(Some(&framework))
        .map_err(|errors| anyhow::anyhow!("the demo is invalid: {errors:?}"))?;
    let record =
        NewAssessmentRecord { id: DEMO_ASSESSMENT_ID.into(), framework: framework.reference(), assessment };
    store.create_assessment(&record).await?;
    Ok(DEMO_ASSESSMENT_ID)
}
