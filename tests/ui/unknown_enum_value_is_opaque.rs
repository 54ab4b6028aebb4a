// An open enum's catch-all cannot be built by hand: `Unknown("spot")` would send the same
// "spot" as `BillingMode::Spot` yet compare unequal to it. `BillingMode::from("spot")` is the
// way in, and it gives `BillingMode::Spot`.
#![deny(warnings)]

use ppio::UnknownValue;
use ppio::v2::BillingMode;

fn main() {
    let _from_string = BillingMode::Unknown("spot".to_owned());
    let _from_value = BillingMode::Unknown(UnknownValue { value: "spot".to_owned() });
}
