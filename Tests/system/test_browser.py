"""Headless Chromium against the real server: sign in, the dashboard, admin pages, no CSP violations."""
import os

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

SCREENSHOTS = os.environ.get("PCMOPS_SCREENSHOTS")


def chromium_binary():
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if os.path.exists(path):
            return path
    pytest.fail("Chromium is not installed; scripts/test installs it")


@pytest.fixture
def browser():
    options = Options()
    options.binary_location = chromium_binary()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--no-first-run", "--disable-extensions",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def console_problems(driver):
    """Console entries that are CSP violations or errors of any kind."""
    entries = driver.get_log("browser")
    return [e for e in entries
            if e["level"] in ("SEVERE", "WARNING") or "Content Security Policy" in e["message"]
            or "Refused to" in e["message"]]


def shot(driver, name):
    if SCREENSHOTS:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        driver.save_screenshot(os.path.join(SCREENSHOTS, name + ".png"))


def sign_in(driver, server, username, password):
    driver.get(server.url + "/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()


def test_sign_in_shows_the_dashboard_without_csp_violations(browser, server):
    sign_in(browser, server, "admin", server.admin_password())
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    assert browser.current_url.rstrip("/") == server.url
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dashboard"
    users = browser.find_element(By.CSS_SELECTOR, "#admin-stats a[href='/admin/users'] .stat-value").text
    assert users == "1", users  # one active user: the admin
    stylesheet_applied = browser.execute_script(
        "return getComputedStyle(document.querySelector('.topbar')).display")
    assert stylesheet_applied == "flex", "app.css did not load"
    shot(browser, "dashboard")
    for path in ("/admin", "/admin/users", "/admin/tokens", "/admin/audit", "/account/tokens", "/tools", "/runs"):
        browser.get(server.url + path)
        assert browser.find_element(By.TAG_NAME, "h1").text
    shot(browser, "audit")
    assert console_problems(browser) == []


def test_wrong_password_shows_an_error(browser, server):
    sign_in(browser, server, "admin", "definitely not it")
    flash = WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash-error")))
    assert "Invalid username or password" in flash.text
    assert "/login" in browser.current_url
    assert [p for p in console_problems(browser) if "401" not in p["message"]] == []


def test_admin_adds_a_user_who_then_signs_in(browser, server):
    sign_in(browser, server, "admin", server.admin_password())
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    browser.get(server.url + "/admin/users")
    browser.find_element(By.ID, "new-username").send_keys("frank")
    browser.find_element(By.CSS_SELECTOR, "#new-role option[value=operator]").click()
    browser.find_element(By.CSS_SELECTOR, "form.narrow-form button[type=submit]").click()
    secret = WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "revealed-secret"))).text
    assert len(secret) == 20
    shot(browser, "users")
    assert [p for p in console_problems(browser) if "201" not in p["message"]] == []
    # Sign out through the user menu's form (CSRF token in the form), then sign in as the new user.
    browser.find_element(By.CSS_SELECTOR, ".user-menu summary").click()
    browser.find_element(By.CSS_SELECTOR, ".account button").click()
    WebDriverWait(browser, 15).until(EC.url_contains("/login"))
    sign_in(browser, server, "frank", secret)
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    assert "frank" in browser.find_element(By.CSS_SELECTOR, ".account").text
    nav = browser.find_element(By.ID, "nav").text
    assert "Admin" not in nav


def test_phone_width_menu_opens(browser, server):
    browser.set_window_size(390, 844)
    sign_in(browser, server, "admin", server.admin_password())
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    nav = browser.find_element(By.ID, "nav")
    assert not nav.is_displayed()
    browser.find_element(By.CSS_SELECTOR, ".nav-toggle").click()
    WebDriverWait(browser, 5).until(lambda d: nav.is_displayed())
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, f"page scrolls sideways on a phone ({width}px)"
    shot(browser, "phone")
    assert console_problems(browser) == []


def test_targets_page_and_test_connection(browser, server, data_dir):
    from conftest import cli
    ssh_env = os.environ.get("PCMOPS_TEST_SSH")
    cli("targets", "add", "closed-port", "--address", "127.0.0.1", "--port", "1", data_dir=data_dir)
    sign_in(browser, server, "admin", server.admin_password())
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    browser.get(server.url + "/targets")
    assert "closed-port" in browser.find_element(By.TAG_NAME, "table").text
    browser.find_element(By.LINK_TEXT, "closed-port").click()
    browser.find_element(By.XPATH, "//button[text()='Test connection']").click()
    result = WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "test-result")))
    assert "Connection failed at authentication" in result.text and "no credential" in result.text
    shot(browser, "target")
    for path in ("/inventory/groups", "/inventory/credentials", "/inventory/known-hosts", "/inventory/import",
                 "/inventory/new-target"):
        browser.get(server.url + path)
        assert browser.find_element(By.TAG_NAME, "h1").text
    assert console_problems(browser) == []
    assert ssh_env is None or os.path.exists(ssh_env)
