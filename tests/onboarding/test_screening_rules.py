"""The screening decision on gathered facts: rules, lists, score and reasons."""

from __future__ import annotations

from datetime import date

from tests.helpers import resident_id
from workstation.onboarding.screening import Facts, screen_facts
from workstation.onboarding.settings import settings_from

SETTINGS = settings_from({})
TODAY = date(2026, 11, 28)
ALL_DOCS = frozenset({"id_front", "id_back", "selfie"})


def facts(**changes) -> Facts:
    born = changes.pop("born", date(1988, 3, 2))
    base = dict(today=TODAY, full_name="Wang Fang", id_number=resident_id(born, 11),
                birth_date=born, id_expires_on=date(2031, 1, 1), occupation="employee",
                purpose="salary", account_class="II", channel="assisted", documents=ALL_DOCS)
    return Facts(**{**base, **changes})


def test_a_clean_application_is_approved_with_no_reasons():
    result = screen_facts(facts(), SETTINGS)
    assert (result.outcome, result.score, result.reasons, result.category) == \
        ("approve", 0, [], "clear")


def test_a_minor_goes_to_a_supervisor_with_the_reason():
    result = screen_facts(facts(born=date(2009, 6, 1)), SETTINGS)
    assert result.outcome == "review"
    assert [r.code for r in result.reasons] == ["minor"]
    assert result.category == "eligibility"


def test_name_and_id_on_the_watch_list_reject_under_compliance_checks():
    result = screen_facts(facts(list_id_and_name=True), SETTINGS)
    assert result.outcome == "reject"
    assert result.category == "lists"
    assert result.reasons[0].code == "watchlist_match"


def test_name_only_match_or_many_applications_from_one_phone_need_review():
    assert screen_facts(facts(list_name_only=True), SETTINGS).outcome == "review"
    velocity = screen_facts(facts(same_phone=4), SETTINGS)
    assert velocity.outcome == "review" and velocity.reasons[0].code == "phone_velocity"
    assert screen_facts(facts(same_device=4), SETTINGS).category == "velocity"


def test_small_signals_add_up_to_a_score_that_crosses_the_thresholds():
    small = screen_facts(facts(purpose="other", channel="self"), SETTINGS)
    assert (small.outcome, small.score) == ("approve", 15)
    larger = screen_facts(facts(occupation="student", purpose="business", channel="self"),
                          SETTINGS)
    assert (larger.outcome, larger.score) == ("review", 30)
    assert {r.code for r in larger.reasons} == {"purpose_mismatch", "unassisted"}
    heavy = screen_facts(facts(occupation="student", purpose="business", recent_rejections=1,
                               channel="self", id_expires_on=date(2026, 12, 10)), SETTINGS)
    assert heavy.outcome == "reject" and heavy.score >= SETTINGS.reject_from


def test_bad_id_expired_id_under_age_missing_documents_and_duplicates_reject():
    bad_id = facts(id_number=resident_id(date(1988, 3, 2), 11)[:-1] + "X")
    cases = {
        "id_invalid": bad_id,
        "id_expired": facts(id_expires_on=date(2026, 1, 1)),
        "under_age": facts(born=date(2013, 1, 1)),
        "documents_missing": facts(documents=frozenset({"selfie"})),
        "duplicate_open": facts(other_open=1),
    }
    for code, case in cases.items():
        result = screen_facts(case, SETTINGS)
        assert result.outcome == "reject", code
        assert code in {r.code for r in result.reasons}
