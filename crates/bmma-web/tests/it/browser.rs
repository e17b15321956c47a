//! Browser tests: headless Chromium, driven through ChromeDriver, against the real server.
//!
//! They run whenever Chromium and ChromeDriver are installed. With CI set they must run:
//! a missing browser fails the test instead of skipping it.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts ChromeDriver and a headless Chromium, or returns None when they are not installed
/// and CI is not set.
async fn browser() -> Option<Browser> {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but {CHROMIUM} or {CHROMEDRIVER} is missing: install the Debian packages chromium and chromium-driver"
        );
        eprintln!("browser tests need {CHROMIUM} and {CHROMEDRIVER}; not run");
        return None;
    }
    let port = free_port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting chromedriver");
    let profile = tempfile::tempdir().unwrap();
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let capabilities = capabilities.as_object().unwrap().clone();
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = String::new();
    for _ in 0..100 {
        match ClientBuilder::new(HttpConnector::new()).capabilities(capabilities.clone()).connect(&url).await
        {
            Ok(client) => {
                return Some(Browser { client, driver, _profile: profile });
            }
            Err(e) => {
                last_error = e.to_string();
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    panic!("chromedriver did not start: {last_error}");
}

/// The real server on a free port, with a fresh database and an administrator account.
async fn server() -> (SocketAddr, bmma_store::Store, bmma_store::testing::TestDatabase) {
    let db = bmma_store::testing::fresh().await;
    bmma_app::install_builtin(&db.store).await.unwrap();
    let state = crate::state_over(&db.store, crate::settings()).await;
    crate::caller(&db.store, "admin@example.org", true).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(bmma_web::serve(listener, state.clone()));
    (addr, db.store.clone(), db)
}

/// Signs in through the form, as a person would.
async fn sign_in(c: &Client, addr: SocketAddr, email: &str) {
    c.goto(&format!("http://{addr}/login")).await.unwrap();
    type_into(c, "email", email).await;
    type_into(c, "password", crate::PASSWORD).await;
    click(c, Locator::Css("main button[type='submit']")).await;
    text_when(c, "#me", |name| !name.is_empty()).await;
}

/// Waits until the element `css` shows text that satisfies `expected`, and returns it. A
/// click that navigates returns before the new page is there, so the old page's element may
/// be found first, or vanish while it is read; both are retried.
async fn text_when(client: &Client, css: &str, expected: impl Fn(&str) -> bool) -> String {
    let mut last = String::from("(nothing found)");
    for _ in 0..200 {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
        {
            if expected(&text) {
                return text;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let url = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
    let source = client.source().await.unwrap_or_default();
    let main = source.split("<main").nth(1).unwrap_or(&source).chars().take(1500).collect::<String>();
    panic!("{css} never showed the expected text; last seen: {last}\nat {url}\n{main}");
}

async fn text_is(client: &Client, css: &str, expected: &str) {
    text_when(client, css, |text| text == expected).await;
}

/// Clicks the element, waiting for it. A page still being replaced by the one a previous
/// click asked for can hand over an element that is gone by the time it is clicked; the
/// click is then tried again on the new page, for up to ten seconds.
async fn click(client: &Client, locator: Locator<'_>) {
    let mut last = None;
    for _ in 0..100 {
        match client.wait().for_element(locator).await {
            Ok(element) => match element.click().await {
                Ok(()) => return,
                Err(e) => last = Some(e.to_string()),
            },
            Err(e) => last = Some(e.to_string()),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("could not click {locator:?}: {}", last.unwrap_or_default());
}

async fn type_into(client: &Client, id: &str, text: &str) {
    client.wait().for_element(Locator::Id(id)).await.unwrap().send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn browse_the_framework_create_an_assessment_and_find_it_listed() {
    let Some(browser) = browser().await else { return };
    let (addr, _store, _db) = server().await;
    let c = &browser.client;
    sign_in(c, addr, "admin@example.org").await;

    // The framework browser: components, elements, then an indicator's descriptors.
    c.goto(&format!("http://{addr}/frameworks")).await.unwrap();
    click(c, Locator::LinkText("Border and Migration Management Assessment")).await;
    text_is(c, "h1", "Border and Migration Management Assessment bmm@1.0").await;
    click(c, Locator::Css("details[id='ADM.1.1'] summary")).await;
    let descriptor = c.find(Locator::Css("details[id='ADM.1.1'] table.descriptors td")).await.unwrap();
    assert!(descriptor.is_displayed().await.unwrap(), "an opened indicator shows its level descriptors");

    // The form: a title, a country, the requesting body; the whole framework in scope.
    c.goto(&format!("http://{addr}/assessments")).await.unwrap();
    click(c, Locator::LinkText("New assessment")).await;
    type_into(c, "title", "Assessment of Kenya 2026").await;
    click(c, Locator::Css("#country option[value='KE']")).await;
    type_into(c, "requesting_body", "Department of Immigration Services").await;
    click(c, Locator::Css("main button[type='submit']")).await;

    text_is(c, "h1", "Assessment of Kenya 2026").await;
    text_when(c, "dl.facts", |facts| facts.contains("Kenya") && facts.contains("Requested")).await;

    // The lead moves it on to scoping.
    click(c, Locator::Css("button[data-to='scoping']")).await;
    text_when(c, "#status-since", |since| since.contains("moved by Name of admin@example.org")).await;
    text_is(c, "ol.lifecycle li[aria-current]", "Scoping").await;

    click(c, Locator::Css("p.crumbs a")).await;
    text_when(c, "#assessments tbody", |listed| listed.contains("Assessment of Kenya 2026")).await;
    browser.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_with_mistakes_says_what_to_fix_in_the_chosen_language() {
    let Some(browser) = browser().await else { return };
    let (addr, _store, db) = server().await;
    let c = &browser.client;
    sign_in(c, addr, "admin@example.org").await;

    c.goto(&format!("http://{addr}/assessments/new?lang=fr")).await.unwrap();
    text_is(c, "h1", "Nouvelle évaluation").await;
    type_into(c, "title", "Évaluation incomplète").await;
    click(c, Locator::Css("main button[type='submit']")).await;

    let required = "Ce champ est obligatoire.";
    text_is(c, "#country-error", required).await;
    text_is(c, "#requesting_body-error", required).await;
    let kept = c.find(Locator::Id("title")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("Évaluation incomplète"));
    assert!(db.store.list_assessments().await.unwrap().is_empty());
    browser.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_and_out_and_a_donor_kept_from_drafts() {
    let Some(browser) = browser().await else { return };
    let (addr, store, _db) = server().await;
    let c = &browser.client;

    // Anonymous: sent to the sign-in form; a wrong password says nothing about the account.
    c.goto(&format!("http://{addr}/assessments")).await.unwrap();
    text_is(c, "h1", "Sign in").await;
    type_into(c, "email", "admin@example.org").await;
    type_into(c, "password", "not the password").await;
    click(c, Locator::Css("main button[type='submit']")).await;
    text_is(c, "#login-error", "The e-mail address or the password is wrong.").await;

    // The lead opens an assessment and adds a donor, without sharing anything yet.
    let donor = crate::caller(&store, "donor@example.org", false).await;
    sign_in(c, addr, "admin@example.org").await;
    c.goto(&format!("http://{addr}/assessments/new")).await.unwrap();
    type_into(c, "title", "Assessment with a donor").await;
    click(c, Locator::Css("#country option[value='JM']")).await;
    type_into(c, "requesting_body", "Passport, Immigration and Citizenship Agency").await;
    click(c, Locator::Css("main button[type='submit']")).await;
    text_is(c, "h1", "Assessment with a donor").await;
    let page = c.current_url().await.unwrap();
    click(c, Locator::LinkText("Members")).await;
    type_into(c, "member-email", &donor.user.email).await;
    click(c, Locator::Css("#member-role option[value='donor']")).await;
    click(c, Locator::Css("form[action$='/members'] button[type='submit']")).await;
    text_when(c, "#members tbody", |rows| rows.contains("donor@example.org") && rows.contains("Donor")).await;

    // Signing out ends the session: the page is closed again.
    click(c, Locator::Css("form[action='/logout'] button")).await;
    text_is(c, "h1", "Sign in").await;
    c.goto(page.as_str()).await.unwrap();
    text_is(c, "h1", "Sign in").await;

    // The donor cannot see the unshared assessment at all...
    sign_in(c, addr, "donor@example.org").await;
    c.goto(page.as_str()).await.unwrap();
    text_is(c, "h1", "This page or record does not exist.").await;
    c.goto(&format!("http://{addr}/assessments")).await.unwrap();
    text_when(c, "main", |text| !text.contains("Assessment with a donor")).await;

    // ...and once it is shared, sees it without the work in progress.
    let id = page.path().rsplit('/').next().unwrap().to_string();
    let before = store.get_assessment(&id).await.unwrap().unwrap();
    let sharing = bmma_core::Sharing { with_donors: true, for_validation: false };
    store.set_sharing(&before, sharing, &bmma_store::Actor::system("test")).await.unwrap();
    c.goto(page.as_str()).await.unwrap();
    text_is(c, "h1", "Assessment with a donor").await;
    text_is(c, "#drafts-withheld", "The work in progress of this assessment is not shared with you.").await;
    assert!(c.find(Locator::Css("table.scope")).await.is_err(), "no scope table for a donor");
    browser.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn two_experts_disagree_and_the_lead_agrees_a_score() {
    let Some(browser) = browser().await else { return };
    let (addr, store, _db) = server().await;
    let c = &browser.client;
    let lead = crate::caller(&store, "lead@example.org", false).await;
    crate::caller(&store, "ada@example.org", false).await;
    crate::caller(&store, "bob@example.org", false).await;

    // The lead opens the assessment, forms the team and moves it to fieldwork.
    sign_in(c, addr, &lead.user.email).await;
    c.goto(&format!("http://{addr}/assessments/new")).await.unwrap();
    type_into(c, "title", "Scored in the browser").await;
    click(c, Locator::Css("#country option[value='UG']")).await;
    type_into(c, "requesting_body", "Directorate of Citizenship and Immigration Control").await;
    click(c, Locator::Css("main button[type='submit']")).await;
    text_is(c, "h1", "Scored in the browser").await;
    let page = c.current_url().await.unwrap();
    click(c, Locator::LinkText("Members")).await;
    for who in ["ada@example.org", "bob@example.org"] {
        type_into(c, "member-email", who).await;
        click(c, Locator::Css("#member-role option[value='expert']")).await;
        click(c, Locator::Css("form[action$='/members'] button[type='submit']")).await;
        text_when(c, "#members tbody", |rows| rows.contains(who)).await;
    }
    // The lead is not an administrator, so each expert joins by accepting on their start page.
    click(c, Locator::Css("form[action='/logout'] button")).await;
    for who in ["ada@example.org", "bob@example.org"] {
        sign_in(c, addr, who).await;
        c.goto(&format!("http://{addr}/assessments")).await.unwrap();
        text_when(c, "#invitations", |text| text.contains("Scored in the browser")).await;
        click(c, Locator::Css("#invitations button[value='accept']")).await;
        text_is(c, "h1", "Scored in the browser").await;
        click(c, Locator::Css("form[action='/logout'] button")).await;
    }
    sign_in(c, addr, &lead.user.email).await;
    c.goto(page.as_str()).await.unwrap();
    click(c, Locator::Css("button[data-to='scoping']")).await;
    text_is(c, "ol.lifecycle li[aria-current]", "Scoping").await;
    click(c, Locator::Css("button[data-to='fieldwork']")).await;
    text_is(c, "ol.lifecycle li[aria-current]", "Fieldwork").await;
    click(c, Locator::LinkText("Scores")).await;
    click(c, Locator::LinkText("Assignments")).await;
    for checkbox in c.find_all(Locator::Css("input[name='assign'][aria-label='ADM.1']")).await.unwrap() {
        let value = checkbox.attr("value").await.unwrap().unwrap_or_default();
        if !value.ends_with(&lead.user.id) {
            checkbox.click().await.unwrap();
        }
    }
    click(c, Locator::Css("main button[type='submit']")).await;
    text_when(c, "#element-ADM\\.1", |row| row.contains("Name of ada@example.org")).await;
    click(c, Locator::Css("form[action='/logout'] button")).await;

    // Each expert rates ADM.1.1 from their own account, two levels apart.
    let indicator = format!("{}/indicators/ADM.1.1", page.as_str());
    for (who, level, why) in [
        ("ada@example.org", "2", "Only the police has a mandate in law"),
        ("bob@example.org", "4", "Every agency is mandated and the rule is applied"),
    ] {
        sign_in(c, addr, who).await;
        c.goto(&indicator).await.unwrap();
        if who == "bob@example.org" {
            text_is(c, "#ratings-hidden", "The other experts' ratings appear once you have saved your own.")
                .await;
        }
        click(c, Locator::Css(&format!("#rating-form input[name='choice'][value='{level}']"))).await;
        type_into(c, "justification", why).await;
        click(c, Locator::Css("#rating-form button[type='submit']")).await;
        text_when(c, "#ratings", |rows| rows.contains(why)).await;
        click(c, Locator::Css("form[action='/logout'] button")).await;
    }

    // The lead sees the disagreement and agrees a score; the element follows weakest link.
    sign_in(c, addr, &lead.user.email).await;
    c.goto(&indicator).await.unwrap();
    text_is(c, "#disagreement", "The experts differ by two levels or more: discuss before agreeing a score.")
        .await;
    click(c, Locator::Css("#agreed-form input[name='choice'][value='3']")).await;
    type_into(c, "narrative", "Mandates in law for all; practice not yet shown").await;
    click(c, Locator::Css("#agreed-form button[type='submit']")).await;
    text_when(c, "#agreed-score", |text| text.contains("Mandates in law for all")).await;
    c.goto(&format!("{}/scores", page.as_str())).await.unwrap();
    text_when(c, "#element-ADM\\.1 td.score", |score| score.starts_with('3')).await;
    text_when(c, "#component-ADM .score strong", |score| score == "3").await;
    browser.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expert_files_interview_notes_finds_them_and_cites_them_in_a_rating() {
    let Some(browser) = browser().await else { return };
    let db = bmma_store::testing::fresh().await;
    bmma_app::install_builtin(&db.store).await.unwrap();
    let state = crate::state_over(&db.store, crate::settings()).await;
    let admin = crate::caller(&db.store, "admin@example.org", true).await;
    let store = db.store.clone();
    let app =
        crate::TestApp { router: bmma_web::router(state.clone()), state: state.clone(), store, db, admin };
    let t = crate::scoring::team_in(app).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(bmma_web::serve(listener, state.clone()));
    let c = &browser.client;
    let notes = tempfile::tempdir().unwrap();
    let notes_file = notes.path().join("interview-deputy-director.txt");
    std::fs::write(&notes_file, "Passports are checked against the alert list only on arrival.\n").unwrap();

    // From the indicator, Ada files her interview notes with the typed-up record attached.
    sign_in(c, addr, &t.ada.user.email).await;
    let indicator = format!("http://{addr}/assessments/{}/indicators/ADM.1.1", t.id);
    c.goto(&indicator).await.unwrap();
    text_is(c, "#indicator-evidence-none", "No evidence is linked to this indicator yet.").await;
    click(c, Locator::LinkText("File evidence for this indicator")).await;
    click(c, Locator::Css("#evidence-kind option[value='interview']")).await;
    type_into(c, "evidence-title", "Interview: deputy director of the border police").await;
    type_into(c, "evidence-notes", "Met at the directorate with the head of training.").await;
    type_into(c, "evidence-file", notes_file.to_str().unwrap()).await;
    let ticked = c.find(Locator::Css("input[name='indicators'][value='ADM.1.1']")).await.unwrap();
    assert_eq!(ticked.prop("checked").await.unwrap().as_deref(), Some("true"), "the indicator comes ticked");
    click(c, Locator::Css("#add-evidence button[type='submit']")).await;
    text_when(c, "#evidence tbody", |rows| rows.contains("interview-deputy-director.txt")).await;
    t.app.wait_for_texts(&t.id).await;

    // A word that is only inside the attached file finds it.
    type_into(c, "q", "alert arriv").await;
    click(c, Locator::Css("form[role='search'] button")).await;
    text_is(c, "#evidence-count", "One item matches.").await;
    text_when(c, "#evidence .excerpt", |passage| passage.contains("the alert list only on arrival")).await;

    // Her rating cites it, and the lead sees the citation beside her rating.
    c.goto(&indicator).await.unwrap();
    text_when(c, "#indicator-evidence", |list| list.contains("Interview: deputy director")).await;
    click(c, Locator::Css("#rating-form input[name='choice'][value='2']")).await;
    type_into(c, "justification", "Checks happen on arrival only").await;
    click(c, Locator::Css("#rating-form input[name='evidence']")).await;
    click(c, Locator::Css("#rating-form button[type='submit']")).await;
    text_when(c, "#ratings", |rows| rows.contains("Cites: Interview: deputy director of the border police"))
        .await;
    click(c, Locator::Css("form[action='/logout'] button")).await;
    sign_in(c, addr, &t.lead.user.email).await;
    c.goto(&indicator).await.unwrap();
    text_when(c, "#ratings", |rows| rows.contains("Cites: Interview: deputy director")).await;
    browser.client.clone().close().await.unwrap();
}
