"""Headless Chromium over every main page (issue 16.7), as admin, operator and viewer, at desktop (1440 px) and
phone (390 px) width: no page may log a console error or a CSP violation, scroll sideways or answer 500. Then the
item's points one by one: the user menu, the dashboard's live part and "Getting started", running a tool on
selected targets, run ids that stay whole on a phone."""
import re
import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import Server, clean_env, cli, login
from test_browser import browser, console_problems, shot, sign_in  # noqa: F401 (fixture)

PASSWORD = "pages test password 1"
USERS = {"admin": None, "oscar": "operator", "vera": "viewer"}
WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}

SLOW_TOOL = """\
id: pagekit
name: Page kit
description: A step that takes a few seconds, for pages that change while a run goes on.
category: test
platforms: [linux]
actions:
  - id: nap
    name: Nap
    interpreter: sh
    script: |
      echo napping
      sleep "$PARAM_SECONDS"
      echo awake
    timeout: 120
    parameters:
      - name: seconds
        type: int
        default: "1"
        min: 0
        max: 60
"""


def wait(driver, seconds=20):
    return WebDriverWait(driver, seconds)


@pytest.fixture
def site(data_dir, tmp_path):
    """A server with local targets, a group, a finished run, and a password for every role."""
    tools = tmp_path / "tools"
    (tools / "pagekit").mkdir(parents=True)
    (tools / "pagekit" / "tool.yml").write_text(SLOW_TOOL)
    local = clean_env(PCMOPS_ALLOW_LOCAL="true")
    for name in ("box1", "box2"):
        cli("targets", "add", name, "--transport", "local", "--tags", "role=lab", data_dir=data_dir, env=local)
    cli("targets", "add", "closed", "--address", "127.0.0.1", "--port", "1", "--tags", "role=lab",
        data_dir=data_dir)
    cli("groups", "add", "lab", "--selector", "role=lab", data_dir=data_dir)
    server = Server(data_dir, extra_args=("--tools-dir", str(tools), "--allow-local"))
    for name, role in USERS.items():  # after the first start, which creates the admin
        if role:
            cli("user", "add", name, "--role", role, "--password-stdin", data_dir=data_dir, stdin=PASSWORD + "\n")
    token = cli("token", "create", "--user", "admin", "--name", "pages", data_dir=data_dir).stdout.split()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    response = requests.post(server.url + "/api/v1/runs", headers=headers, json={
        "tool": "system", "action": "ping", "targets": ["box1", "box2"]})
    assert response.status_code == 201, response.text
    run_id = response.json()["id"]
    deadline = time.monotonic() + 60
    while requests.get(f"{server.url}/api/v1/runs/{run_id}", headers=headers).json()["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, "the first run did not end"
        time.sleep(0.2)
    yield {"server": server, "run": run_id, "headers": headers, "password": server.admin_password()}
    server.stop()


def pages(run_id):
    """(path, the status each role gets: admin, operator, viewer)."""
    ok, admin_only = (200, 200, 200), (200, 403, 403)
    return [
        ("/", ok), ("/tools", ok), ("/tools/system", ok), ("/tools/pagekit", ok), ("/runs", ok),
        (f"/runs/{run_id}", ok), (f"/runs/{run_id}?target=box1", ok), ("/targets", ok), ("/targets/box1", ok),
        ("/targets/closed", ok), ("/inventory/groups", ok), ("/inventory/groups/lab", ok),
        ("/inventory/credentials", admin_only), ("/inventory/known-hosts", admin_only),
        ("/inventory/import", admin_only), ("/inventory/new-target", admin_only), ("/aws", ok),
        ("/aws/instances", ok), ("/aws/instances?search=1&environment=com", ok), ("/conductor", ok),
        ("/admin", admin_only), ("/admin/audit", admin_only), ("/admin/users", admin_only),
        ("/admin/tokens", admin_only), ("/account/tokens", ok), ("/account/password", ok), ("/docs", ok),
        ("/no/such/page", (404, 404, 404)), ("/targets/no-such-target", (404, 404, 404)),
    ]


def expected_failure(entry, status):
    """The browser's own note that a page answered 4xx, which an error page is expected to."""
    return status >= 400 and f"status of {status}" in entry["message"]


def test_every_main_page_as_every_role_at_desktop_and_phone_width(browser, site):
    server, run_id = site["server"], site["run"]
    problems = []
    for user in USERS:
        password = site["password"] if user == "admin" else PASSWORD
        session = login(server.url, user, password)
        assert session.last_status == 303, f"{user} cannot sign in"
        browser.delete_all_cookies()
        browser.set_window_size(*WIDTHS["desktop"])
        sign_in(browser, server, user, password)
        wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
        console_problems(browser)
        for path, statuses in pages(run_id):
            status = statuses[list(USERS).index(user)]
            answered = session.get(server.url + path).status_code
            if answered != status:
                problems.append(f"{user} {path}: HTTP {answered}, expected {status}")
            for width, size in WIDTHS.items():
                browser.set_window_size(*size)
                browser.get(server.url + path)
                assert browser.find_element(By.TAG_NAME, "h1").text, f"{user} {path}: no heading"
                inner, scroll = browser.execute_script(
                    "return [window.innerWidth, document.documentElement.scrollWidth]")
                if scroll > inner:
                    problems.append(f"{user} {path} at {width}: scrolls sideways ({scroll} > {inner} px)")
                if status in (403, 404):
                    nav = browser.find_elements(By.ID, "nav")
                    if not nav or not browser.find_elements(By.CSS_SELECTOR, ".user-menu"):
                        problems.append(f"{user} {path}: the error page lost the navigation")
                for entry in console_problems(browser):
                    if not expected_failure(entry, status):
                        problems.append(f"{user} {path} at {width}: console: {entry['message']}")
                shot(browser, f"pages-{user}-{width}-{re.sub('[^a-z0-9]+', '-', path.lower()).strip('-') or 'home'}")
    assert problems == [], "\n".join(problems)


def test_the_user_menu_leads_to_password_tokens_docs_and_signs_out(browser, site):
    server = site["server"]
    sign_in(browser, server, "vera", PASSWORD)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    link = browser.find_element(By.CSS_SELECTOR, ".user-menu-items a[href='/account/password']")
    assert not link.is_displayed(), "the menu starts closed"
    browser.find_element(By.CSS_SELECTOR, ".user-menu summary").click()
    wait(browser, 5).until(lambda d: link.is_displayed())
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".user-menu-items a")] == [
        "Change password", "API tokens", "API docs"]
    # a click elsewhere closes it
    browser.find_element(By.TAG_NAME, "h1").click()
    wait(browser, 5).until(lambda d: not link.is_displayed())
    browser.find_element(By.CSS_SELECTOR, ".user-menu summary").click()
    browser.find_element(By.LINK_TEXT, "API docs").click()
    wait(browser).until(EC.url_contains("/docs"))
    browser.find_element(By.CSS_SELECTOR, ".user-menu summary").click()
    browser.find_element(By.LINK_TEXT, "Change password").click()
    wait(browser).until(EC.url_contains("/account/password"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Change password"
    browser.find_element(By.CSS_SELECTOR, ".user-menu summary").click()
    browser.find_element(By.CSS_SELECTOR, ".user-menu-items button").click()
    wait(browser).until(EC.url_contains("/login"))
    assert console_problems(browser) == []


def test_the_dashboard_follows_a_run_without_reloading(browser, site):
    server, headers = site["server"], site["headers"]
    sign_in(browser, server, "oscar", PASSWORD)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    assert browser.find_element(By.ID, "dashboard-live").get_attribute("data-active") == "false"
    response = requests.post(server.url + "/api/v1/runs", headers=headers, json={
        "tool": "pagekit", "action": "nap", "targets": ["box1"], "parameters": {"seconds": 6}})
    assert response.status_code == 201, response.text
    run_id = response.json()["id"]
    browser.get(server.url + "/")
    browser.execute_script("window.pcmNoReload = true")
    live = browser.find_element(By.ID, "dashboard-live")
    assert live.get_attribute("data-active") == "true"
    assert run_id in browser.find_element(By.ID, "running-now").text
    shot(browser, "dashboard-running")
    # the run ends: the live part says so in place, and stops asking
    wait(browser, 60).until(
        lambda d: d.find_element(By.ID, "dashboard-live").get_attribute("data-active") == "false")
    assert browser.find_element(By.ID, "nothing-running").text == "Nothing is running."
    assert browser.execute_script("return window.pcmNoReload === true"), "the page reloaded"
    assert console_problems(browser) == []


def test_getting_started_is_dismissed_for_good(browser, site):
    server = site["server"]
    sign_in(browser, server, "vera", PASSWORD)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    # The site's targets need no credential except `closed`, so the list is still there for everyone.
    browser.find_element(By.ID, "dismiss-getting-started").click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash-success")))
    assert browser.find_elements(By.ID, "getting-started") == []
    browser.refresh()
    assert browser.find_elements(By.ID, "getting-started") == []
    browser.find_element(By.CSS_SELECTOR, ".getting-started-again button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "getting-started")))
    assert console_problems(browser) == []


def test_an_operator_runs_a_tool_on_targets_picked_from_the_list(browser, site):
    server = site["server"]
    sign_in(browser, server, "oscar", PASSWORD)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    browser.get(server.url + "/targets")
    rows = {row.get_attribute("data-target"): row for row in browser.find_elements(By.CSS_SELECTOR, "#targets tbody tr")}
    assert set(rows) == {"box1", "box2", "closed"}
    assert "127.0.0.1:0" not in browser.find_element(By.ID, "targets").text
    assert "this server" in rows["box1"].text
    assert re.search(r"r-\S+ succeeded", rows["box1"].find_element(By.CSS_SELECTOR, "td.last-run").text), \
        rows["box1"].text
    assert "never run" in rows["closed"].text
    browser.find_element(By.ID, "select-all-targets").click()
    assert browser.find_element(By.CSS_SELECTOR, ".selection-count").text == "3 selected"
    browser.find_element(By.ID, "select-closed").click()
    assert browser.find_element(By.CSS_SELECTOR, ".selection-count").text == "2 selected"
    Select(browser.find_element(By.ID, "selection-tool")).select_by_value("pagekit")
    browser.find_element(By.ID, "run-on-selected").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-form")))
    assert "/tools/pagekit?targets=box1,box2" in browser.current_url
    ticked = {box.get_attribute("value") for box in browser.find_elements(By.CSS_SELECTOR, "input[name='targets[]']")
              if box.is_selected()}
    assert ticked == {"box1", "box2"}
    picker = browser.find_element(By.CSS_SELECTOR, ".picker").text
    assert "127.0.0.1:0" not in picker
    for name in ("box1", "box2"):
        row = browser.find_element(By.CSS_SELECTOR, f".pick-row[data-name='{name}']")
        cells = row.find_elements(By.TAG_NAME, "td")
        assert cells[2].text == "this server", cells[2].text
        assert cells[5].text == "not needed (runs on this server)" and "bad" not in cells[5].get_attribute("class")
    # the target page offers the same
    browser.get(server.url + "/targets/box1")
    Select(browser.find_element(By.ID, "run-here-tool")).select_by_value("system")
    browser.find_element(By.CSS_SELECTOR, "#run-here button").click()
    wait(browser).until(EC.url_contains("/tools/system?targets=box1"))
    assert console_problems(browser) == []


def test_run_ids_stay_whole_on_a_phone(browser, site):
    server, run_id = site["server"], site["run"]
    browser.set_window_size(*WIDTHS["phone"])
    sign_in(browser, server, "admin", site["password"])
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    for path in ("/runs", "/targets/box1", "/targets"):
        browser.get(server.url + path)
        links = [a for a in browser.find_elements(By.CSS_SELECTOR, "a code") if a.text == run_id]
        assert links, f"{path}: no link to {run_id}"
        for code in links:
            height, line = browser.execute_script(
                "var s = getComputedStyle(arguments[0]); return [arguments[0].getBoundingClientRect().height,"
                " parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5]", code)
            assert height < 1.6 * line, f"{path}: the run id wraps ({height:.0f}px for a {line:.0f}px line)"
    assert console_problems(browser) == []
