//! Freeing what a read made, on more than one thread.

/// Frees `lists` on two threads when there are two or more and `threads`
/// allows: freeing a million events, each with its strings and payload, one
/// after the other, was a tenth of a replay.
pub(super) fn drop_on_every_core<T: Send>(mut lists: Vec<T>, threads: usize) {
    if threads < 2 || lists.len() < 2 {
        return;
    }
    let half = lists.split_off(lists.len() / 2);
    std::thread::scope(|scope| {
        scope.spawn(move || drop(half));
        drop(lists);
    });
}
