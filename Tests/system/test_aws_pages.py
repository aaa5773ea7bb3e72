"""`pcm-ops aws whoami`, the `/aws` page (status, keys for the session, refresh, clear) and accounts, against a
real moto_server started by scripts/test (PCMOPS_TEST_MOTO_URL)."""
import json
import os
import re
import sqlite3

import pytest
import requests

from conftest import Server, clean_env, cli, csrf_of, login

MOTO = os.environ.get("PCMOPS_TEST_MOTO_URL")
MOTO_AUTH = os.environ.get("PCMOPS_TEST_MOTO_AUTH_URL")
pytestmark = pytest.mark.skipif(not MOTO, reason="needs PCMOPS_TEST_MOTO_URL (scripts/test starts moto_server)")
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYsecret"


def aws_env(tmp_path, **extra):
    """The process environment with every AWS variable replaced: moto's endpoint, no IMDS, an empty HOME."""
    env = clean_env()
    env.update({"AWS_ENDPOINT_URL": MOTO, "AWS_EC2_METADATA_DISABLED": "true", "HOME": str(tmp_path)})
    env.update(extra)
    return env


def test_whoami_prints_account_and_partition_arn(tmp_path):
    env = aws_env(tmp_path, AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY=SECRET)
    text = cli("aws", "whoami", "--environment", "com", env=env).stdout
    assert re.search(r"account\s+123456789012", text)
    assert "arn:aws:" in text and "credentials  environment" in text
    gov = json.loads(cli("aws", "whoami", "--environment", "gov", "--output", "json", env=env).stdout)
    assert gov["partition"] == "aws-us-gov" and gov["arn"].startswith("arn:aws-us-gov:")
    assert gov["account"] == "123456789012" and gov["source"] == "environment"


def test_whoami_uses_the_environments_own_profile(tmp_path):
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text(
        "[gov-admin]\naws_access_key_id = AKIAGOVPROFILE000001\naws_secret_access_key = govsecret\n")
    env = aws_env(tmp_path, PCMOPS_AWS_GOV_PROFILE="gov-admin", AWS_ACCESS_KEY_ID="AKIACOMKEY0000000001",
                  AWS_SECRET_ACCESS_KEY="comsecret")
    gov = json.loads(cli("aws", "whoami", "--environment", "gov", "--output", "json", env=env).stdout)
    assert gov["source"] == "profile 'gov-admin'"
    com = json.loads(cli("aws", "whoami", "--environment", "com", "--output", "json", env=env).stdout)
    assert com["source"] == "environment"


def test_whoami_without_credentials_says_what_it_tried(tmp_path):
    result = cli("aws", "whoami", "--environment", "com", env=aws_env(tmp_path), check=False)
    assert result.returncode == 1
    assert "no AWS credentials found" in result.stderr and "AWS_ACCESS_KEY_ID is not set" in result.stderr


def test_whoami_reports_the_aws_error_code(tmp_path):
    if not MOTO_AUTH:
        pytest.skip("needs PCMOPS_TEST_MOTO_AUTH_URL")
    env = aws_env(tmp_path, AWS_ENDPOINT_URL=MOTO_AUTH, AWS_ACCESS_KEY_ID="AKIANOSUCHUSER000001",
                  AWS_SECRET_ACCESS_KEY="wrong")
    # The signature-checking server lets its first few calls through (the Swift suite normally spends them).
    for _ in range(int(os.environ.get("PCMOPS_TEST_MOTO_FREE_CALLS", "6")) + 1):
        result = cli("aws", "whoami", "--environment", "com", env=env, check=False)
        if result.returncode != 0:
            break
    assert result.returncode == 1
    assert "InvalidClientTokenId" in result.stderr


@pytest.mark.parametrize("args,message", [
    (["--environment", "mars"], "invalid --environment 'mars'"),
    (["--environment", "com", "--output", "xml"], "invalid --output 'xml'"),
    (["--environment", "com", "--profile", "a b"], "invalid --profile"),
])
def test_whoami_refuses_bad_options(tmp_path, args, message):
    result = cli("aws", "whoami", *args, env=aws_env(tmp_path), check=False)
    assert result.returncode != 0 and message in result.stderr


@pytest.fixture
def aws_server(data_dir, tmp_path):
    env = aws_env(tmp_path, AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY=SECRET,
                  PCMOPS_AWS_GOV_PROFILE="missing-profile")
    srv = Server(data_dir, env=env)
    yield srv
    srv.stop()


def admin_session(srv):
    return login(srv.url, "admin", srv.admin_password())


def test_aws_page_shows_both_environments(aws_server):
    session = admin_session(aws_server)
    page = session.get(aws_server.url + "/aws")
    assert page.status_code == 200
    com = page.text.split('id="aws-com"')[1].split('id="aws-gov"')[0]
    assert "connected" in com and "123456789012" in com and "arn:aws:" in com and "server credential chain" in com
    gov = page.text.split('id="aws-gov"')[1]
    assert "status-failed" in gov and "missing-profile" in gov
    assert SECRET not in page.text


def test_keys_entered_are_checked_kept_encrypted_and_cleared(aws_server, data_dir):
    session = admin_session(aws_server)
    token = csrf_of(session, aws_server.url)
    response = session.post(aws_server.url + "/aws/gov/keys", data={
        "access_key_id": "AKIAGOVENTERED0000001", "secret_access_key": SECRET, "csrf_token": token})
    assert response.status_code == 200, response.text
    assert "GOV keys work: account 123456789012" in response.text
    gov = response.text.split('id="aws-gov"')[1]
    assert "keys entered for this session" in gov and "AKIA…0001" in gov and "arn:aws-us-gov:" in gov
    assert SECRET not in response.text and "AKIAGOVENTERED0000001" not in response.text
    with sqlite3.connect(os.path.join(data_dir, "pcm-ops.sqlite")) as db:
        stored = b"".join(row[0] for row in db.execute("SELECT aws_keys FROM sessions WHERE aws_keys IS NOT NULL"))
    assert stored and SECRET.encode() not in stored and b"AKIAGOVENTERED" not in stored
    # Another session does not see them.
    other = admin_session(aws_server)
    assert "keys entered for this session" not in other.get(aws_server.url + "/aws").text
    refreshed = session.post(aws_server.url + "/aws/gov/refresh", data={"csrf_token": token})
    assert "GOV checked: account 123456789012" in refreshed.text
    cleared = session.post(aws_server.url + "/aws/gov/clear", data={"csrf_token": token})
    assert "Cleared the GOV keys" in cleared.text
    assert "keys entered for this session" not in cleared.text.split('id="aws-gov"')[1]


@pytest.mark.parametrize("form,status,message", [
    ({"access_key_id": "short", "secret_access_key": "x"}, 400, "access_key_id: must be 16 to 128"),
    ({"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": ""}, 400, "secret_access_key: required"),
    ({"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "a b"}, 400, "secret_access_key: required"),
])
def test_bad_keys_are_refused_naming_the_field(aws_server, form, status, message):
    session = admin_session(aws_server)
    response = session.post(aws_server.url + "/aws/com/keys", data={**form, "csrf_token": csrf_of(session, aws_server.url)})
    assert response.status_code == status and message in response.text


def test_unknown_environment_is_404_and_viewers_cannot_enter_keys(aws_server, data_dir):
    session = admin_session(aws_server)
    token = csrf_of(session, aws_server.url)
    assert session.post(aws_server.url + "/aws/mars/keys", data={"csrf_token": token}).status_code == 404
    cli("user", "add", "vera", "--role", "viewer", "--password-stdin", data_dir=data_dir,
        stdin="vera has a long password\n")
    viewer = login(aws_server.url, "vera", "vera has a long password")
    page = viewer.get(aws_server.url + "/aws")
    assert page.status_code == 200 and "Enter keys for this session" not in page.text
    response = viewer.post(aws_server.url + "/aws/com/keys", data={
        "access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": SECRET, "csrf_token": csrf_of(viewer, aws_server.url)})
    assert response.status_code == 403


def test_accounts_are_added_validated_and_removed(aws_server):
    session = admin_session(aws_server)
    token = csrf_of(session, aws_server.url)
    added = session.post(aws_server.url + "/aws/accounts", data={
        "environment": "gov", "account_id": "210987654321", "name": "gov-prod", "role_name": "PCMOpsRole",
        "csrf_token": token})
    assert "Added account gov-prod (210987654321)" in added.text
    table = added.text.split('id="aws-accounts"')[1]
    assert "GOV" in table and "PCMOpsRole" in table
    for form, message in [
        ({"environment": "gov", "account_id": "12345", "name": "x"}, "account_id: must be 12 digits"),
        ({"environment": "moon", "account_id": "123456789012", "name": "x"}, "environment: com or gov"),
        ({"environment": "com", "account_id": "123456789012", "name": ""}, "name: 1 to 64"),
        ({"environment": "com", "account_id": "123456789012", "name": "x", "role_name": "bad role"}, "role_name"),
    ]:
        response = session.post(aws_server.url + "/aws/accounts", data={**form, "csrf_token": token})
        assert response.status_code == 400 and message in response.text, (form, response.text[-300:])
    duplicate = session.post(aws_server.url + "/aws/accounts", data={
        "environment": "gov", "account_id": "210987654321", "name": "again", "csrf_token": token})
    assert duplicate.status_code == 409
    removed = session.post(aws_server.url + "/aws/accounts/gov/210987654321/delete", data={"csrf_token": token})
    assert "Removed account 210987654321" in removed.text and "No accounts configured" in removed.text
    missing = session.post(aws_server.url + "/aws/accounts/gov/210987654321/delete", data={"csrf_token": token})
    assert missing.status_code == 404


def test_stored_aws_keys_credential(tmp_path, data_dir):
    stored = cli("credentials", "add", "aws-com", "--username", "AKIASTORED0000000001", "--aws-environment", "com",
                 data_dir=data_dir, stdin=SECRET + "\n")
    assert "Added credential aws-com" in stored.stdout
    second = cli("credentials", "add", "aws-com-2", "--username", "AKIASTORED0000000002", "--aws-environment", "com",
                 data_dir=data_dir, stdin=SECRET + "\n", check=False)
    assert second.returncode == 1 and "already holds the com keys" in second.stderr
    bad = cli("credentials", "add", "aws-x", "--username", "AKIASTORED0000000003", "--aws-environment", "mars",
              data_dir=data_dir, stdin=SECRET + "\n", check=False)
    assert bad.returncode != 0 and "invalid --aws-environment 'mars'" in bad.stderr
    srv = Server(data_dir, env=aws_env(tmp_path))
    try:
        session = admin_session(srv)
        com = session.get(srv.url + "/aws").text.split('id="aws-com"')[1].split('id="aws-gov"')[0]
        assert "stored aws_keys credential" in com and "AKIA…0001" in com and "connected" in com
        assert SECRET not in com
    finally:
        srv.stop()


def test_cli_lists_and_syncs_instances(tmp_path, data_dir):
    import boto3
    keys = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": SECRET}
    ec2 = boto3.client("ec2", endpoint_url=MOTO, region_name="us-west-2", **keys)
    image = next(i["ImageId"] for i in ec2.describe_images()["Images"] if i.get("Platform") != "windows")
    made = ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2, TagSpecifications=[{
        "ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "cli-web"}, {"Key": "cli", "Value": "yes"}]}])
    ids = sorted(i["InstanceId"] for i in made["Instances"])
    env = aws_env(tmp_path, AWS_ACCESS_KEY_ID=keys["aws_access_key_id"], AWS_SECRET_ACCESS_KEY=SECRET)
    args = ["--environment", "com", "--region", "us-west-2", "--filter", "tag=cli=yes"]
    listed = cli("aws", "instances", *args, "--output", "json", data_dir=data_dir, env=env)
    rows = json.loads(listed.stdout)
    assert sorted(r["instance_id"] for r in rows) == ids and all(r["state"] == "running" for r in rows)
    assert "warning:" in listed.stderr and "SSM agent status unknown" in listed.stderr  # moto has no SSM inventory
    synced = cli("aws", "sync", *args, data_dir=data_dir, env=env)
    assert "2 added, 0 updated, 0 unchanged" in synced.stdout
    targets = json.loads(cli("targets", "list", "--transport", "ssm", "--output", "json", data_dir=data_dir).stdout)
    assert len(targets) == 2 and all(t["tags"]["cli"] == "yes" for t in targets)
    assert "1 unchanged" not in cli("aws", "sync", *args, data_dir=data_dir, env=env).stdout.replace("2 unchanged", "")
    for extra, message in [(["--filter", "color=red"], "filter: unknown key 'color'"),
                           (["--filter", "state=melting"], "state: 'melting' is not one of"),
                           (["--account", "12"], "account: must be 12 digits")]:
        bad = cli("aws", "instances", *args, *extra, data_dir=data_dir, env=env, check=False)
        assert bad.returncode == 1 and message in bad.stderr, bad.stderr
    gov = cli("aws", "instances", "--environment", "gov", "--region", "us-east-1", data_dir=data_dir, env=env,
              check=False)
    assert gov.returncode == 1 and "region: 'us-east-1' is not a region of environment gov" in gov.stderr


def test_accounts_are_imported_from_organizations(aws_server):
    import boto3
    org = boto3.client("organizations", endpoint_url=MOTO, region_name="us-east-1",
                       aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key=SECRET)
    try:
        org.create_organization(FeatureSet="ALL")
    except org.exceptions.AlreadyInOrganizationException:
        pass
    org.create_account(Email="payments@example.com", AccountName="payments-prod")
    expected = {a["Id"]: a["Name"] for a in org.list_accounts()["Accounts"] if a["Status"] == "ACTIVE"}
    session = admin_session(aws_server)
    token = csrf_of(session, aws_server.url)
    imported = session.post(aws_server.url + "/aws/accounts/import", data={
        "environment": "com", "role_name": "OrganizationAccountAccessRole", "csrf_token": token})
    assert f"Imported {len(expected)} account(s) from AWS Organizations" in imported.text, imported.text[-500:]
    table = imported.text.split('id="aws-accounts"')[1]
    assert "payments-prod" in table and "OrganizationAccountAccessRole" in table
    again = session.post(aws_server.url + "/aws/accounts/import", data={
        "environment": "com", "role_name": "OrganizationAccountAccessRole", "csrf_token": token})
    assert "Imported 0 account(s)" in again.text
    bad = session.post(aws_server.url + "/aws/accounts/import", data={
        "environment": "com", "role_name": "bad role", "csrf_token": token})
    assert bad.status_code == 400 and "role_name" in bad.text
