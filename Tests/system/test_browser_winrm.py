"""Headless Chromium: a Windows account and a Windows target added through the forms, the target page flagging
certificate verification off, test connection with the elevation check against the WinRM emulator, and
windows-system.ping run from the tool page; at phone width without sideways scrolling, no CSP violations."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import cli
from test_browser import browser, console_problems, shot, sign_in  # noqa: F401 (fixture)
from test_winrm_targets import W, needs_winrm


def wait(driver, seconds=20):
    return WebDriverWait(driver, seconds)


def fill(driver, field_id, text):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


@needs_winrm
def test_a_windows_target_is_added_tested_and_run_on_from_the_ui(browser, server):
    sign_in(browser, server, "admin", server.admin_password())
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))

    # The account: kind winrm, the user name with its domain given apart.
    browser.get(server.url + "/inventory/credentials")
    fill(browser, "c-name", "win-admin")
    Select(browser.find_element(By.ID, "c-kind")).select_by_value("winrm")
    fill(browser, "c-username", W["USER"])
    fill(browser, "c-password", W["PASSWORD"])
    browser.find_element(By.XPATH, "//button[text()='Add credential']").click()
    wait(browser).until(lambda d: "Added credential win-admin" in d.page_source)
    assert "windows local account" in browser.find_element(By.TAG_NAME, "table").text

    # The target: https on the emulator's port, verification explicitly off.
    browser.get(server.url + "/inventory/new-target")
    fill(browser, "t-name", "win01")
    fill(browser, "t-address", "127.0.0.1")
    fill(browser, "t-port", W["HTTPS_PORT"])
    Select(browser.find_element(By.ID, "t-transport")).select_by_value("winrm")
    Select(browser.find_element(By.ID, "t-os")).select_by_value("windows")
    Select(browser.find_element(By.ID, "t-credential")).select_by_value("win-admin")
    Select(browser.find_element(By.ID, "t-winrm-scheme")).select_by_value("https")
    Select(browser.find_element(By.ID, "t-tls-verify")).select_by_value("off")
    browser.find_element(By.XPATH, "//button[text()='Add target']").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "t-winrm-auth")))
    facts = browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert f"https://127.0.0.1:{W['HTTPS_PORT']}/wsman" in facts
    assert "accepts any certificate" in facts

    # Test connection, requiring an elevated session.
    browser.find_element(By.NAME, "admin").click()
    browser.find_element(By.XPATH, "//button[text()='Test connection']").click()
    result = wait(browser, 60).until(EC.presence_of_element_located((By.ID, "test-result")))
    assert "Connection OK" in result.text, result.text
    for stage in ("connect", "tls", "authentication", "shell", "exec", "admin"):
        assert f"{stage} " in result.text
    shot(browser, "windows-target")

    # windows-system.ping from the tool page.
    browser.get(server.url + "/tools/windows-system")
    wait(browser).until(EC.presence_of_element_located((By.ID, "run-form")))
    browser.find_element(By.ID, "choice-action-ping").click()
    Select(browser.find_element(By.ID, "pick-os")).select_by_value("windows")
    browser.find_element(By.ID, "pick-all").click()
    browser.find_element(By.ID, "run-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "run")))
    wait(browser, 60).until(lambda d: d.find_element(By.ID, "count-succeeded").text == "1")
    wait(browser, 15).until(lambda d: "ok: " in d.find_element(By.CSS_SELECTOR, "#output").text)
    assert console_problems(browser) == []

    # The target page at phone width.
    browser.set_window_size(390, 844)
    browser.get(server.url + "/targets/win01")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, f"the Windows target page scrolls sideways on a phone ({width}px)"
    assert console_problems(browser) == []


def test_the_target_list_flags_unverified_certificates(browser, server, data_dir):
    cli("targets", "add", "w-off", "--transport", "winrm", "--tls-verify", "off", data_dir=data_dir)
    cli("targets", "add", "w-on", "--transport", "winrm", data_dir=data_dir)
    sign_in(browser, server, "admin", server.admin_password())
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    browser.get(server.url + "/targets")
    rows = {row.find_element(By.TAG_NAME, "a").text: row.text
            for row in browser.find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert "TLS unverified" in rows["w-off"]
    assert "TLS unverified" not in rows["w-on"]
