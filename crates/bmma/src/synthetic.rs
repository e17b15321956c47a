//! Synthetic assessments for measuring bmma at scale: a generated framework of 150
//! indicators, and assessments in fieldwork with every indicator rated by five experts and
//! agreed. Deterministic, so two runs make the same data.

use bmma_core::{AssessmentStatus, NewAssessment, Rating, Role, Scope};
use bmma_store::{Actor, NewAssessmentRecord, NewUser, ScoreSet, Store, User};

pub const EXPERTS: usize = 5;
const COMPONENTS: usize = 5;
const ELEMENTS: usize = 6;
const INDICATORS: usize = 5;

/// The generated framework: 5 components × 6 elements × 5 indicators.
pub fn framework_text() -> String {
    let methods = ["weakest-link", "averaging", "minimum", "mean"];
    let mut text = String::from(
        "format: bmma-framework/1\nid: synthetic\nversion: \"1\"\nname: Synthetic framework for measurements\n\
         summary: Generated; its texts carry no meaning.\nlanguage: en\nscale:\n",
    );
    for level in 1..=5 {
        text.push_str(&format!(
            "  - {{ level: {level}, name: Level {level}, meaning: Generated level {level}. }}\n"
        ));
    }
    text.push_str("averaging:\n");
    for half in 2..=10 {
        let plus = if half % 2 == 1 { "+" } else { "" };
        text.push_str(&format!(
            "  - {{ from: {}.{}, score: \"{}{plus}\" }}\n",
            half / 2,
            (half % 2) * 5,
            half / 2
        ));
    }
    text.push_str("components:\n");
    for c in 1..=COMPONENTS {
        text.push_str(&format!(
            "  - code: S{c}\n    name: Component {c}\n    summary: Generated.\n    elements:\n"
        ));
        for e in 1..=ELEMENTS {
            let method = methods[(c + e) % methods.len()];
            text.push_str(&format!(
                "      - code: S{c}.{e}\n        name: Element {c}.{e}\n        summary: Generated.\n        aggregation: {method}\n        indicators:\n"
            ));
            for i in 1..=INDICATORS {
                text.push_str(&format!(
                    "          - code: S{c}.{e}.{i}\n            title: Indicator {c}.{e}.{i}\n            question: Generated question {c}.{e}.{i}?\n            levels:\n"
                ));
                for level in 1..=5 {
                    text.push_str(&format!(
                        "              {level}: Generated descriptor of level {level}.\n"
                    ));
                }
                text.push_str("            evidence:\n              documents: [Generated document]\n");
            }
        }
    }
    text
}

async fn account(store: &Store, email: &str, name: &str, actor: &Actor) -> anyhow::Result<User> {
    if let Some((user, _)) = store.user_by_email(email).await? {
        return Ok(user);
    }
    let password_hash =
        bmma_app::accounts::hash_password(crate::demo::DEMO_PASSWORD).map_err(|e| anyhow::anyhow!(e))?;
    let new = NewUser {
        id: bmma_app::new_id(),
        email: email.into(),
        name: name.into(),
        password_hash,
        is_admin: false,
    };
    Ok(store.create_user(&new, actor).await?)
}

/// The id of synthetic assessment `n`, fixed so that loading again skips those present.
pub fn assessment_id(n: usize) -> String {
    format!("00000000-0000-4000-9000-{n:012}")
}

/// Makes synthetic assessments 1 to `count` where missing; returns how many were made.
pub async fn load(store: &Store, count: usize) -> anyhow::Result<usize> {
    let actor = Actor::system("bmma demo --synthetic");
    let text = framework_text();
    let framework = bmma_catalog::load_str("synthetic", &text)?;
    store.save_framework(&framework.reference(), &framework.name, &text, false, &actor).await?;
    let lead = account(store, "synthetic-lead@bmma.example", "Synthetic Lead", &actor).await?;
    let mut experts = Vec::with_capacity(EXPERTS);
    for n in 1..=EXPERTS {
        experts.push(
            account(
                store,
                &format!("synthetic-expert-{n}@bmma.example"),
                &format!("Synthetic Expert {n}"),
                &actor,
            )
            .await?,
        );
    }
    let mut made = 0;
    for n in 1..=count {
        let id = assessment_id(n);
        if store.get_assessment(&id).await?.is_some() {
            continue;
        }
        let record = NewAssessmentRecord {
            id: id.clone(),
            framework: framework.reference(),
            assessment: NewAssessment {
                country: "XV".into(),
                framework: Some(framework.reference()),
                title: format!("Synthetic assessment {n}"),
                requesting_body: "Generated for measurements".into(),
                scope: Scope::everything(),
            },
            team_lead: Some(lead.id.clone()),
        };
        store.create_assessment(&record, &lead.actor()).await?;
        for expert in &experts {
            store.set_member(&id, expert, Role::Expert, None, &lead.actor()).await?;
        }
        for to in [AssessmentStatus::Scoping, AssessmentStatus::Fieldwork] {
            let current = store.get_assessment(&id).await?.ok_or_else(|| anyhow::anyhow!("{id} vanished"))?;
            store.change_status(&current, to, current.version, &lead.actor()).await?;
        }
        let mut set = ScoreSet::default();
        for element in framework.elements() {
            for expert in &experts {
                set.assignments.push((element.code.clone(), expert.id.clone()));
            }
            for (i, indicator) in element.indicators.iter().enumerate() {
                // A level per indicator, and experts who mostly agree around it.
                let base = 1 + ((n * 7 + i * 3 + element.code.len()) % 5) as u8;
                for (e, expert) in experts.iter().enumerate() {
                    let level = (base as i32 + [0, 0, 1, -1, 2][e]).clamp(1, 5) as u8;
                    set.ratings.push((
                        indicator.code.clone(),
                        expert.id.clone(),
                        Rating::Level(level),
                        "Generated rating.".into(),
                    ));
                }
                set.agreed.push((
                    indicator.code.clone(),
                    Rating::Level(base),
                    "Generated agreed score.".into(),
                ));
            }
        }
        store.load_score_set(&id, &set, &lead.actor()).await?;
        made += 1;
        if made % 100 == 0 {
            eprintln!("{made} synthetic assessments made");
        }
    }
    Ok(made)
}
