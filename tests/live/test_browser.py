"""Real Chromium with a fake camera: an agent at a desk and a customer on a 360 px phone hold a
video session with chat and co-browse; the private field never reaches the staff side."""

from __future__ import annotations

import re
import threading

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.live.server import start_server

pytestmark = pytest.mark.e2e
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
SECRET = "Rosebud-1987"
CONNECTED_OR_FALLBACK = 45_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running, stop = start_server(tmp_path_factory.mktemp("live_browser"))
    yield running
    stop()


def with_chromium(scenario, *args) -> None:
    """Run a scenario with its own Playwright and fake-camera Chromium in a fresh thread.

    Other browser tests keep a sync Playwright open for the whole run, and a second one
    cannot start on the same thread; a thread of its own has no event loop yet.
    """
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                      args=CHROMIUM_ARGS)
                try:
                    scenario(chromium, *args)
                finally:
                    chromium.close()
        except BaseException as error:  # noqa: BLE001  (re-raised in the test's thread)
            failure.append(error)

    worker = threading.Thread(target=run, name="live-browser")
    worker.start()
    worker.join(timeout=600)
    assert not worker.is_alive(), "the browser scenario did not finish in 10 minutes"
    if failure:
        raise failure[0]


def _staff_sign_in(page: Page, server, staff) -> None:
    page.goto(f"{server.base_url}/auth/login")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", staff.password)
    page.click("button[type=submit]")
    page.fill("input[name=code]", staff.next_code())
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def _customer_sign_in(page: Page, server, phone: str) -> None:
    page.goto(f"{server.base_url}/m/sign-in")
    page.fill("input[name=phone]", phone)
    page.click("form button[type=submit]")
    page.fill("input[name=code]", server.sms_code(phone))
    page.click("form button[type=submit]")
    expect(page.get_by_test_id("sign-out")).to_be_visible()


def _video_playing(page: Page) -> bool:
    return page.evaluate("""() => { const v = document.getElementById('remote-video');
        return !!v && v.readyState >= 2 && !v.paused && v.videoWidth > 0; }""")


def _wait_connected_or_fallback(page: Page) -> str:
    page.wait_for_function("""() => {
        const s = document.getElementById('rtc-state').dataset.state;
        const f = document.getElementById('video-fallback');
        return s === 'connected' || (f && !f.hidden); }""", timeout=CONNECTED_OR_FALLBACK)
    return page.get_by_test_id("rtc-state").get_attribute("data-state")


def test_video_chat_and_cobrowse_between_desk_and_phone(server, artifacts_dir):
    with_chromium(_video_chat_and_cobrowse, server, artifacts_dir)


def _video_chat_and_cobrowse(chromium, server, artifacts_dir):
    staff_ctx = chromium.new_context(viewport={"width": 1366, "height": 900})
    phone_ctx = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                     has_touch=True)
    staff_frames: list[str] = []
    errors: list[str] = []
    desk, phone = staff_ctx.new_page(), phone_ctx.new_page()
    desk.on("websocket", lambda ws: ws.on("framereceived", lambda f: staff_frames.append(str(f))))
    for page in (desk, phone):
        page.on("pageerror", lambda e: errors.append(str(e)))

    _staff_sign_in(desk, server, server.world.staff["agent"])
    desk.goto(f"{server.base_url}/live/queue")
    expect(desk.get_by_test_id("queue-length")).to_have_text("0 waiting")

    _customer_sign_in(phone, server, server.world.customers[0].phone)
    phone.goto(f"{server.base_url}/m/live/")
    phone.get_by_test_id("topic-card").click()
    expect(phone.get_by_test_id("queue-position")).to_have_text("1")
    expect(desk.get_by_test_id("queue-length")).to_have_text("1 waiting")  # pushed live
    desk.screenshot(path=str(artifacts_dir / "live_staff_queue.png"), full_page=True)
    phone.screenshot(path=str(artifacts_dir / "live_customer_queue.png"), full_page=True)

    desk.get_by_test_id("take-next").click()
    expect(desk).to_have_url(re.compile(r"/live/sessions/\d+$"))
    expect(phone).to_have_url(re.compile(r"/m/live/s/\d+$"))
    phone.get_by_test_id("media-allow").click()

    states = (_wait_connected_or_fallback(desk), _wait_connected_or_fallback(phone))
    if states == ("connected", "connected"):
        desk.wait_for_function("() => document.getElementById('remote-video').videoWidth > 0")
        phone.wait_for_function("() => document.getElementById('remote-video').videoWidth > 0")
        assert _video_playing(desk) and _video_playing(phone)
    else:
        expect(phone.get_by_test_id("video-fallback")).to_be_visible()

    phone.get_by_test_id("chat-input").fill("Hello from the phone <b>bold</b>")
    phone.get_by_test_id("chat-send").click()
    expect(desk.get_by_test_id("chat")).to_contain_text("Hello from the phone <b>bold</b>")
    assert desk.locator("#live-chat b").count() == 0
    desk.get_by_test_id("chat-input").fill("Hello from the desk")
    desk.get_by_test_id("chat-send").click()
    expect(phone.get_by_test_id("chat")).to_contain_text("Hello from the desk")

    room_tasks = desk.get_by_test_id("task-panel")  # the agent's task panel, in the room
    room_tasks.locator("input[name=text]").fill("Please keep your ID card at hand")
    room_tasks.get_by_role("button", name="Send to phone").click()
    expect(phone.locator("[data-announced-task]")).to_have_count(1)
    # The phone acknowledged it: the room shows it delivered without a reload.
    expect(room_tasks.locator("tr[data-status=delivered]")).to_contain_text(
        "Please keep your ID card at hand")

    desk.get_by_test_id("share-form").click()
    phone.get_by_test_id("cobrowse-allow").click()
    expect(desk.get_by_test_id("form-status")).to_contain_text("Shared")
    # The field opens for typing once the phone has its own consent answer back.
    expect(phone.locator("input[data-field=address]")).to_be_enabled()
    phone.locator("input[data-field=address]").type("1 Long Street")
    expect(desk.locator("input[data-field=address]")).to_have_value("1 Long Street")
    desk.locator("input[data-field=email]").type("wf@example.cn")
    expect(phone.locator("input[data-field=email]")).to_have_value("wf@example.cn")
    phone.locator("input[data-field=id_number]").type(SECRET)
    expect(desk.locator("input[data-field=id_number]")).to_have_value("•" * len(SECRET))
    assert SECRET not in desk.content()
    assert not any(SECRET in f for f in staff_frames)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    desk.screenshot(path=str(artifacts_dir / "live_staff_room.png"), full_page=True)
    phone.screenshot(path=str(artifacts_dir / "live_customer_session.png"), full_page=True)

    # The customer sends the form: a wrong ID number is refused, the right one applies it.
    phone.get_by_test_id("send-form").click()
    expect(phone.locator("#live-error")).to_contain_text("Type your ID number")
    phone.locator("input[data-field=id_number]").fill("110101199003070028")
    phone.get_by_test_id("send-form").click()
    expect(phone.locator("#live-error")).to_contain_text("does not match our records")
    id_number = server.world.customers[0].id_number
    phone.locator("input[data-field=id_number]").fill(id_number)
    phone.get_by_test_id("send-form").click()
    expect(desk.get_by_test_id("chat")).to_contain_text(
        "The customer updated their postal address, e-mail.")
    expect(desk.locator("input[data-field=address]")).to_have_count(0)  # the form closed
    expect(phone.locator("input[data-field=address]")).to_have_count(0)
    assert not any(id_number in f for f in staff_frames) and id_number not in desk.content()

    phone.reload()  # back into the same session, video renegotiated
    expect(phone.get_by_test_id("chat")).to_contain_text("Hello from the desk")
    if states == ("connected", "connected"):
        phone.wait_for_function(
            "() => document.getElementById('rtc-state').dataset.state === 'connected'",
            timeout=CONNECTED_OR_FALLBACK)
        phone.wait_for_function("() => document.getElementById('remote-video').videoWidth > 0")
    phone.screenshot(path=str(artifacts_dir / "live_customer_after_reload.png"), full_page=True)

    desk.select_option("select[name=outcome]", "resolved")
    desk.get_by_test_id("end-session").click()
    expect(phone).to_have_url(re.compile(r"/rate$"))
    phone.get_by_test_id("score-5").check()
    phone.get_by_test_id("send-rating").click()
    expect(phone.get_by_test_id("rating-thanks")).to_be_visible()
    phone.screenshot(path=str(artifacts_dir / "live_customer_rated.png"), full_page=True)
    assert not any(SECRET in f for f in staff_frames)
    assert errors == []
    assert states == ("connected", "connected"), f"video fell back to chat: {states}"
    staff_ctx.close()
    phone_ctx.close()


NO_CAMERA = """navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Requested device not found", "NotFoundError"));"""


def test_invite_without_camera_falls_back_to_chat_and_supervisor_joins(server, artifacts_dir):
    with_chromium(_invite_fallback_and_supervision, server, artifacts_dir)


def _invite_fallback_and_supervision(chromium, server, artifacts_dir):
    desk_ctx = chromium.new_context(viewport={"width": 1366, "height": 900})
    boss_ctx = chromium.new_context(viewport={"width": 1366, "height": 900})
    phone_ctx = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                     has_touch=True)
    phone_ctx.add_init_script(NO_CAMERA)
    desk, boss, phone = desk_ctx.new_page(), boss_ctx.new_page(), phone_ctx.new_page()
    errors: list[str] = []
    for page in (desk, boss, phone):
        page.on("pageerror", lambda e: errors.append(str(e)))

    _staff_sign_in(desk, server, server.world.staff["manager"])
    desk.get_by_test_id("nav-live").click()
    expect(desk).to_have_url(re.compile(r"/live/invites$"))
    li = server.world.customers[1]
    desk.select_option("select[name=customer_id]", str(li.id))
    desk.get_by_test_id("create-invite").click()
    code = desk.get_by_test_id("invite-code").inner_text()
    assert re.fullmatch(r"\d{6}", code)
    desk.screenshot(path=str(artifacts_dir / "live_manager_invite.png"), full_page=True)

    _customer_sign_in(phone, server, li.phone)
    phone.goto(f"{server.base_url}/m/live/")
    phone.get_by_test_id("enter-invite").click()
    phone.get_by_test_id("invite-code").fill("000000" if code != "000000" else "111111")
    phone.locator("form button[type=submit]").last.click()
    expect(phone.get_by_test_id("invite-error")).to_have_text("This invite code is not valid.")
    phone.get_by_test_id("invite-code").fill(code)
    phone.locator("form button[type=submit]").last.click()
    expect(phone).to_have_url(re.compile(r"/m/live/s/\d+$"))
    desk.locator("#staff-alerts a").click()  # "accepted your invite" arrives live
    expect(desk).to_have_url(re.compile(r"/live/sessions/\d+$"))

    phone.get_by_test_id("media-allow").click()
    expect(phone.get_by_test_id("video-fallback")).to_contain_text("No camera or microphone")
    expect(desk.get_by_test_id("video-fallback")).to_contain_text("continue in chat")
    expect(desk.get_by_test_id("chat")).to_contain_text("continues in chat")

    _staff_sign_in(boss, server, server.world.staff["supervisor"])
    boss.goto(f"{server.base_url}/live/board")
    expect(boss.get_by_test_id("board-active")).to_have_text("1")
    boss.screenshot(path=str(artifacts_dir / "live_supervisor_board.png"), full_page=True)
    boss.locator("[data-testid^=monitor-]").first.click()
    expect(boss).to_have_url(re.compile(r"/live/sessions/\d+$"))
    expect(phone.get_by_test_id("presence")).to_contain_text("A supervisor is present")
    expect(phone.get_by_test_id("chat")).to_contain_text("A supervisor has joined")
    phone.get_by_test_id("chat-input").fill("Thanks, chat is fine")
    phone.get_by_test_id("chat-send").click()
    expect(boss.get_by_test_id("chat")).to_contain_text("Thanks, chat is fine")
    phone.screenshot(path=str(artifacts_dir / "live_customer_fallback.png"), full_page=True)

    supervisor_id = server.world.staff["supervisor"].id
    desk.select_option("select[name=to_staff_id]", str(supervisor_id))
    desk.fill("textarea[name=note]", "Customer asks for a fee waiver")
    desk.get_by_test_id("transfer").click()
    expect(desk.locator(".flash-success")).to_contain_text("handed over to Supervisor1")
    expect(boss.get_by_test_id("end-session")).to_be_visible()  # reloaded as the serving agent
    expect(phone.get_by_test_id("chat")).to_contain_text("You are now talking to Supervisor1.")
    boss.get_by_test_id("chat-input").fill("I can waive the fee.")
    boss.get_by_test_id("chat-send").click()
    expect(phone.get_by_test_id("chat")).to_contain_text("I can waive the fee.")
    assert errors == []
    for context in (desk_ctx, boss_ctx, phone_ctx):
        context.close()
