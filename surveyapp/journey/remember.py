"""Who is filling in forms on this device, per class, kept in the signed session cookie.

Only ``{class id: participant id}`` is stored (a few bytes), never a name or an answer,
and "I am a different person" forgets it. No server-side store: any app process can
serve the next request.
"""

from __future__ import annotations

from flask import session

KEY = "who"
MAX_CLASSES = 8  # a trainee follows a few classes; keep the cookie small


def remembered(class_id: int) -> int | None:
    """The participant identified on this device for the class, if any."""
    value = session.get(KEY, {}).get(str(class_id))
    return value if isinstance(value, int) else None


def remember(class_id: int, participant_id: int) -> None:
    known = {k: v for k, v in session.get(KEY, {}).items() if k != str(class_id)}
    known[str(class_id)] = participant_id
    session[KEY] = dict(list(known.items())[-MAX_CLASSES:])


def forget(class_id: int) -> None:
    known = dict(session.get(KEY, {}))
    if known.pop(str(class_id), None) is not None:
        session[KEY] = known
