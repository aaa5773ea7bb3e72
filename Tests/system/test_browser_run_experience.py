"""Headless Chromium, the run experience (issue 16): times on the run page filled live, the all-targets log live with
its filter and search, a timed-out step's output kept, the runs list (columns, both pagers, refresh while a run is
active), and the run form (hidden parameters, live target count, patterns browsers accept, Back from the preview)."""
import re
import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import Server, cli
from test_browser import browser, console_problems, shot, sign_in  # noqa: F401 (fixture)
from test_run_cli import SSH, TOOLS, claim_marker, fleet, needs_sshd


@pytest.fixture
def lab(data_dir, tmp_path):
    fleet(data_dir, tmp_path, count=3)
    server = Server(data_dir, extra_args=("--tools-dir", TOOLS))
    yield server
    server.stop()


def wait(driver, seconds=30):
    return WebDriverWait(driver, seconds)


def sign_in_admin(driver, server):
    sign_in(driver, server, "admin", server.admin_password())
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))


def api(lab, data_dir):
    token = cli("token", "create", "--user", "admin", "--name", "exp", data_dir=data_dir).stdout.split()[-1]
    return {"Authorization": f"Bearer {token}"}


def start(lab, headers, body):
    response = requests.post(lab.url + "/api/v1/runs", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def wait_api(lab, headers, run_id, predicate, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        executions = requests.get(f"{lab.url}/api/v1/runs/{run_id}/executions", headers=headers).json()
        if predicate(executions):
            return executions
        time.sleep(0.2)
    raise AssertionError(f"never: {executions}")


def visible_lines(driver):
    return [line.text for line in driver.find_elements(By.CSS_SELECTOR, "#all-log .line") if line.is_displayed()]


@needs_sshd
def test_times_fill_in_live_and_a_finished_run_has_no_eta(browser, lab, data_dir):
    sign_in_admin(browser, lab)
    headers = api(lab, data_dir)
    marker = claim_marker()
    run_id = start(lab, headers, {"tool": "testkit", "action": "drip", "targets": ["n1", "n2"],
                                  "parameters": {"code": 1, "marker": marker}})
    browser.get(f"{lab.url}/runs/{run_id}")
    # Started appears in each row while the steps run, with no reload; the ETA shows only while active.
    wait(browser).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#executions td.started time")) == 2)
    assert browser.find_element(By.ID, "eta-part").is_displayed()
    stamp = browser.find_element(By.CSS_SELECTOR, "#executions td.started time")
    assert stamp.get_attribute("datetime").endswith("Z")
    assert "ago" in stamp.text or stamp.text == "just now"
    # The exact time on hover is the reader's local time (app.js), not the server's "2026-12-07 10:20:00 UTC".
    assert not re.match(r"^\d{4}-\d{2}-\d{2} ", stamp.get_attribute("title")), stamp.get_attribute("title")
    open(marker + ".release", "w").close()
    wait(browser, 60).until(lambda d: d.find_element(By.ID, "count-succeeded").text == "2")
    wait(browser).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#executions td.finished time")) == 2)
    times = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#executions td.time")]
    assert all(t.endswith(" s") or "min" in t for t in times), times
    wait(browser).until(lambda d: not d.find_element(By.ID, "eta-part").is_displayed())
    assert browser.find_element(By.ID, "run-finished").is_displayed()
    assert "took" in browser.find_element(By.ID, "run-timing").text
    shot(browser, "run-times-live")
    # Drawn again after the end: the same, from the server.
    browser.get(f"{lab.url}/runs/{run_id}")
    assert not browser.find_element(By.ID, "eta-part").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "#run-finished time").text
    assert console_problems(browser) == []


@needs_sshd
def test_the_all_targets_log_continues_live_with_filter_and_search(browser, lab, data_dir):
    sign_in_admin(browser, lab)
    headers = api(lab, data_dir)
    marker = claim_marker()
    run_id = start(lab, headers, {"tool": "testkit", "action": "drip", "targets": ["n1", "n2"],
                                  "parameters": {"code": 2, "marker": marker}})
    wait_api(lab, headers, run_id, lambda xs: all("line 2" in x["stdout"] and "to stderr" in x["stderr"] for x in xs))
    # act: the page opened mid-step in the all-targets view
    browser.get(f"{lab.url}/runs/{run_id}?view=all")
    wait(browser).until(EC.presence_of_element_located((By.ID, "all-log")))
    drawn = visible_lines(browser)
    for name in ("n1", "n2"):
        assert f"{name} | line 1" in drawn and f"{name} | line 2" in drawn and f"{name} |! to stderr" in drawn
    open(marker + ".release", "w").close()
    # assert: the rest arrives live, prefixed, once each
    wait(browser, 60).until(lambda d: sum(" | after release" in t for t in visible_lines(d)) == 2)
    lines = visible_lines(browser)
    assert sorted(lines) == sorted(set(lines)), "no line twice"
    assert len(lines) == 8, lines
    # search narrows live; failed-only hides every line of a run where nothing failed
    browser.find_element(By.ID, "all-search").send_keys("after")
    wait(browser).until(lambda d: len(visible_lines(d)) == 2)
    browser.find_element(By.ID, "all-search").clear()
    browser.find_element(By.ID, "all-search").send_keys(" ")
    browser.find_element(By.ID, "all-failed").click()
    wait(browser).until(lambda d: visible_lines(d) == [])
    shot(browser, "run-all-targets")
    # the one log downloads in the same form
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    text = requests.get(f"{lab.url}/runs/{run_id}/log.txt?format=prefixed", cookies=cookies).text
    assert "n1 | after release\n" in text and "n2 |! to stderr\n" in text
    assert console_problems(browser) == []


@needs_sshd
def test_a_timed_out_steps_output_stays_on_its_page(browser, lab, data_dir):
    sign_in_admin(browser, lab)
    headers = api(lab, data_dir)
    run_id = start(lab, headers, {"tool": "testkit", "action": "slow", "targets": ["n1"]})
    deadline = time.monotonic() + 120
    while requests.get(f"{lab.url}/api/v1/runs/{run_id}", headers=headers).json()["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.3)
    browser.get(f"{lab.url}/runs/{run_id}?target=n1")
    log = wait(browser).until(EC.presence_of_element_located((By.ID, "log-0")))
    assert log.text == "started"
    assert "timed out" in browser.find_element(By.CSS_SELECTOR, "#executions .status").text
    browser.get(f"{lab.url}/runs/{run_id}?view=all")
    assert "n1 | started" in visible_lines(browser)
    assert console_problems(browser) == []


@needs_sshd
def test_the_runs_list_pages_both_ways_and_follows_an_active_run(browser, lab, data_dir):
    sign_in_admin(browser, lab)
    headers = api(lab, data_dir)
    for value in ("a", "b", "c"):
        start(lab, headers, {"tool": "testkit", "action": "echo", "targets": ["n1"], "parameters": {"value": value}})
    marker = claim_marker()
    active = start(lab, headers, {"tool": "testkit", "action": "drip", "targets": ["n2"],
                                  "parameters": {"code": 1, "marker": marker}})
    wait_api(lab, headers, active, lambda xs: xs[0]["status"] == "running")
    browser.get(f"{lab.url}/runs?limit=25")
    headings = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.runs th")]
    assert "Parameters" in headings and "Source" in headings
    # The table is redrawn every few seconds while a run is active: read a row in one step.
    def row_text(driver):
        return driver.execute_script(
            "var a = document.querySelector(\"a[href='/runs/\" + arguments[0] + \"']\");"
            "return a ? a.closest('tr').innerText : '';", active)

    def row_time(driver):
        return driver.execute_script(
            "var a = document.querySelector(\"a[href='/runs/\" + arguments[0] + \"']\");"
            "var t = a && a.closest('tr').querySelector('time'); return t ? t.textContent : '';", active)

    assert "code=1" in row_text(browser) and "api" in row_text(browser)
    assert row_time(browser)
    open(marker + ".release", "w").close()
    # The row turns succeeded with no reload.
    wait(browser, 90).until(lambda d: "succeeded" in row_text(d))
    # Page size and both pagers.
    Select(browser.find_element(By.ID, "r-limit")).select_by_value("25")
    browser.get(f"{lab.url}/runs?limit=1")
    browser.find_element(By.ID, "older-runs").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "newer-runs")))
    browser.find_element(By.ID, "newer-runs").click()
    wait(browser).until(lambda d: not d.find_elements(By.ID, "newer-runs"))
    assert browser.find_element(By.CSS_SELECTOR, f"a[href='/runs/{active}']")
    assert console_problems(browser) == []


@needs_sshd
def test_the_run_form_counts_targets_keeps_patterns_valid_and_back_keeps_the_form(browser, lab):
    sign_in_admin(browser, lab)
    # Only the chosen action's parameters show: Ping takes none, so the service status's required unit hides.
    browser.get(lab.url + "/tools/system")
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-form")))
    browser.find_element(By.ID, "choice-action-ping").click()
    assert not browser.find_element(By.ID, "param-unit").is_displayed()
    assert not browser.find_element(By.ID, "param-threshold").is_displayed()
    browser.find_element(By.ID, "choice-action-service-status").click()
    assert browser.find_element(By.ID, "param-unit").is_displayed()
    browser.get(lab.url + "/tools/testkit")
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-form")))
    browser.find_element(By.ID, "choice-action-drip").click()
    assert browser.find_element(By.ID, "param-marker").is_displayed()
    # A live count of the targets the run would reach.
    count = browser.find_element(By.ID, "match-count")
    assert count.text == "No target selected yet."
    browser.find_element(By.ID, "pick-n1").click()
    assert count.text == "Will run on 1 target."
    browser.find_element(By.CSS_SELECTOR, "input[name='groups[]'][value='fleet']").click()
    assert count.text == "Will run on 3 targets."
    browser.find_element(By.ID, "run-selector").send_keys("=bad")
    assert "cannot be read" in count.text
    browser.find_element(By.ID, "run-selector").clear()
    browser.find_element(By.ID, "run-selector").send_keys(" ")
    # A value in a pattern-checked field, then Preview: no console error about the pattern.
    code = browser.find_element(By.ID, "param-code")
    code.clear()
    code.send_keys("2")
    browser.find_element(By.ID, "param-marker").send_keys("/tmp/x-1.y")
    browser.find_element(By.ID, "preview-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "preview-summary")))
    assert "3 targets" in browser.find_element(By.ID, "preview-summary").text
    # Back: the form as it was filled in.
    browser.find_element(By.ID, "back-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-form")))
    assert browser.find_element(By.ID, "choice-action-drip").is_selected()
    assert browser.find_element(By.ID, "param-marker").get_attribute("value") == "/tmp/x-1.y"
    assert browser.find_element(By.ID, "pick-n1").is_selected()
    assert browser.find_element(By.CSS_SELECTOR, "input[name='groups[]'][value='fleet']").is_selected()
    assert browser.find_element(By.ID, "match-count").text == "Will run on 3 targets."
    # The limits sit on the line of their labels.
    label = browser.find_element(By.CSS_SELECTOR, "label[for='max-errors']").rect
    field = browser.find_element(By.ID, "max-errors").rect
    assert abs(label["y"] - field["y"]) < field["height"], (label, field)
    shot(browser, "run-form-back")
    assert console_problems(browser) == []
