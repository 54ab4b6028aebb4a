// A type with required fields has no positional constructor: `Resource::new(20, 1)` would not
// say which number is the disk and which the GPU count. Only the builder makes one.
#![deny(warnings)]

use ppio::v2::Resource;

fn main() {
    let _resource = Resource::new(20, 1);
}
