//! `list_tab!`: the [`TabView`](super::TabView) of a plain list tab in one line, so a tab
//! that only lists rows and shows a detail pane needs no hand-written implementation. Defined
//! before the tab modules (`#[macro_use]`), which use it.

/// The [`TabView`](super::TabView) of a list tab whose module has `SPEC`, a
/// `detail(d, id, t)` and rows given by an expression over `d`, `sort` and `shape`;
/// optionally, in this order: `note = "entity"` (notes on its rows are about that entity) or
/// `note_by = path`; `form = path` (the forms its keys open); `toggles = [Action, ...] =>
/// path` (the path returns the status line); `enter = path`; and `more { ... }` for any other
/// methods of the trait. For a tab that needs more (a keymap context, two lists), write the
/// implementation out.
macro_rules! list_tab {
    ($name:ident, $tab:ident, $title:literal, $key:ident,
     |$d:ident, $sort:ident, $shape:ident| $rows:expr
     $(, note = $note:literal)? $(, note_by = $note_by:path)? $(, form = $form:path)?
     $(, toggles = [$($tg:ident),+] => $toggle:path)? $(, enter = $enter:path)?
     $(, more { $($more:tt)* })? $(,)?) => {
        /// This tab in the registry.
        pub struct $name;

        impl crate::tui::tabs::TabView for $name {
            fn tab(&self) -> crate::tui::tab::Tab {
                crate::tui::tab::Tab::$tab
            }
            fn title(&self) -> &'static str {
                $title
            }
            fn key(&self) -> crate::tui::action::Action {
                crate::tui::action::Action::$key
            }
            fn spec(&self, _: &crate::tui::tabs::Shape) -> &'static Spec {
                &SPEC
            }
            #[allow(unused_variables)]
            fn rows(&self, $d: &Data, $sort: usize, $shape: &crate::tui::tabs::Shape) -> Vec<Row> {
                $rows
            }
            fn detail(&self, d: &Data, id: &str, t: &Theme) -> Vec<Line<'static>> {
                detail(d, id, t)
            }
            $(
                fn note_target(
                    &self,
                    id: &str,
                    _: &crate::tui::tabs::Shape,
                ) -> Option<(&'static str, String)> {
                    Some(($note, id.to_owned()))
                }
            )?
            $(
                fn note_target(
                    &self,
                    id: &str,
                    _: &crate::tui::tabs::Shape,
                ) -> Option<(&'static str, String)> {
                    $note_by(id)
                }
            )?
            $(
                fn form(
                    &self,
                    a: crate::tui::action::Action,
                    cx: &crate::tui::tabs::FormCx,
                ) -> Option<crate::tui::tabs::Form> {
                    $form(a, cx)
                }
            )?
            $(
                fn toggles(&self) -> &'static [crate::tui::action::Action] {
                    &[$(crate::tui::action::Action::$tg),+]
                }
                fn toggle(
                    &self,
                    a: crate::tui::action::Action,
                    shape: &mut crate::tui::tabs::Shape,
                    here: bool,
                ) -> Option<String> {
                    Some($toggle(a, shape, here))
                }
            )?
            $(
                fn enter(
                    &self,
                    d: &Data,
                    id: &str,
                    _running: bool,
                ) -> Option<crate::tui::tabs::Enter> {
                    $enter(d, id)
                }
            )?
            $($($more)*)?
        }
    };
}
