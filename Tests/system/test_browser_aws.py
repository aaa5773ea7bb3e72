"""The AWS pages in headless Chromium: enter keys for the session, browse EC2 instances with their SSM status,
sync the selected ones as targets, open a tool with them selected; no CSP violations."""
import boto3
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from aws_world import BASE_KEYS, MOTO, SSH, Emulator, fleet_entry, server_env
from conftest import Server
from test_browser import browser, console_problems, shot, sign_in  # noqa: F401 (fixture)

pytestmark = pytest.mark.skipif(not (MOTO and SSH), reason="needs moto_server and sshd (scripts/test starts both)")


@pytest.fixture
def aws_site(data_dir, tmp_path):
    ec2 = boto3.client("ec2", endpoint_url=MOTO, region_name="us-east-2", **BASE_KEYS)
    image = next(i["ImageId"] for i in ec2.describe_images()["Images"] if i.get("Platform") != "windows")
    made = ec2.run_instances(ImageId=image, MinCount=3, MaxCount=3, TagSpecifications=[{
        "ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "browser-web"}, {"Key": "team", "Value": "ops"}]}])
    ids = [i["InstanceId"] for i in made["Instances"]]
    account = boto3.client("sts", endpoint_url=MOTO, region_name="us-east-2", **BASE_KEYS).get_caller_identity()["Account"]
    emulator = Emulator([fleet_entry(i, account, "us-east-2") for i in ids])
    emulator.control("/_emulator/credentials", {"access_key_id": BASE_KEYS["aws_access_key_id"],
                                                "secret_access_key": BASE_KEYS["aws_secret_access_key"],
                                                "account": account, "partition": "aws"})
    server = Server(data_dir, env=server_env(emulator.url, tmp_path))
    yield server, ids
    server.stop()
    emulator.stop()


def test_keys_instances_and_sync_in_a_real_browser(browser, aws_site):  # noqa: F811
    server, ids = aws_site
    sign_in(browser, server, "admin", server.admin_password())
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".stats")))
    browser.get(server.url + "/aws")
    gov = browser.find_element(By.ID, "aws-gov")
    gov.find_element(By.TAG_NAME, "summary").click()
    gov.find_element(By.NAME, "access_key_id").send_keys("AKIAGOVBROWSER000001")
    gov.find_element(By.NAME, "secret_access_key").send_keys("browser-secret-value")
    gov.find_element(By.CSS_SELECTOR, "button.primary").click()
    WebDriverWait(browser, 15).until(EC.text_to_be_present_in_element((By.ID, "aws-gov"), "keys entered for this session"))
    assert "browser-secret-value" not in browser.page_source
    shot(browser, "aws")

    browser.get(server.url + "/aws/instances")
    browser.find_element(By.CSS_SELECTOR, "input[name=region][value=us-east-2]").click()
    browser.find_element(By.ID, "i-tag").send_keys("team=ops")
    browser.find_element(By.CSS_SELECTOR, ".instance-search button.primary").click()
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.ID, "instances")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#instances tbody tr")
    assert len(rows) == 3 and all("Online" in r.text for r in rows)
    shot(browser, "aws-instances")
    for box in browser.find_elements(By.CSS_SELECTOR, "#instances input.pick"):
        box.click()
    browser.find_element(By.CSS_SELECTOR, "button[value=sync]").click()
    WebDriverWait(browser, 20).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "3 added"))
    assert "browser-web" in browser.page_source

    browser.get(server.url + "/aws/instances?search=1&environment=com&region=us-east-2&tag=team%3Dops")
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.ID, "instances")))
    browser.find_element(By.CSS_SELECTOR, "#instances input.pick").click()
    browser.find_element(By.CSS_SELECTOR, "button[value=run]").click()
    WebDriverWait(browser, 20).until(EC.url_contains("/tools/"))
    checked = browser.find_elements(By.CSS_SELECTOR, "input[name='targets[]']:checked")
    assert len(checked) == 1 and checked[0].get_attribute("value").startswith("browser-web")
    assert console_problems(browser) == []


def test_the_selection_form_refuses_bad_input(aws_site):
    import re
    import requests
    from conftest import csrf_of, login
    server, ids = aws_site
    session = login(server.url, "admin", server.admin_password())
    token = csrf_of(session, server.url)
    post = lambda data: session.post(server.url + "/aws/instances/selection", data={**data, "csrf_token": token})  # noqa: E731
    empty = post({"action": "sync"})
    assert empty.status_code == 200 and "Select at least one instance" in empty.text
    garbage = post({"selected[]": "com|12|us-east-2|i-x", "action": "sync"})
    assert garbage.status_code == 400 and "selected:" in garbage.text
    picked = f"com|123456789012|us-east-2|{ids[0]}"
    assert post({"selected[]": picked, "action": "explode"}).status_code == 400
    no_tool = post({"selected[]": picked, "action": "run", "tool": "nope"})
    assert no_tool.status_code == 400 and "no tool 'nope'" in no_tool.text
    not_synced = post({"selected[]": picked, "action": "run", "tool": "system"})
    assert "Not targets yet" in not_synced.text and re.search(ids[0], not_synced.text)
    bad_search = session.get(server.url + "/aws/instances", params={"search": "1", "environment": "mars"})
    assert bad_search.status_code == 400 and "environment: com or gov" in bad_search.text
