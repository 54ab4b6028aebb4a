//! Parameters of the golden `params` client against a real server: how query lists are spelled
//! for each OpenAPI style, and operations whose declared parameters the path does not use.

use ppio::Client;
use ppio_tests::TEST_API_KEY;
use ppio_tests::mock::{Received, requests};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers 204 to `expected` GETs of `route`.
async fn server(route: &str, expected: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(204))
        .expect(expected)
        .mount(&server)
        .await;
    server
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(base_url)
        .max_retries(0)
        .build()
        .expect("build client")
}

#[tokio::test]
async fn query_lists_follow_style_and_explode() {
    use ppio_tests::golden::params::{Api, ListItemsParams};
    let server = server("/items", 2).await;
    let client = client(&server.uri());
    let api = Api::new(&client);
    let params = ListItemsParams::builder()
        .ids(vec!["a".to_owned(), "b,c".to_owned()])
        .build()
        .tags(vec!["x".to_owned(), "y".to_owned()])
        .names(vec!["n1".to_owned(), "n2".to_owned()])
        .colors(vec!["blue".to_owned(), "black".to_owned()])
        .sizes(vec![1, 2]);
    api.list_items(&params).await.unwrap();
    // Only the required list: the optional ones are absent, not empty pairs.
    api.list_items(
        &ListItemsParams::builder()
            .ids(vec!["only".to_owned()])
            .build(),
    )
    .await
    .unwrap();
    let requests = requests(&server).await;
    assert_eq!(
        requests[0].url.query(),
        Some("ids=a,b%2Cc&tags=x,y&names=n1&names=n2&colors=blue%20black&sizes=1|2")
    );
    assert_eq!(requests[1].url.query(), Some("ids=only"));
}

#[tokio::test]
async fn a_declared_path_parameter_the_path_does_not_use_is_left_out() {
    use ppio_tests::golden::params::{Api, ListPetsParams};
    let server = server("/pets", 2).await;
    let client = client(&server.uri());
    Api::new(&client)
        .list_pets_with(&ListPetsParams::new().limit(5))
        .await
        .unwrap();
    // Every parameter is optional, so the plain method needs no params argument.
    Api::new(&client).list_pets().await.unwrap();
    let requests = requests(&server).await;
    assert_eq!(requests[0].line(), "GET /pets?limit=5");
    assert_eq!(requests[1].line(), "GET /pets");
}

#[tokio::test]
async fn a_path_fragment_is_not_sent() {
    use ppio_tests::golden::params::{Api, GetSharedItemParams, ItemFields};
    let server = server("/items/a%20b", 1).await;
    let client = client(&server.uri());
    Api::new(&client)
        .get_shared_item(
            "a b",
            &GetSharedItemParams::builder()
                .fields(ItemFields::Shared)
                .build(),
        )
        .await
        .unwrap();
    assert_eq!(
        requests(&server).await[0].line(),
        "GET /items/a%20b?fields=shared"
    );
}
