//! The demo: an assessment of a fictional country with a small team, so a newcomer sees
//! bmma working at once. For trying bmma out only: the demo accounts share one published
//! password.

use bmma_app::scoring::{Kind, ScoreRequest};
use bmma_core::{AssessmentStatus, Country, NewAssessment, Rating, Role, Scope};
use bmma_store::{Actor, NewAssessmentRecord, NewUser, Store, User};

/// Fixed, so that loading the demo twice finds the first copy instead of making another.
pub const DEMO_ASSESSMENT_ID: &str = "00000000-0000-4000-8000-00000000d3e0";

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "valdoria-demo-2026";

/// The demo accounts: e-mail, name, administrator, role in the demo assessment.
const PEOPLE: &[(&str, &str, bool, Option<Role>)] = &[
    ("admin@valdoria.example", "Demo Administrator", true, None),
    ("lead@valdoria.example", "Amina Haddad", false, Some(Role::TeamLead)),
    ("expert@valdoria.example", "Jonas Berg", false, Some(Role::Expert)),
    ("government@valdoria.example", "Teodor Valen", false, Some(Role::GovernmentFocalPoint)),
    ("donor@valdoria.example", "Grace Mwangi", false, Some(Role::Donor)),
];

/// What `bmma demo` and `bmma serve --demo` print for signing in.
pub fn credentials() -> Vec<String> {
    let mut lines = vec![format!("demo accounts (password {DEMO_PASSWORD}):")];
    for (email, name, admin, role) in PEOPLE {
        let what = match (admin, role) {
            (true, _) => "administrator".to_string(),
            (false, Some(role)) => role.as_str().replace('-', " "),
            (false, None) => "member".to_string(),
        };
        lines.push(format!("  {email:<30} {name}, {what}"));
    }
    lines
}

/// Loads the demo accounts and assessment where they are missing; returns the assessment's id.
pub async fn load(store: &Store, reading: &bmma_app::TextReading) -> anyhow::Result<&'static str> {
    let actor = Actor::system("bmma demo");
    let mut people: Vec<(User, Option<Role>)> = Vec::new();
    for (email, name, admin, role) in PEOPLE {
        let user = match store.user_by_email(email).await? {
            Some((user, _)) => user,
            None => {
                let password_hash =
                    bmma_app::accounts::hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!(e))?;
                let new = NewUser {
                    id: bmma_app::new_id(),
                    email: email.to_string(),
                    name: name.to_string(),
                    password_hash,
                    is_admin: *admin,
                };
                store.create_user(&new, &actor).await?
            }
        };
        people.push((user, *role));
    }

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
    let lead = people.iter().find(|(_, role)| *role == Some(Role::TeamLead)).map(|(user, _)| user.id.clone());
    let record = NewAssessmentRecord {
        id: DEMO_ASSESSMENT_ID.into(),
        framework: framework.reference(),
        assessment,
        team_lead: lead,
    };
    store.create_assessment(&record, &actor).await?;
    for (user, role) in &people {
        if let Some(role) = role
            && store.role_in(DEMO_ASSESSMENT_ID, &user.id).await?.is_none()
        {
            store.set_member(DEMO_ASSESSMENT_ID, user, *role, None, &actor).await?;
        }
    }
    // The demo team has agreed the scope and is in the field.
    if let Some((lead, _)) = people.iter().find(|(_, role)| *role == Some(Role::TeamLead)) {
        for to in [AssessmentStatus::Scoping, AssessmentStatus::Fieldwork] {
            let current = store
                .get_assessment(DEMO_ASSESSMENT_ID)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the demo assessment vanished"))?;
            if current.status.can_move_to(to) && current.status.is_forward(to) {
                store.change_status(&current, to, current.version, &lead.actor()).await?;
            }
        }
    }
    plan(store, &people).await?;
    fieldwork(store, &people).await?;
    evidence(store, &people).await?;
    // The demo's uploads are read like anyone's: by the reading process, outside this one.
    bmma_app::read_waiting(store, reading).await?;
    score(store, &people).await?;
    Ok(DEMO_ASSESSMENT_ID)
}

/// The demo's method and timeline: five weeks into the usual twelve. Only on a fresh demo.
async fn plan(store: &Store, people: &[(User, Option<Role>)]) -> anyhow::Result<()> {
    use bmma_core::plan::{DEFAULT_MILESTONES, Method, Milestone, Plan, default_end};
    if store.plan(DEMO_ASSESSMENT_ID).await?.start.is_some() {
        return Ok(());
    }
    let Some((lead, _)) = people.iter().find(|(_, role)| *role == Some(Role::TeamLead)) else {
        return Ok(());
    };
    let start = time::OffsetDateTime::now_utc().date() - time::Duration::weeks(5);
    let names = [
        "Scope and method agreed with the Ministry",
        "Desk review complete",
        "Visits to the five border crossing points complete",
        "Draft findings shared for validation",
        "Final report delivered",
    ];
    let plan = Plan {
        start: Some(start),
        end: Some(default_end(start)),
        evidence_cutoff: Some(default_end(start) - time::Duration::weeks(4)),
        counterparts: vec!["Director of Border Police".into(), "Head of the Immigration Service".into()],
        methods: [
            ("ADM.1", vec![Method::DeskReview, Method::Interviews]),
            ("ADM.2", vec![Method::DeskReview, Method::SiteVisits]),
        ]
        .into_iter()
        .map(|(code, methods)| (code.to_string(), methods))
        .collect(),
        milestones: DEFAULT_MILESTONES
            .iter()
            .zip(names)
            .map(|((_, week), name)| Milestone {
                name: name.into(),
                due: start + time::Duration::weeks(*week),
            })
            .collect(),
    };
    let current = store
        .get_assessment(DEMO_ASSESSMENT_ID)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo vanished"))?;
    store.set_plan(&current, &plan, current.version, &lead.actor()).await?;
    Ok(())
}

/// Two of Valdoria's border sites and the team's first visit. Only on a fresh demo.
async fn fieldwork(store: &Store, people: &[(User, Option<Role>)]) -> anyhow::Result<()> {
    use bmma_core::sites::{Site, SiteKind};
    if !store.sites("XV").await?.is_empty() {
        return Ok(());
    }
    let person = |role| people.iter().find(|(_, r)| *r == Some(role)).map(|(u, _)| u);
    let (Some(lead), Some(expert)) = (person(Role::TeamLead), person(Role::Expert)) else { return Ok(()) };
    let sites = [
        (
            "Harren Bridge crossing",
            SiteKind::Land,
            (47_120_500, 19_853_200),
            vec!["Border Police", "Customs"],
            1_840_000,
        ),
        (
            "Valdor International Airport",
            SiteKind::Air,
            (47_498_100, 19_261_700),
            vec!["Border Police", "Customs", "Airport health"],
            3_200_000,
        ),
    ];
    let mut ids = Vec::new();
    for (name, kind, (lat, lon), agencies, travellers) in sites {
        let site = Site {
            name: name.into(),
            kind,
            latitude_e6: Some(lat),
            longitude_e6: Some(lon),
            agencies: agencies.into_iter().map(String::from).collect(),
            travellers_per_year: Some(travellers),
        };
        let id = bmma_app::new_id();
        store.create_site(&id, "XV", &site, DEMO_ASSESSMENT_ID, &lead.actor()).await?;
        ids.push(id);
    }
    let visit = bmma_store::Visit {
        id: bmma_app::new_id(),
        site_id: ids[0].clone(),
        date: time::OffsetDateTime::now_utc().date() - time::Duration::days(9),
        members: vec![lead.id.clone(), expert.id.clone()],
        observed: vec!["ADM.1.2".into(), "OPS.2.1".into(), "INF.2.2".into()],
        notes: "Night shift had no named supervisor; alert list checked on arrival only; two of four desks with document readers.".into(),
        created_by: lead.author(),
    };
    store.create_visit(DEMO_ASSESSMENT_ID, &visit, &lead.actor()).await?;
    Ok(())
}

/// The first items of the evidence register: a PDF and a text document, interview notes,
/// an observation and a visit record. Only on a fresh demo.
async fn evidence(store: &Store, people: &[(User, Option<Role>)]) -> anyhow::Result<()> {
    use bmma_core::evidence::{EvidenceDraft, EvidenceKind, FileType};
    if !store.evidence(DEMO_ASSESSMENT_ID).await?.is_empty() {
        return Ok(());
    }
    let person = |role| people.iter().find(|(_, r)| *r == Some(role)).map(|(u, _)| u);
    let (Some(lead), Some(expert)) = (person(Role::TeamLead), person(Role::Expert)) else { return Ok(()) };
    let standing_orders = bmma_extract::one_page_pdf(&[
        "Border Police of Valdoria - Standing Order 12/2023 (extract)",
        "1. Each border crossing point is commanded by a post commander appointed by the regional director.",
        "2. Each shift has a shift supervisor named in the monthly duty roster.",
        "3. The post commander reports daily to the regional duty officer.",
    ]);
    let law = "Border Police Act 2016 (unofficial translation, extract)\n\n\
        Article 4. The Border Police guards the state border and carries out border checks at crossing points.\n\
        Article 9. The Immigration Service decides on entry refusals referred to it by the Border Police.\n\
        Article 21. Customs officers at crossing points act under a joint instruction agreed with the Border Police.\n";
    let uploads = [
        ("standing-order-12-2023.pdf", FileType::Pdf, standing_orders),
        ("border-police-act-2016.txt", FileType::PlainText, law.as_bytes().to_vec()),
    ];
    let items = [
        (
            expert,
            EvidenceKind::Document,
            "Standing Order 12/2023 on command at border posts",
            "Received from the Border Police directorate during the first week.",
            vec!["ADM.1.2"],
            Some(0),
        ),
        (
            lead,
            EvidenceKind::Document,
            "Border Police Act 2016 (extract)",
            "Unofficial translation supplied by the Ministry of Interior.",
            vec!["ADM.1.1"],
            Some(1),
        ),
        (
            expert,
            EvidenceKind::Interview,
            "Interview: deputy director, Border Police",
            "Staffing establishment exists but is classified; a summary table was promised for next week. \
             Shift supervisors are named in the duty roster at airports, not always at land crossings.",
            vec!["ADM.1.2", "ADM.1.3"],
            None,
        ),
        (
            lead,
            EvidenceKind::Observation,
            "Night shift at Harren Bridge",
            "No supervisor was named for the night shift; the duty roster on the wall ended at 18:00.",
            vec!["ADM.1.2", "OPS.2.1"],
            None,
        ),
        (
            lead,
            EvidenceKind::VisitRecord,
            "Visit record: Harren Bridge crossing",
            "Alert list checked on arrival only; two of four desks have document readers; passport stamps logged by hand.",
            vec!["ADM.1.2", "OPS.2.1", "INF.2.2"],
            None,
        ),
    ];
    for (who, kind, title, notes, indicators, upload) in items {
        let draft = EvidenceDraft {
            kind,
            title: title.into(),
            notes: notes.into(),
            indicators: indicators.into_iter().map(String::from).collect(),
        };
        let upload = upload.map(|n: usize| {
            let (name, file_type, bytes) = &uploads[n];
            bmma_store::Upload {
                name: (*name).into(),
                media_type: file_type.media_type().into(),
                holds_text: file_type.holds_text(),
                content: bmma_store::Content::Bytes(bytes.clone()),
            }
        });
        store.create_evidence(DEMO_ASSESSMENT_ID, &bmma_app::new_id(), &draft, upload, &who.actor()).await?;
    }
    Ok(())
}

/// The demo team's first ratings: two experts on Structure, one disagreement left to
/// resolve, and one score already agreed. Only on a fresh demo.
async fn score(store: &Store, people: &[(User, Option<Role>)]) -> anyhow::Result<()> {
    if !store.ratings(DEMO_ASSESSMENT_ID).await?.is_empty() {
        return Ok(());
    }
    let person = |role| people.iter().find(|(_, r)| *r == Some(role)).map(|(u, _)| u);
    let (Some(lead), Some(expert)) = (person(Role::TeamLead), person(Role::Expert)) else { return Ok(()) };
    let members = store.members(DEMO_ASSESSMENT_ID).await?;
    let raters: Vec<_> =
        members.into_iter().filter(|m| m.user_id == lead.id || m.user_id == expert.id).collect();
    let elements: Vec<_> = ["ADM.1", "ADM.2"].into_iter().map(|e| (e.to_string(), raters.clone())).collect();
    let read_at = store.get_assessment(DEMO_ASSESSMENT_ID).await?.map_or(0, |a| a.assignments_version);
    store.set_assignments(DEMO_ASSESSMENT_ID, read_at, &elements, &lead.actor()).await?;
    let ratings: [(&User, &str, Rating, &str); 5] = [
        (
            expert,
            "ADM.1.1",
            Rating::Level(3),
            "The border police and immigration service each have a mandate in an adopted law; the customs role at posts rests on a 2019 joint instruction.",
        ),
        (
            lead,
            "ADM.1.1",
            Rating::Level(3),
            "Laws establish both main agencies; the joint instruction allocates shared tasks at the posts.",
        ),
        (
            expert,
            "ADM.1.2",
            Rating::Level(2),
            "The organisation chart stops at regional level; two of the five posts visited had no written chain of command.",
        ),
        (
            lead,
            "ADM.1.2",
            Rating::Level(4),
            "Standing orders set the chain of command down to each shift at the posts visited.",
        ),
        (
            expert,
            "ADM.1.3",
            Rating::InsufficientEvidence,
            "No staffing establishment was provided; requested from the directorate.",
        ),
    ];
    let register = store.evidence(DEMO_ASSESSMENT_ID).await?;
    // Each expert cites the register's items on the indicator they rate.
    let cited = |indicator: &str| -> Vec<String> {
        register
            .iter()
            .filter(|e| e.indicators.iter().any(|c| c == indicator))
            .map(|e| e.id.clone())
            .collect()
    };
    // Through the application layer, so the demo's scores pass every rule a user's pass:
    // assignment, scope, status, the scale, the written reason and the cited evidence.
    let catalog = bmma_app::Catalog::default();
    let app = bmma_app::App { store, catalog: &catalog };
    for (who, indicator, rating, text) in ratings {
        let evidence = cited(indicator);
        let request = ScoreRequest { rating, text, evidence: &evidence, version: 0 };
        bmma_app::scoring::save(app, who, DEMO_ASSESSMENT_ID, indicator, Kind::Rating, request).await?;
    }
    let evidence = cited("ADM.1.1");
    let agreed = ScoreRequest {
        rating: Rating::Level(3),
        text: "Both experts found mandates in adopted law and a written allocation of shared tasks; practice at the posts was not yet shown.",
        evidence: &evidence,
        version: 0,
    };
    bmma_app::scoring::save(app, lead, DEMO_ASSESSMENT_ID, "ADM.1.1", Kind::Agreed, agreed).await?;
    Ok(())
}
