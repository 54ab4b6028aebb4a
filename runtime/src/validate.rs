//! Limits from the spec (lengths, ranges, item counts, patterns) checked before a request
//! leaves, so a 300-character name fails here with the rule it breaks instead of at the server.
//!
//! Generated types that carry limits implement [`Validate`]; fields call [`Validator::rules`]
//! with their [`Rule`]s and [`Validator::nested`] for values of other generated types. Only the
//! first violation is kept. Its message names the field path and the rule, never the value,
//! which may be a secret.

use std::collections::BTreeMap;
use std::fmt;

/// One limit a value must respect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// At least this many characters (`minLength`).
    MinLength(u64),
    /// At most this many characters (`maxLength`).
    MaxLength(u64),
    /// Not below this number (`minimum`).
    Minimum(f64),
    /// Above this number (`minimum` with `exclusiveMinimum`).
    ExclusiveMinimum(f64),
    /// Not above this number (`maximum`).
    Maximum(f64),
    /// Below this number (`maximum` with `exclusiveMaximum`).
    ExclusiveMaximum(f64),
    /// A whole multiple of this number (`multipleOf`).
    MultipleOf(f64),
    /// At least this many items (`minItems`).
    MinItems(u64),
    /// At most this many items (`maxItems`).
    MaxItems(u64),
    /// Matches this ECMAScript regular expression somewhere (`pattern`).
    Pattern(&'static str),
    /// Every item of an array keeps these rules (`items` with limits of its own).
    Items(&'static [Rule]),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::MinLength(n) => write!(f, "minLength {n}"),
            Rule::MaxLength(n) => write!(f, "maxLength {n}"),
            Rule::Minimum(n) => write!(f, "minimum {n}"),
            Rule::ExclusiveMinimum(n) => write!(f, "exclusiveMinimum {n}"),
            Rule::Maximum(n) => write!(f, "maximum {n}"),
            Rule::ExclusiveMaximum(n) => write!(f, "exclusiveMaximum {n}"),
            Rule::MultipleOf(n) => write!(f, "multipleOf {n}"),
            Rule::MinItems(n) => write!(f, "minItems {n}"),
            Rule::MaxItems(n) => write!(f, "maxItems {n}"),
            Rule::Pattern(p) => write!(f, "pattern {p}"),
            Rule::Items(_) => write!(f, "items"),
        }
    }
}

/// A broken limit: where, and which rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The field path, as `owner.name` or `ports[1].port`.
    pub field: String,
    /// The rule that was broken.
    pub rule: Rule,
}

/// Walks a value, collecting the first violation.
#[derive(Debug, Default)]
pub struct Validator {
    /// The path of the value being walked, as `ports[1]`; grown and cut back in place, so a
    /// walk that finds nothing builds no strings per field.
    path: String,
    /// Where each enclosing level's segment starts in `path`.
    levels: Vec<usize>,
    violation: Option<Violation>,
}

impl Validator {
    /// Checks a request value and returns its first violation.
    pub fn check<T: Validate + ?Sized>(value: &T) -> Option<Violation> {
        let mut validator = Validator::default();
        value.validate(&mut validator);
        validator.violation
    }

    /// Checks one parameter (or any checked value) under its name.
    pub fn check_rules<T: Checked + ?Sized>(
        name: &str,
        value: &T,
        rules: &[Rule],
    ) -> Option<Violation> {
        let mut validator = Validator::default();
        validator.rules(name, value, rules);
        validator.violation
    }

    fn at(&self, segment: &str) -> String {
        let mut field = self.path.clone();
        if segment.starts_with('[') || field.is_empty() {
            field.push_str(segment);
        } else {
            field.push('.');
            field.push_str(segment);
        }
        field
    }

    fn report(&mut self, field: String, rule: Rule) {
        if self.violation.is_none() {
            self.violation = Some(Violation { field, rule });
        }
    }

    /// Checks a field's value against its rules.
    pub fn rules<T: Checked + ?Sized>(&mut self, field: &str, value: &T, rules: &[Rule]) {
        if self.violation.is_some() {
            return;
        }
        if let Some((suffix, rule)) = value.check(rules) {
            let at = self.at(field);
            self.report(format!("{at}{suffix}"), rule);
        }
    }

    /// Checks the item count of an array field whose items are generated types.
    pub fn count<T: Counted + ?Sized>(&mut self, field: &str, value: &T, rules: &[Rule]) {
        if self.violation.is_some() {
            return;
        }
        let Some(count) = value.count() else {
            return;
        };
        let broken = rules.iter().find(|rule| match **rule {
            Rule::MinItems(n) => count < n,
            Rule::MaxItems(n) => count > n,
            _ => false,
        });
        if let Some(rule) = broken {
            let at = self.at(field);
            self.report(at, *rule);
        }
    }

    /// Checks a field holding another generated type (or an `Option`, `Vec`, map or `Box` of one).
    pub fn nested<T: Validate + ?Sized>(&mut self, field: &str, value: &T) {
        if self.violation.is_some() {
            return;
        }
        let start = self.path.len();
        if !self.levels.is_empty() && !field.starts_with('[') {
            self.path.push('.');
        }
        self.path.push_str(field);
        self.levels.push(start);
        value.validate(self);
        self.levels.pop();
        self.path.truncate(start);
    }
}

/// A generated type whose fields (or whose nested types' fields) carry limits.
pub trait Validate {
    /// Reports the first broken limit to `validator`.
    fn validate(&self, validator: &mut Validator);
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self, validator: &mut Validator) {
        (**self).validate(validator);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, validator: &mut Validator) {
        (**self).validate(validator);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, validator: &mut Validator) {
        if let Some(value) = self {
            value.validate(validator);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate(&self, validator: &mut Validator) {
        for (i, item) in self.iter().enumerate() {
            validator.nested(&format!("[{i}]"), item);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, validator: &mut Validator) {
        self.as_slice().validate(validator);
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, validator: &mut Validator) {
        for (key, item) in self {
            validator.nested(key, item);
        }
    }
}

/// An array (or an `Option` of one) whose item count can be checked.
pub trait Counted {
    /// The number of items; `None` for an absent value.
    fn count(&self) -> Option<u64>;
}

impl<T> Counted for [T] {
    fn count(&self) -> Option<u64> {
        Some(self.len() as u64)
    }
}

impl<T> Counted for Vec<T> {
    fn count(&self) -> Option<u64> {
        Some(self.len() as u64)
    }
}

impl<T: Counted> Counted for Option<T> {
    fn count(&self) -> Option<u64> {
        self.as_ref().and_then(Counted::count)
    }
}

/// A value that limits apply to directly: strings, numbers, arrays of them, and `Option`s.
pub trait Checked {
    /// The first rule the value breaks, with the path below the field (`[2]` for an item).
    fn check(&self, rules: &[Rule]) -> Option<(String, Rule)>;
}

impl<T: Checked + ?Sized> Checked for &T {
    fn check(&self, rules: &[Rule]) -> Option<(String, Rule)> {
        (**self).check(rules)
    }
}

impl<T: Checked> Checked for Option<T> {
    fn check(&self, rules: &[Rule]) -> Option<(String, Rule)> {
        self.as_ref().and_then(|value| value.check(rules))
    }
}

impl<T: Checked + ?Sized> Checked for Box<T> {
    fn check(&self, rules: &[Rule]) -> Option<(String, Rule)> {
        (**self).check(rules)
    }
}

impl Checked for str {
    fn check(&self, rules: &[Rule]) -> Option<(String, Rule)> {
        let length = self.chars().count() as u64;
        rules.iter().find_map(|rule| {
            let broken = match *rule {
                Rule::MinLength(n) => length < n,
                Rule::MaxLength(n) => length > n,
                Rule::Pattern(pattern) => regress::Regex::new(pattern)
                    .map(|re| re.find(self).is_none())
                    // The generator only emits patterns that compile.
                    .unwrap_or(false),
                _ => false,
            };
            broken.then(|| (String::new(), *rule))
        })
    }
}

impl Checked for String {
    fn check(&self, rules: &[Rule]) -> Option<(String, Rule)> {
        self.as_str().check(rules)
    }
}

fn check_number(value: f64, rules: &[Rule]) -> Option<(String, Rule)> {
    rules.iter().find_map(|rule| {
        let broken = match *rule {
            Rule::Minimum(n) => value < n,
            Rule::ExclusiveMinimum(n) => value <= n,
            Rule::Maximum(n) => value > n,
            Rule::ExclusiveMaximum(n) => value >= n,
            Rule::MultipleOf(n) if n > 0.0 => {
                let ratio = value / n;
                (ratio - ratio.round()).abs() > 1e-9
            }
            _ => false,
        };
        broken.then(|| (String::new(), *rule))
    })
}

macro_rules! checked_number {
    ($($ty:ty),*) => {$(
        impl Checked for $ty {
            fn check(&self, rules: &[Rule]) -> Option<(String, Rule)> {
                check_number(*self as f64, rules)
            }
        }
    )*};
}

checked_number!(i32, i64, u32, u64, f32, f64);

impl<T: Checked> Checked for [T] {
    fn check(&self, rules: &[Rule]) -> Option<(String, Rule)> {
        let count = self.len() as u64;
        rules.iter().find_map(|rule| match *rule {
            Rule::MinItems(n) if count < n => Some((String::new(), *rule)),
            Rule::MaxItems(n) if count > n => Some((String::new(), *rule)),
            Rule::Items(item_rules) => self.iter().enumerate().find_map(|(i, item)| {
                item.check(item_rules)
                    .map(|(suffix, rule)| (format!("[{i}]{suffix}"), rule))
            }),
            _ => None,
        })
    }
}

impl<T: Checked> Checked for Vec<T> {
    fn check(&self, rules: &[Rule]) -> Option<(String, Rule)> {
        self.as_slice().check(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Port {
        port: i64,
    }

    impl Validate for Port {
        fn validate(&self, v: &mut Validator) {
            v.rules(
                "port",
                &self.port,
                &[Rule::Minimum(1.0), Rule::Maximum(65535.0)],
            );
        }
    }

    struct Body {
        name: String,
        tags: Option<Vec<String>>,
        ports: Option<Vec<Port>>,
    }

    impl Validate for Body {
        fn validate(&self, v: &mut Validator) {
            v.rules(
                "name",
                &self.name,
                &[Rule::MinLength(1), Rule::MaxLength(5)],
            );
            v.rules(
                "tags",
                &self.tags,
                &[Rule::MaxItems(2), Rule::Items(&[Rule::Pattern("^[a-z]+$")])],
            );
            v.nested("ports", &self.ports);
        }
    }

    fn body() -> Body {
        Body {
            name: "abc".into(),
            tags: Some(vec!["x".into()]),
            ports: Some(vec![Port { port: 80 }, Port { port: 443 }]),
        }
    }

    #[test]
    fn a_valid_value_passes() {
        assert_eq!(Validator::check(&body()), None);
    }

    #[test]
    fn violations_name_the_field_path_and_rule() {
        let cases: Vec<(Body, &str, Rule)> = vec![
            (
                Body {
                    name: "toolong".into(),
                    ..body()
                },
                "name",
                Rule::MaxLength(5),
            ),
            (
                Body {
                    name: String::new(),
                    ..body()
                },
                "name",
                Rule::MinLength(1),
            ),
            (
                Body {
                    tags: Some(vec!["ok".into(), "Bad".into()]),
                    ..body()
                },
                "tags[1]",
                Rule::Pattern("^[a-z]+$"),
            ),
            (
                Body {
                    tags: Some(vec!["a".into(), "b".into(), "c".into()]),
                    ..body()
                },
                "tags",
                Rule::MaxItems(2),
            ),
            (
                Body {
                    ports: Some(vec![Port { port: 80 }, Port { port: 70000 }]),
                    ..body()
                },
                "ports[1].port",
                Rule::Maximum(65535.0),
            ),
        ];
        for (value, field, rule) in cases {
            let violation = Validator::check(&value).expect("a violation");
            assert_eq!(violation.field, field);
            assert_eq!(violation.rule, rule);
        }
    }

    #[test]
    fn characters_not_bytes_are_counted_and_bounds_can_be_exclusive() {
        assert_eq!(
            Validator::check_rules("name", "物品名", &[Rule::MaxLength(3)]),
            None
        );
        let v = Validator::check_rules("months", &0_i64, &[Rule::ExclusiveMinimum(0.0)]).unwrap();
        assert_eq!(
            (v.field.as_str(), v.rule),
            ("months", Rule::ExclusiveMinimum(0.0))
        );
        assert!(Validator::check_rules("n", &6_i64, &[Rule::MultipleOf(4.0)]).is_some());
        assert_eq!(
            Validator::check_rules("n", &None::<i64>, &[Rule::Minimum(1.0)]),
            None
        );
    }
}
