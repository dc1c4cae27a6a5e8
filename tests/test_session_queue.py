"""Builder events: one at a time per session, in order; different sessions side by side (issue 12 §3)."""

from __future__ import annotations

from types import SimpleNamespace

from gradio.queueing import EventQueue, Queue

from app.session_queue import order_per_session

GROUP = "pipeline"


def gradio_queue(limit: int = 4) -> Queue:
    """Gradio's own Queue class (its real picker), without a server behind it."""
    queue = Queue.__new__(Queue)
    queue.event_queue_per_concurrency_id = {GROUP: EventQueue(GROUP, limit)}
    queue.active_jobs = [None] * 8
    assert order_per_session(queue, GROUP)
    return queue


def event(session: str, name: str):
    return SimpleNamespace(session_hash=session, concurrency_id=GROUP, fn=SimpleNamespace(batch=False), name=name)


def start_next(queue: Queue):
    """What Gradio's loop does: pick, then mark the job active (and count it against the limit)."""
    picked = queue.get_events()
    if picked is None:
        return None
    events, _, group = picked
    queue.active_jobs[queue.active_jobs.index(None)] = events
    queue.event_queue_per_concurrency_id[group].current_concurrency += 1
    return events[0]


def finish(queue: Queue, done) -> None:
    for i, job in enumerate(queue.active_jobs):
        if job and job[0] is done:
            queue.active_jobs[i] = None
    queue.event_queue_per_concurrency_id[GROUP].current_concurrency -= 1


def test_a_session_waits_for_its_own_previous_event_while_others_run():
    queue = gradio_queue()
    edit_a, click_a, edit_b, click_b = event("a", "edit"), event("a", "click"), event("b", "edit"), event("b", "click")
    queue.event_queue_per_concurrency_id[GROUP].queue[:] = [edit_a, click_a, edit_b, click_b]
    assert start_next(queue) is edit_a
    assert start_next(queue) is edit_b  # a's click waits for a's edit; b runs beside it
    assert start_next(queue) is None  # both sessions busy: nothing else may start
    assert queue.event_queue_per_concurrency_id[GROUP].queue == [click_a, click_b]  # held back, in order
    finish(queue, edit_b)
    assert start_next(queue) is click_b
    finish(queue, edit_a)
    assert start_next(queue) is click_a


def test_the_group_limit_still_holds_across_sessions():
    queue = gradio_queue(limit=2)
    queue.event_queue_per_concurrency_id[GROUP].queue[:] = [event(s, "click") for s in "abc"]
    started = [start_next(queue), start_next(queue), start_next(queue)]
    assert [e.session_hash if e else None for e in started] == ["a", "b", None]


def test_the_installed_gradio_has_what_the_ordering_relies_on():
    """A Gradio upgrade that changes the queue's internals fails here, not silently in production."""
    import app.ui as ui

    fns = [fn for fn in ui.demo.fns.values() if fn.concurrency_id == ui.EDIT_GROUP]
    assert len(fns) > 10 and all(fn.concurrency_limit == ui.EDIT["concurrency_limit"] for fn in fns)
    ui.demo.queue()
    assert order_per_session(ui.demo._queue, ui.EDIT_GROUP)
