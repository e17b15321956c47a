//! The real server on a real socket.

use bmma_web::AppState;

#[tokio::test]
async fn the_server_answers_on_a_port_chosen_by_the_system() {
    let db = bmma_store::testing::fresh().await;
    bmma_web::install_builtin(&db.store).await.unwrap();
    let state = AppState::new(db.store.clone(), crate::settings()).await.unwrap();
    let admin = crate::caller(&state, "admin@example.org", true).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(bmma_web::serve(listener, state));

    let client = reqwest::Client::new();
    let health: serde_json::Value =
        client.get(format!("http://{addr}/health")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let anonymous = client.get(format!("http://{addr}/frameworks/bmm/1.0")).send().await.unwrap();
    assert_eq!(anonymous.url().path(), "/login", "an anonymous reader is sent to the sign-in form");
    let framework = client
        .get(format!("http://{addr}/api/v1/frameworks/bmm/1.0"))
        .bearer_auth(&admin.bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(framework.status(), 200);
    assert!(framework.text().await.unwrap().contains("ADM.1.1"));
    server.abort();
}
