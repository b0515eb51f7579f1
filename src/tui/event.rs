//! Everything that can wake the UI thread, as one enum: terminal input and store results.

use super::app::Msg;

/// An event for the UI loop.
#[derive(Debug)]
pub enum Event {
    /// Terminal input (keys, mouse, resize).
    Term(crossterm::event::Event),
    /// A result from the store thread.
    Store(Box<Msg>),
    /// A second passed (drives the exercise clock; ignored when nothing runs).
    Tick,
}

/// Reads terminal input forever on its own thread.
pub fn spawn_input(tx: std::sync::mpsc::Sender<Event>) {
    std::thread::spawn(move || {
        while let Ok(ev) = crossterm::event::read() {
            if tx.send(Event::Term(ev)).is_err() {
                break;
            }
        }
    });
}

/// Sends a tick every second forever on its own thread.
pub fn spawn_ticker(tx: std::sync::mpsc::Sender<Event>) {
    std::thread::spawn(move || {
        while tx.send(Event::Tick).is_ok() {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    });
}
