//! The v2 operations imported from PPIO's and Novita's newer pages, on the wire, and the rule
//! that every operation of one client goes to one host: PPIO's by default, Novita's when the
//! client is built with `NOVITA_BASE_URL`, even for the operations whose vendor block names
//! Novita's server.
//!
//! The operations' requests are read from wiremock; the host test stays on `TestServer`, which
//! acts as the HTTPS proxy the client sends its `CONNECT` requests to.

use ppio::v2::{
    AutoRenew, Billing, BillingMode, CreateInstanceRequest, Resource, UpdateAutoRenewRequest,
};
use ppio::{Client, NOVITA_BASE_URL};
use ppio_tests::mock::{Received, answer_in_order, json, requests};
use ppio_tests::{Reply, TEST_API_KEY, TestServer};
use serde_json::json;
use wiremock::MockServer;

fn create_body() -> CreateInstanceRequest {
    CreateInstanceRequest::builder()
        .name("n")
        .product_id("product-id")
        .image("image")
        .billing(Billing::builder().mode(BillingMode::Postpaid).build())
        .resource(Resource::builder().rootfs_size_gb(20).gpu_num(1).build())
        .build()
}

/// Calls every v2 operation once; the results do not matter here.
async fn call_every_operation(client: &Client) {
    let v2 = client.v2();
    let renew = UpdateAutoRenewRequest::builder()
        .auto_renew(AutoRenew::new().enabled(true).months(3))
        .build();
    let _ = v2.create_instance(&create_body()).await;
    let _ = v2.restart_instance("i-1").await;
    let _ = v2.update_auto_renew("i-1", &renew).await;
    let _ = v2.delete_endpoint("ep-1").await;
    let _ = v2.delete_network("net-1").await;
}

#[tokio::test]
async fn the_new_operations_send_what_their_pages_say() {
    let server = MockServer::start().await;
    answer_in_order(&server, vec![json(200, &json!({})); 5]).await;
    let client = Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.uri())
        .build()
        .unwrap();
    call_every_operation(&client).await;
    let requests = requests(&server).await;
    let lines: Vec<String> = requests.iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            "POST /gpus/v2/instances",
            "PUT /gpus/v2/instances/i-1/restart",
            "PUT /gpus/v2/instances/i-1/auto-renew",
            "DELETE /gpus/v2/endpoints/ep-1",
            "DELETE /gpus/v2/networks/net-1",
        ]
    );
    assert_eq!(requests[1].text(), "", "restart has no body");
    assert_eq!(
        requests[2].json(),
        json!({"auto_renew": {"enabled": true, "months": 3}})
    );
    for request in &requests {
        assert_eq!(
            request.header_all("authorization"),
            [format!("Bearer {TEST_API_KEY}")]
        );
    }
}

/// Routes the client's HTTPS through the test server as a proxy: each request arrives as
/// `CONNECT host:443`, which names the host the client chose without any network access.
async fn hosts_reached(base_url: Option<&str>) -> Vec<String> {
    let refuse = || Reply::status(502);
    let proxy = TestServer::start(vec![refuse(), refuse(), refuse(), refuse(), refuse()]).await;
    let http = ppio::apiwire::reqwest::Client::builder()
        .proxy(ppio::apiwire::reqwest::Proxy::all(proxy.url()).unwrap())
        .build()
        .unwrap();
    let mut builder = Client::builder()
        .api_key(TEST_API_KEY)
        .max_retries(0)
        .http_client(http);
    if let Some(base_url) = base_url {
        builder = builder.base_url(base_url);
    }
    call_every_operation(&builder.build().unwrap()).await;
    proxy.requests().iter().map(|r| r.request_line()).collect()
}

#[tokio::test]
async fn every_operation_goes_to_the_one_host_the_client_chose() {
    let ppio = "CONNECT api.ppio.com:443 HTTP/1.1";
    assert_eq!(hosts_reached(None).await, vec![ppio; 5]);
    let novita = "CONNECT api.novita.ai:443 HTTP/1.1";
    assert_eq!(hosts_reached(Some(NOVITA_BASE_URL)).await, vec![novita; 5]);
}
