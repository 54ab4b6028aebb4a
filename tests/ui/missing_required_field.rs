// `resource` is required by the spec, so `new` takes it; leaving it out must not compile
// (E0061), rather than sending a request PPIO will reject.
#![deny(warnings)]

use ppio::v2::{Billing, BillingMode, CreateInstanceRequest};

fn main() {
    let _request = CreateInstanceRequest::new(
        "sd-webui-prod",
        "prod-a100-80g-sxm",
        "registry.ppio.com/ppio/stable-diffusion-webui:1.9.4",
        Billing::new(BillingMode::Postpaid),
    );
}
