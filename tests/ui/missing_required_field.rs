// `resource` is required by the spec, so the builder's `build` only exists once it is set;
// leaving it out must not compile, and the error must name the missing field rather than
// a type parameter.
#![deny(warnings)]

use ppio::v2::{Billing, BillingMode, CreateInstanceRequest};

fn main() {
    let _request = CreateInstanceRequest::builder()
        .name("sd-webui-prod")
        .product_id("prod-a100-80g-sxm")
        .image("registry.ppio.com/ppio/stable-diffusion-webui:1.9.4")
        .billing(Billing::builder().mode(BillingMode::Postpaid).build())
        .build();
}
