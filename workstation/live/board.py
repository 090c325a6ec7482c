"""The supervisor's live board: queue length, longest wait, sessions per agent, handle time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from workstation.extensions import db
from workstation.live.catalog import TOPICS
from workstation.live.models import LiveSession, SessionRating
from workstation.live.queue import average_handle_seconds, longest_wait, waiting_entries
from workstation.models import Role, Staff
from workstation.types import utcnow


@dataclass(frozen=True)
class AgentLoad:
    staff_id: int
    name: str
    role: str
    skills: str
    capacity: int
    active: int


@dataclass(frozen=True)
class Board:
    queue_length: int
    waiting_by_topic: dict[str, int]
    longest_wait_seconds: int | None
    average_handle_seconds: int | None
    ended_today: int
    average_rating_today: float | None
    agents: list[AgentLoad]
    sessions: list[LiveSession]


def _today_start():
    return utcnow().replace(hour=0, minute=0, second=0, microsecond=0)


def live_board() -> Board:
    """Figures for the supervisor's board, as of now."""
    by_topic = Counter(entry.topic for entry in waiting_entries())
    wait = longest_wait()
    handle = average_handle_seconds(_today_start())
    active_counts = dict(db.session.execute(
        select(LiveSession.agent_id, func.count(LiveSession.id))
        .where(LiveSession.status == "active").group_by(LiveSession.agent_id)).all())
    staff = db.session.scalars(select(Staff).where(
        Staff.active.is_(True),
        Staff.role.in_([Role.AGENT.value, Role.SUPERVISOR.value, Role.MANAGER.value]))
        .order_by(Staff.role, Staff.username)).all()
    agents = [AgentLoad(s.id, s.full_name, s.role, s.skills, s.capacity,
                        active_counts.get(s.id, 0))
              for s in staff if s.role == Role.AGENT or active_counts.get(s.id)]
    ended_today = db.session.scalar(select(func.count(LiveSession.id)).where(
        LiveSession.status == "ended", LiveSession.ended_at >= _today_start())) or 0
    rating = db.session.scalar(select(func.avg(SessionRating.score)).where(
        SessionRating.rated_at >= _today_start()))
    sessions = db.session.scalars(select(LiveSession).where(LiveSession.status == "active")
                                  .order_by(LiveSession.started_at)).all()
    return Board(
        queue_length=sum(by_topic.values()),
        waiting_by_topic={TOPICS.get(k, k): v for k, v in sorted(by_topic.items())},
        longest_wait_seconds=int(wait.total_seconds()) if wait is not None else None,
        average_handle_seconds=int(handle) if handle is not None else None,
        ended_today=ended_today,
        average_rating_today=round(float(rating), 1) if rating is not None else None,
        agents=agents,
        sessions=list(sessions),
    )


def duration(seconds: int | None) -> str:
    """Seconds as m:ss (or h:mm:ss), or a dash."""
    if seconds is None:
        return "—"
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
