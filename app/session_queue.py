"""One session's events in order, different sessions in parallel.

The builder's edits and the Augment/Show-code/Save clicks of one browser tab must run in the
order the user made them: a value typed just before a click is committed by an event that
joins the queue just before the click's (DESIGN §6). Gradio offers a concurrency group with a
limit, but not "one at a time per session": a limit of 1 keeps the order by serialising every
user of the server, a higher limit lets one user's click overtake their own edit.

`order_per_session` keeps Gradio's queue and its limit, and only hides from the picker the
events of a session that already has an event of the group running. The picker always takes
the first eligible event, so each session's events start in the order they joined, one after
the other, while other sessions use the remaining slots.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("augplay.app")


def order_per_session(queue, concurrency_id: str) -> bool:
    """Patch `queue` (a gradio Queue) so that `concurrency_id` runs one event per session at a time.

    Returns False, leaving the queue as it is, when this Gradio's queue does not have the
    internals the patch relies on; callers then fall back to a limit of 1 for the group.
    """
    needed = ("get_events", "active_jobs", "event_queue_per_concurrency_id")
    if not all(hasattr(queue, name) for name in needed):
        logger.warning("this Gradio's queue cannot order events per session; builder events run one at a time")
        return False
    pick = queue.get_events

    def get_events():
        group = queue.event_queue_per_concurrency_id.get(concurrency_id)
        if group is None or not group.queue:
            return pick()
        busy = {
            event.session_hash
            for job in queue.active_jobs
            if job
            for event in job
            if getattr(event, "concurrency_id", None) == concurrency_id
        }
        waiting = list(group.queue)
        group.queue[:] = [event for event in waiting if event.session_hash not in busy]
        try:
            picked = pick()
        finally:  # the held-back events go back in their places, minus what was picked
            taken = {id(event) for event in (picked[0] if picked else [])}
            group.queue[:] = [event for event in waiting if id(event) not in taken]
        return picked

    queue.get_events = get_events
    return True
