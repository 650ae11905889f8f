//! Every Rust name the generator emits is claimed here once, per namespace, against one set of
//! reserved names: a spec whose names would collide is an error at the name's position, never
//! code that fails to compile.
//!
//! The namespaces are the items that share one Rust scope: the `Client`'s methods (the resource
//! accessors), the crate-level modules, each resource handle's methods (its actions and the
//! `_all` streams of its lists), the types of each module (`models`, or a resource's handle,
//! request types and hoisted types) and the functions of the `__operations` registry.

use std::collections::HashMap;

use crate::diagnostic::{Collector, Position};

/// A Rust scope the generator emits names into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Namespace {
    /// Methods of the generated `Client`: one accessor per resource.
    ClientMethods,
    /// Modules next to `Client`: `models` and one per resource.
    Modules,
    /// Methods of a resource's handle: its actions and their `_all` streams.
    ResourceMethods,
    /// Types of one module: `models`, or a resource's handle, request and hoisted types.
    Types,
    /// Functions of the hidden `__operations` registry: `<resource>_<action>`.
    Registry,
}

impl Namespace {
    /// The one reserved set: the names the runtime or the generator already uses in this
    /// namespace, with what uses them. The `Client`'s own methods are written out in
    /// `pabbly-codegen`'s `client.rs`; the trait methods are those of the traits the generated
    /// types derive, which an inherent method of the same name would shadow.
    fn reserved(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Namespace::ClientMethods => &[
                ("builder", "`Client::builder`, the runtime's constructor"),
                ("with_options", "`Client::with_options` of the runtime"),
                (
                    "webhooks",
                    "`Client::webhooks`, which confirms webhook events",
                ),
                ("clone", "`Clone::clone` of `Client`"),
                ("clone_from", "`Clone::clone_from` of `Client`"),
                ("fmt", "`Debug::fmt` of `Client`"),
                ("from", "`From::from` of `Client`"),
                ("into", "`Into::into` of `Client`"),
            ],
            Namespace::Modules => &[
                ("models", "the module of the shared types"),
                ("__operations", "the module of the operation registry"),
                ("webhooks", "the module of the webhook events"),
                ("blocking", "the module of the blocking client"),
                ("rt", RUNTIME_ALIAS_USE),
            ],
            Namespace::ResourceMethods => &[
                ("clone", "`Clone::clone` of the resource handle"),
                ("clone_from", "`Clone::clone_from` of the resource handle"),
                ("fmt", "`Debug::fmt` of the resource handle"),
                ("into", "`Into::into` of the resource handle"),
            ],
            // Generated modules name these prelude items unqualified, so a type of the same
            // name would shadow them there.
            Namespace::Types => &[
                ("Box", PRELUDE),
                ("Clone", PRELUDE),
                ("Copy", PRELUDE),
                ("Default", PRELUDE),
                ("Eq", PRELUDE),
                ("Into", PRELUDE),
                ("None", PRELUDE),
                ("Ok", PRELUDE),
                ("Option", PRELUDE),
                ("PartialEq", PRELUDE),
                ("Result", PRELUDE),
                ("Some", PRELUDE),
                ("String", PRELUDE),
                ("ToString", PRELUDE),
                ("Vec", PRELUDE),
            ],
            Namespace::Registry => &[],
        }
    }
}

/// Why `rt` is reserved: every generated module imports `pabbly`'s hidden runtime items under
/// it (`pabbly-codegen` writes `rt::Operation`), and a module of that name would read as it.
const RUNTIME_ALIAS_USE: &str =
    "the alias generated modules import the runtime under (`use ::pabbly::__private as rt;`)";

const PRELUDE: &str = "a prelude name generated modules use unqualified";

/// Who claimed a name, for the message about the next one to want it.
#[derive(Debug)]
struct Claim {
    at: Position,
    by: String,
}

/// The names claimed in one scope.
#[derive(Debug)]
pub(crate) struct Names {
    namespace: Namespace,
    taken: HashMap<String, Claim>,
}

impl Names {
    pub(crate) fn new(namespace: Namespace) -> Self {
        Self {
            namespace,
            taken: HashMap::new(),
        }
    }

    /// Claims `name` for `by` ("the `_all` stream of `things.list`"), defined at `at`. A name
    /// that is reserved or already claimed is an error at `at` with `help`; then `false`.
    pub(crate) fn claim(
        &mut self,
        name: &str,
        at: Position,
        by: impl Into<String>,
        help: &str,
        diag: &mut Collector<'_>,
    ) -> bool {
        let by = by.into();
        let reserved = self
            .namespace
            .reserved()
            .iter()
            .find(|(reserved, _)| *reserved == name);
        let conflict = match (reserved, self.taken.get(name)) {
            (Some((_, why)), _) => format!("reserved: it is {why}"),
            (None, Some(first)) => format!("already {} (line {})", first.by, first.at.line),
            (None, None) => {
                self.taken.insert(name.to_owned(), Claim { at, by });
                return true;
            }
        };
        diag.error(
            at,
            format!("`{name}` ({by}) is {conflict}"),
            Some(help.to_owned()),
        );
        false
    }
}
