"""Calendar files (RFC 5545) for an appointment, in the branch's own time zone."""

from __future__ import annotations

from icalendar import Calendar, Event

from appointments.calendar import branch_zone
from appointments.models import Appointment


def appointment_ics(appt: Appointment) -> bytes:
    """One VEVENT with a stable UID; SEQUENCE grows with every move, CANCELLED when cancelled."""
    zone = branch_zone(appt.branch)
    cal = Calendar()
    cal.add("prodid", "-//Cloud Outlet Bank//Appointments//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if appt.status == "cancelled" else "PUBLISH")
    event = Event()
    event.add("uid", f"{appt.reference}@appointments.cloud-outlet")
    event.add("sequence", appt.sequence)
    event.add("dtstamp", appt.updated_at)
    event.add("dtstart", appt.starts_at.astimezone(zone))
    event.add("dtend", appt.ends_at.astimezone(zone))
    event.add("summary", f"{appt.service.label} at {appt.branch.name}")
    event.add("location", ", ".join(p for p in (appt.branch.name, appt.branch.address) if p))
    event.add("description", f"Reference {appt.reference}. Check-in code {appt.checkin_code}. "
                             "Show the code or its QR code at the branch.")
    event.add("status", "CANCELLED" if appt.status == "cancelled" else "CONFIRMED")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
