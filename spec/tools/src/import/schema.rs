//! The importer's own model of a parameter or response type: the spec language's type nodes,
//! before naming and lowering, plus what the page could not tell (unknown required flags, objects
//! whose example was cut off).

/// A type node, as it will be written into the spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    /// The shape.
    pub ty: Ty,
    /// Also accepts the string form of the scalar (or any scalar, for a string).
    pub lenient: bool,
    /// May be `null`.
    pub nullable: bool,
    /// `url` or `email`, from the docs' "format …".
    pub format: Option<String>,
    /// Allowed values, from the docs' "one of: …".
    pub values: Vec<String>,
    /// The stated default, from "default …".
    pub default: Option<serde_json::Value>,
    /// Doc text.
    pub description: Option<String>,
    /// For objects: every field is known. `false` when the example was cut inside the object,
    /// so a field the spec has and the page lacks may just be in the missing part.
    pub complete: bool,
}

/// The shape of a [`Schema`].
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `date` (`yyyy-mm-dd`).
    Date,
    /// `date-time` (RFC 3339).
    DateTime,
    /// `any`: the shape is not known.
    Any,
    /// `object` with these fields.
    Object(Vec<Field>),
    /// `array` of these items.
    Array(Box<Schema>),
    /// `map` from arbitrary keys to these values.
    Map(Box<Schema>),
    /// A type of the spec's `types:` by name: an object several imported pages repeat.
    Named(String),
}

/// A named member of an object or a parameter list.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// Its type.
    pub schema: Schema,
    /// `None` when the page does not say (a secondary listing).
    pub required: Option<bool>,
    /// Set when the default Rust name would clash with a sibling's.
    pub rust_name: Option<String>,
    /// Line on the page the field came from, when it came from a table.
    pub line: Option<usize>,
}

impl Schema {
    /// A plain schema of this shape.
    pub fn of(ty: Ty) -> Self {
        Self {
            ty,
            lenient: false,
            nullable: false,
            format: None,
            values: Vec::new(),
            default: None,
            description: None,
            complete: true,
        }
    }

    /// The spec's name for the shape.
    pub fn type_name(&self) -> &str {
        self.ty.name()
    }

    /// Words for messages: `integer`, `lenient string`, `array of object`.
    pub fn describe(&self) -> String {
        let base = match &self.ty {
            Ty::Array(items) => format!("array of {}", items.describe()),
            Ty::Map(values) => format!("map of {}", values.describe()),
            ty if !self.values.is_empty() && *ty == Ty::String => "string enum".to_owned(),
            ty => ty.name().to_owned(),
        };
        if self.lenient {
            format!("lenient {base}")
        } else {
            base
        }
    }
}

impl Ty {
    /// The spec's type name.
    pub fn name(&self) -> &str {
        match self {
            Ty::String => "string",
            Ty::Integer => "integer",
            Ty::Number => "number",
            Ty::Boolean => "boolean",
            Ty::Date => "date",
            Ty::DateTime => "date-time",
            Ty::Any => "any",
            Ty::Object(_) => "object",
            Ty::Array(_) => "array",
            Ty::Map(_) => "map",
            Ty::Named(name) => name,
        }
    }

    /// Whether the shape is a scalar the spec can mark `lenient`.
    pub(crate) fn is_lenient_scalar(&self) -> bool {
        matches!(self, Ty::String | Ty::Integer | Ty::Number | Ty::Boolean)
    }
}

impl Field {
    /// A field with no page line and unknown required flag.
    pub(crate) fn new(name: impl Into<String>, schema: Schema, required: Option<bool>) -> Self {
        Self {
            name: name.into(),
            schema,
            required,
            rust_name: None,
            line: None,
        }
    }
}

/// Keys that are data rather than names: 24-hex ids (`5e3aac363c92e44b424b6dfc`) or numbers.
pub(crate) fn is_id_like(key: &str) -> bool {
    (key.len() == 24 && key.bytes().all(|c| c.is_ascii_hexdigit()))
        || (!key.is_empty() && key.bytes().all(|c| c.is_ascii_digit()))
}
