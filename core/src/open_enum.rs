//! Enums of the service's string values that keep values they do not know.

/// Declares an open enum: known variants with their wire names, extra accepted
/// spellings, and `Other(String)` for anything else, kept as it came.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this library does not know, kept as the service sent it.
            Other(String),
        }

        impl $name {
            /// Reads a wire value; never fails, unknown values become `Other`.
            pub fn parse(value: &str) -> Self {
                match value {
                    $( $wire $(| $alias)* => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }

            /// The value as the service spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Other(s) => s,
                }
            }

            /// Every known value, in wire spelling.
            pub const KNOWN: &'static [&'static str] = &[$($wire),*];
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::parse(s))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use open_enum;
