// An open enum's catch-all cannot be built by hand: `Unknown("spot")` would send the same
// "spot" as `BillingMode::Spot` yet compare unequal to it. `BillingMode::from("spot")` is the
// way in, and it gives `BillingMode::Spot`.
#![deny(warnings)]

use ppio::UnknownValue;
use ppio::v2::BillingMode;
use ppio_tests::golden::v3_1::PetSize;

fn main() {
    let _from_string = BillingMode::Unknown("spot".to_owned());
    let _from_value = BillingMode::Unknown(UnknownValue { value: "spot".to_owned() });
    // The same holds for integer enums: `PetSize::from(2)` is `PetSize::Large`.
    let _from_integer = PetSize::Unknown(2);
}
