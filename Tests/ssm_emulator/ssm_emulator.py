#!/usr/bin/env python3
"""A faithful AWS SSM Run Command emulator for the test suites (moto's Run Command is hollow).

Speaks SSM's JSON 1.1 wire protocol on 127.0.0.1, verifies every request's SigV4 signature with botocore, and
really runs each command's script on the instance's loopback sshd (so outputs and exit codes are real).
Operations: SendCommand, ListCommands, ListCommandInvocations, GetCommandInvocation, CancelCommand,
DescribeInstanceInformation. Semantics follow the SSM API reference: at most 50 instance ids per SendCommand
(ValidationException), Pending → InProgress → Success | Failed | TimedOut | Cancelled with StatusDetails
(DeliveryTimedOut, ExecutionTimedOut, Undeliverable, Terminated, ...), ListCommandInvocations' plugin Output cut at
2,500 characters, GetCommandInvocation's StandardOutputContent at 24,000 and StandardErrorContent at 8,000,
eventual consistency (an invocation is invisible for `visibility_delay` seconds after SendCommand:
InvocationDoesNotExist), MaxConcurrency, and injectable throttling. See README.md for the fleet file and the
/_emulator/ control endpoints.
"""
import argparse
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from xml.etree import ElementTree
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

LIST_OUTPUT_LIMIT = 2500
STDOUT_LIMIT = 24000
STDERR_LIMIT = 8000
TERMINAL = {"Success", "Failed", "TimedOut", "Cancelled"}
DOCUMENTS = {"AWS-RunShellScript": "aws:runShellScript", "AWS-RunPowerShellScript": "aws:runPowerShellScript"}


class APIError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class Invocation:
    def __init__(self, command, instance_id):
        self.command, self.instance_id = command, instance_id
        self.status, self.details = "Pending", "Pending"
        self.response_code = -1
        self.stdout, self.stderr = "", ""
        self.started = self.ended = None
        self.process = None
        self.cancel_requested = False

    def row(self, details):
        row = {"CommandId": self.command.id, "InstanceId": self.instance_id, "InstanceName": "",
               "Comment": self.command.comment, "DocumentName": self.command.document,
               "RequestedDateTime": self.command.requested, "Status": self.status, "StatusDetails": self.details,
               "StandardOutputUrl": "", "StandardErrorUrl": "", "ServiceRole": "", "CloudWatchOutputConfig": {}}
        if details:
            output = self.stdout
            if self.stderr:
                output += "\n----------ERROR-------\n" + self.stderr
            plugin = {"Name": DOCUMENTS[self.command.document], "Status": self.status,
                      "StatusDetails": self.details, "ResponseCode": self.response_code,
                      "Output": output[:LIST_OUTPUT_LIMIT], "StandardOutputUrl": "", "StandardErrorUrl": "",
                      "OutputS3Region": self.command.region}
            if self.started:
                plugin["ResponseStartDateTime"] = self.started
            if self.ended:
                plugin["ResponseFinishDateTime"] = self.ended
            row["CommandPlugins"] = [plugin]
        return row


class Command:
    def __init__(self, account, region, document, instance_ids, commands, execution_timeout, timeout_seconds,
                 comment, max_concurrency, max_errors):
        self.id = str(uuid.uuid4())
        self.account, self.region, self.document = account, region, document
        self.instance_ids, self.commands = instance_ids, commands
        self.execution_timeout, self.timeout_seconds = execution_timeout, timeout_seconds
        self.comment, self.max_concurrency, self.max_errors = comment, max_concurrency, max_errors
        self.requested = time.time()
        self.invocations = {i: Invocation(self, i) for i in instance_ids}

    def status(self):
        statuses = [inv.status for inv in self.invocations.values()]
        if all(s in TERMINAL for s in statuses):
            for final in ("Cancelled", "TimedOut", "Failed"):
                if final in statuses:
                    return final
            return "Success"
        return "InProgress" if any(s != "Pending" for s in statuses) else "Pending"

    def shape(self):
        invs = self.invocations.values()
        return {"CommandId": self.id, "DocumentName": self.document, "Comment": self.comment,
                "InstanceIds": self.instance_ids, "Parameters": {"commands": self.commands,
                                                                  "executionTimeout": [str(self.execution_timeout)]},
                "Status": self.status(), "StatusDetails": self.status(), "RequestedDateTime": self.requested,
                "TimeoutSeconds": self.timeout_seconds, "MaxConcurrency": self.max_concurrency,
                "MaxErrors": self.max_errors, "TargetCount": len(self.instance_ids),
                "CompletedCount": sum(1 for i in invs if i.status in TERMINAL),
                "ErrorCount": sum(1 for i in invs if i.status in ("Failed", "TimedOut")),
                "DeliveryTimedOutCount": sum(1 for i in invs if i.details == "DeliveryTimedOut")}


def limit_of(text, total):
    """MaxConcurrency / MaxErrors: "10" or "10%" of `total` (at least 1 for a percentage above 0)."""
    text = str(text or "").strip()
    try:
        if text.endswith("%"):
            value = float(text[:-1])
            return max(1, int(total * value / 100)) if value > 0 else 0
        return int(text)
    except ValueError:
        raise APIError("ValidationException", f"'{text}' is not a number or a percentage")


class Emulator:
    def __init__(self, fleet, moto_url=None):
        self.lock = threading.RLock()
        self.lookup_lock = threading.Lock()
        self.credentials = {c["access_key_id"]: c for c in fleet.get("credentials", [])}
        self.instances = {}
        self.add_instances(fleet.get("instances", []))
        self.commands = {}
        self.order = []
        self.moto_url = moto_url
        self.settings = {"visibility_delay": 0.3, "delivery_timeout_scale": 1.0}
        self.throttle = {"count": 0, "operations": []}
        self.calls, self.throttled, self.instances_per_send = {}, 0, []
        self.list_pages = {}

    def add_instances(self, items):
        for item in items:
            ssh = item.get("ssh")
            if ssh and not ssh.get("known_hosts"):
                raise APIError("ValidationException", f"{item['instance_id']}: ssh needs a known_hosts file")
            self.instances[item["instance_id"]] = dict(item)

    # --- authentication -------------------------------------------------------------------------------------
    def credential(self, access_key):
        with self.lock:
            found = self.credentials.get(access_key)
        if found or not self.moto_url:
            return found
        # Keys minted by moto's STS without passing through relay_sts (a test calling moto directly) are looked up
        # in moto's own state. /moto-api/data.json serialises every model moto holds (14 MB and 3-4 s on a busy
        # machine once a few regions' images are loaded), so one lookup runs at a time, the others wait for it and
        # reuse what it learnt, and a slow or failed read is tried again instead of calling a good key unknown.
        with self.lookup_lock:
            with self.lock:
                found = self.credentials.get(access_key)
            if found:
                return found
            for attempt in range(4):
                try:
                    data = json.load(urllib.request.urlopen(self.moto_url + "/moto-api/data.json", timeout=120))
                    break
                except (OSError, ValueError):
                    time.sleep(0.5 * (attempt + 1))
            else:
                return None
            with self.lock:
                for role in (data.get("sts") or {}).get("AssumedRole", []):
                    self.credentials.setdefault(role.get("access_key_id"), {
                        "access_key_id": role.get("access_key_id"), "secret_access_key": role["secret_access_key"],
                        "session_token": role.get("session_token"), "account": role["account_id"],
                        "partition": role.get("partition", "aws")})
                return self.credentials.get(access_key)

    def relay_sts(self, method, path, headers, body):
        """Fronts STS for the server under test (AWS_ENDPOINT_URL_STS): the request goes to moto unchanged, and the
        keys an AssumeRole answer carries are recorded before the answer goes back, so they are known here the
        moment the server has them (no race with a read of moto's state)."""
        if not self.moto_url:
            raise APIError("UnknownOperationException", "STS is relayed only with --moto-url", 400)
        forward = {k: v for k, v in headers.items() if k not in ("host", "content-length", "connection")}
        request = urllib.request.Request(self.moto_url + path, data=body if method == "POST" else None,
                                         headers=forward, method=method)
        try:
            response = urllib.request.urlopen(request, timeout=120)
            status, answer, kind = response.status, response.read(), response.headers.get("Content-Type", "text/xml")
        except urllib.error.HTTPError as error:
            status, answer, kind = error.code, error.read(), error.headers.get("Content-Type", "text/xml")
        query = urllib.parse.parse_qs(body.decode("utf-8", "replace") if method == "POST" else
                                      urllib.parse.urlsplit(path).query)
        if status == 200 and query.get("Action") == ["AssumeRole"]:
            arn = query.get("RoleArn", [""])[0].split(":")
            tree = ElementTree.fromstring(answer)
            found = {child.tag.rsplit("}", 1)[-1]: child.text for child in tree.iter()}
            if len(arn) > 4 and found.get("AccessKeyId"):
                with self.lock:
                    self.credentials[found["AccessKeyId"]] = {
                        "access_key_id": found["AccessKeyId"], "secret_access_key": found["SecretAccessKey"],
                        "session_token": found.get("SessionToken"), "account": arn[4], "partition": arn[1]}
        return status, answer, kind

    def authenticate(self, method, path, headers, body):
        auth = headers.get("authorization", "")
        if not auth.startswith("AWS4-HMAC-SHA256 "):
            raise APIError("MissingAuthenticationTokenException", "Missing Authentication Token")
        fields = dict(part.strip().split("=", 1) for part in auth[len("AWS4-HMAC-SHA256 "):].split(","))
        scope = fields.get("Credential", "").split("/")
        if len(scope) != 5 or scope[4] != "aws4_request":
            raise APIError("IncompleteSignatureException", "Credential scope is malformed")
        access_key, _, region, service, _ = scope
        if service != "ssm":
            raise APIError("InvalidSignatureException", f"Credential should be scoped to correct service: 'ssm'.")
        found = self.credential(access_key)
        if not found:
            raise APIError("UnrecognizedClientException", "The security token included in the request is invalid.")
        if found.get("session_token") and headers.get("x-amz-security-token") != found["session_token"]:
            raise APIError("UnrecognizedClientException", "The security token included in the request is invalid.")
        partition = "aws-us-gov" if region.startswith("us-gov-") else "aws"
        if found.get("partition", "aws") != partition:
            raise APIError("UnrecognizedClientException", "The security token included in the request is invalid.")
        signed = fields.get("SignedHeaders", "").split(";")
        request = AWSRequest(method=method, url=f"http://{headers.get('host', '')}{path}", data=body,
                             headers={name: headers.get(name, "") for name in signed})
        request.context["timestamp"] = headers.get("x-amz-date", "")
        signer = SigV4Auth(Credentials(access_key, found["secret_access_key"], found.get("session_token")), "ssm",
                           region)
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        if expected != fields.get("Signature"):
            raise APIError("InvalidSignatureException",
                           "The request signature we calculated does not match the signature you provided. "
                           "Check your AWS Secret Access Key and signing method.")
        return found["account"], region

    # --- helpers ----------------------------------------------------------------------------------------------
    def visible(self, command):
        return time.time() - command.requested >= self.settings["visibility_delay"]

    def command_of(self, body, account, region):
        command = self.commands.get(body.get("CommandId", ""))
        if not command or command.account != account or command.region != region:
            raise APIError("InvalidCommandId", "")
        return command

    @staticmethod
    def page(items, body, maximum, low=1, high=50):
        size = body.get("MaxResults", maximum)
        if not isinstance(size, int) or not low <= size <= high:
            raise APIError("ValidationException",
                           f"1 validation error detected: Value '{size}' at 'maxResults' failed to satisfy "
                           f"constraint: Member must have value between {low} and {high}")
        token = body.get("NextToken")
        start = 0
        if token:
            try:
                start = int(token.split(":", 1)[1]) if token.startswith("page:") else -1
            except ValueError:
                start = -1
            if start < 0 or start > len(items):
                raise APIError("InvalidNextToken", "The specified token is not valid.")
        chunk = items[start:start + size]
        next_token = f"page:{start + size}" if start + size < len(items) else None
        return chunk, next_token

    # --- operations -------------------------------------------------------------------------------------------
    def SendCommand(self, body, account, region):
        document = body.get("DocumentName")
        if document not in DOCUMENTS:
            raise APIError("InvalidDocument", f"Document {document} does not exist in your account")
        if "Targets" in body:
            raise APIError("ValidationException", "this emulator takes InstanceIds only")
        ids = body.get("InstanceIds") or []
        if not 1 <= len(ids) <= 50:
            raise APIError("ValidationException",
                           "1 validation error detected: Value at 'instanceIds' failed to satisfy constraint: "
                           "Member must have length less than or equal to 50")
        parameters = body.get("Parameters") or {}
        commands = parameters.get("commands")
        if not isinstance(commands, list) or not commands:
            raise APIError("InvalidParameters", "Parameter \"commands\" is required")
        try:
            execution_timeout = int((parameters.get("executionTimeout") or ["3600"])[0])
            timeout_seconds = int(body.get("TimeoutSeconds", 3600))
        except (TypeError, ValueError):
            raise APIError("InvalidParameters", "executionTimeout and TimeoutSeconds are whole seconds")
        if not 30 <= timeout_seconds <= 2592000:
            raise APIError("ValidationException", "TimeoutSeconds must be between 30 and 2592000")
        comment = body.get("Comment", "")
        if len(comment) > 100:
            raise APIError("ValidationException", "Comment must have length less than or equal to 100")
        with self.lock:
            for instance_id in ids:
                instance = self.instances.get(instance_id)
                if not instance or instance["account"] != account or instance["region"] != region:
                    raise APIError("InvalidInstanceId", f"Instances [[{instance_id}]] not in a valid state for "
                                                        "account " + account)
            command = Command(account, region, document, ids, commands, execution_timeout, timeout_seconds, comment,
                              body.get("MaxConcurrency", "50"), body.get("MaxErrors", "0"))
            limit_of(command.max_concurrency, len(ids))
            limit_of(command.max_errors, len(ids))
            self.commands[command.id] = command
            self.order.append(command.id)
            self.instances_per_send.append(len(ids))
        shape = command.shape()
        threading.Thread(target=self.dispatch, args=(command,), daemon=True).start()
        return {"Command": shape}

    def dispatch(self, command):
        concurrency = max(1, limit_of(command.max_concurrency, len(command.instance_ids)))
        max_errors = limit_of(command.max_errors, len(command.instance_ids))
        gate = threading.Semaphore(concurrency)
        for instance_id in command.instance_ids:
            gate.acquire()
            invocation = command.invocations[instance_id]
            with self.lock:
                errors = sum(1 for i in command.invocations.values() if i.status in ("Failed", "TimedOut"))
                if invocation.cancel_requested or (max_errors >= 0 and errors > max_errors and errors > 0):
                    if invocation.status == "Pending":
                        invocation.status, invocation.details = "Cancelled", "Cancelled"
                    gate.release()
                    continue
            threading.Thread(target=self.execute, args=(invocation, gate), daemon=True).start()

    def execute(self, invocation, gate):
        try:
            self.run(invocation)
        finally:
            gate.release()

    def run(self, invocation):
        command = invocation.command
        with self.lock:
            instance = self.instances[invocation.instance_id]
            if invocation.cancel_requested:
                invocation.status, invocation.details = "Cancelled", "Cancelled"
                return
        if instance.get("terminated"):
            self.finish(invocation, "Failed", "Terminated", -1)
            return
        if instance.get("ping", "Online") != "Online":
            deadline = time.time() + command.timeout_seconds * self.settings["delivery_timeout_scale"]
            while time.time() < deadline and not invocation.cancel_requested:
                time.sleep(0.05)
            if not invocation.cancel_requested:
                self.finish(invocation, "TimedOut", "DeliveryTimedOut", -1)
            return
        wanted = "Windows" if command.document == "AWS-RunPowerShellScript" else "Linux"
        if instance.get("platform", "Linux") != wanted:
            self.finish(invocation, "Failed", "Undeliverable", -1)
            return
        shell = ["pwsh", "-NoProfile", "-Command", "-"] if wanted == "Windows" else ["sh", "-s"]
        ssh = instance.get("ssh")
        if ssh:
            # Host keys are checked strictly against the fleet's known_hosts file; there is no accept-any path.
            argv = ["ssh", "-i", ssh["key"], "-p", str(ssh["port"]), "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                    "-o", "StrictHostKeyChecking=yes", "-o", f"UserKnownHostsFile={ssh['known_hosts']}",
                    "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", "KexAlgorithms=curve25519-sha256", f"{ssh['user']}@{ssh['host']}", *shell]
        else:
            argv = shell  # "local" instances (benchmarks): the script runs here, as the emulator's user
        with self.lock:
            if invocation.cancel_requested:
                invocation.status, invocation.details = "Cancelled", "Cancelled"
                return
            invocation.status, invocation.details = "InProgress", "InProgress"
            invocation.started = time.time()
            invocation.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                  stderr=subprocess.PIPE)
        script = ("\n".join(command.commands) + "\n").encode()
        try:
            out, err = invocation.process.communicate(script, timeout=command.execution_timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            invocation.process.kill()
            out, err = invocation.process.communicate()
            timed_out = True
        invocation.stdout = out.decode("utf-8", "replace")
        invocation.stderr = err.decode("utf-8", "replace")
        code = invocation.process.returncode
        if invocation.cancel_requested:
            self.finish(invocation, "Cancelled", "Cancelled", -1)
        elif timed_out:
            self.finish(invocation, "TimedOut", "ExecutionTimedOut", -1)
        elif code == 0:
            self.finish(invocation, "Success", "Success", 0)
        else:
            self.finish(invocation, "Failed", "Failed", code)

    def finish(self, invocation, status, details, code):
        with self.lock:
            invocation.status, invocation.details, invocation.response_code = status, details, code
            invocation.ended = time.time()

    def ListCommandInvocations(self, body, account, region):
        with self.lock:
            command = self.command_of(body, account, region)
            pages = self.list_pages.setdefault(command.id, [0, 0])
            pages[0 if not body.get("NextToken") else 1] += 1
            rows = []
            if self.visible(command):
                wanted = body.get("InstanceId")
                rows = [inv.row(bool(body.get("Details"))) for iid, inv in command.invocations.items()
                        if wanted in (None, iid)]
            chunk, token = self.page(rows, body, 50)
        result = {"CommandInvocations": chunk}
        if token:
            result["NextToken"] = token
        return result

    def GetCommandInvocation(self, body, account, region):
        if not body.get("CommandId") or not body.get("InstanceId"):
            raise APIError("ValidationException", "CommandId and InstanceId are required")
        with self.lock:
            command = self.commands.get(body["CommandId"])
            if not command or command.account != account or command.region != region:
                raise APIError("InvocationDoesNotExist", "")
            invocation = command.invocations.get(body["InstanceId"])
            if not invocation or not self.visible(command):
                raise APIError("InvocationDoesNotExist", "")
            elapsed = (invocation.ended or time.time()) - (invocation.started or time.time())
            return {"CommandId": command.id, "InstanceId": invocation.instance_id, "Comment": command.comment,
                    "DocumentName": command.document, "PluginName": DOCUMENTS[command.document],
                    "ResponseCode": invocation.response_code,
                    "ExecutionStartDateTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z",
                                                            time.gmtime(invocation.started)) if invocation.started else "",
                    "ExecutionElapsedTime": f"PT{elapsed:.3f}S",
                    "ExecutionEndDateTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z",
                                                          time.gmtime(invocation.ended)) if invocation.ended else "",
                    "Status": invocation.status, "StatusDetails": invocation.details,
                    "StandardOutputContent": invocation.stdout[:STDOUT_LIMIT], "StandardOutputUrl": "",
                    "StandardErrorContent": invocation.stderr[:STDERR_LIMIT], "StandardErrorUrl": "",
                    "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False}}

    def CancelCommand(self, body, account, region):
        with self.lock:
            command = self.command_of(body, account, region)
            ids = body.get("InstanceIds") or list(command.invocations)
            for instance_id in ids:
                invocation = command.invocations.get(instance_id)
                if not invocation or invocation.status in TERMINAL:
                    continue
                invocation.cancel_requested = True
                if invocation.status == "Pending":
                    invocation.status, invocation.details = "Cancelled", "Cancelled"
                    invocation.ended = time.time()
                else:
                    invocation.status, invocation.details = "Cancelling", "Cancelling"
                    if invocation.process and invocation.process.poll() is None:
                        invocation.process.kill()
        return {}

    def ListCommands(self, body, account, region):
        with self.lock:
            wanted = body.get("CommandId")
            rows = [self.commands[c].shape() for c in reversed(self.order)
                    if self.commands[c].account == account and self.commands[c].region == region
                    and wanted in (None, c)]
            if wanted and not rows:
                raise APIError("InvalidCommandId", "")
            chunk, token = self.page(rows, body, 50)
        result = {"Commands": chunk}
        if token:
            result["NextToken"] = token
        return result

    def DescribeInstanceInformation(self, body, account, region):
        wanted = None
        for item in body.get("InstanceInformationFilterList") or []:
            if item.get("key") == "InstanceIds":
                wanted = set(item.get("valueSet") or [])
        for item in body.get("Filters") or []:
            if item.get("Key") == "InstanceIds":
                wanted = set(item.get("Values") or [])
            else:
                raise APIError("InvalidFilterKey", f"filter key {item.get('Key')} is not supported here")
        with self.lock:
            rows = []
            for iid, instance in sorted(self.instances.items()):
                if instance["account"] != account or instance["region"] != region or instance.get("terminated"):
                    continue
                if wanted is not None and iid not in wanted:
                    continue
                windows = instance.get("platform", "Linux") == "Windows"
                rows.append({"InstanceId": iid, "PingStatus": instance.get("ping", "Online"),
                             "LastPingDateTime": time.time(), "AgentVersion": "3.3.0.0", "IsLatestVersion": True,
                             "PlatformType": "Windows" if windows else "Linux",
                             "PlatformName": "Microsoft Windows Server 2022" if windows else "Amazon Linux",
                             "PlatformVersion": "2022" if windows else "2023", "ResourceType": "EC2Instance",
                             "IPAddress": "127.0.0.1", "ComputerName": iid})
            chunk, token = self.page(rows, body, 50, low=5, high=50)
        result = {"InstanceInformationList": chunk}
        if token:
            result["NextToken"] = token
        return result

    OPERATIONS = ("SendCommand", "ListCommands", "ListCommandInvocations", "GetCommandInvocation", "CancelCommand",
                  "DescribeInstanceInformation")

    def call(self, operation, body, account, region):
        with self.lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1
            if self.throttle["count"] > 0 and (not self.throttle["operations"]
                                               or operation in self.throttle["operations"]):
                self.throttle["count"] -= 1
                self.throttled += 1
                raise APIError("ThrottlingException", "Rate exceeded")
        if operation not in self.OPERATIONS:
            raise APIError("UnknownOperationException", f"Unknown operation {operation}")
        return getattr(self, operation)(body, account, region)

    # --- control ------------------------------------------------------------------------------------------------
    def control(self, method, path, body):
        with self.lock:
            if path == "/_emulator/stats":
                return {"calls": dict(self.calls), "throttled": self.throttled,
                        "instances_per_send": list(self.instances_per_send),
                        "list_rounds": {c: p[0] for c, p in self.list_pages.items()},
                        "list_extra_pages": {c: p[1] for c, p in self.list_pages.items()}}
            if method == "POST" and path == "/_emulator/reset-stats":
                self.calls, self.throttled, self.instances_per_send = {}, 0, []
                self.list_pages = {}
                return {}
            if method == "POST" and path == "/_emulator/throttle":
                self.throttle = {"count": int(body.get("count", 0)), "operations": body.get("operations") or []}
                return {}
            if method == "POST" and path == "/_emulator/settings":
                self.settings.update({k: float(v) for k, v in body.items() if k in self.settings})
                return dict(self.settings)
            if method == "POST" and path == "/_emulator/credentials":
                for item in body if isinstance(body, list) else [body]:
                    self.credentials[item["access_key_id"]] = item
                return {}
            if method == "POST" and path == "/_emulator/instances":
                self.add_instances(body.get("instances", []))
                return {"instances": len(self.instances)}
            if method == "POST" and path.startswith("/_emulator/instances/"):
                instance = self.instances.get(path.rsplit("/", 1)[1])
                if not instance:
                    raise APIError("NotFound", "no such instance", 404)
                instance.update(body)
                return instance
            if path == "/_emulator/commands":
                return {"commands": [self.commands[c].shape() for c in self.order]}
        raise APIError("NotFound", f"no control endpoint {method} {path}", 404)


def make_handler(emulator):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, payload):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def handle_any(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                if self.path.startswith("/_emulator/"):
                    self.reply(200, emulator.control(method, self.path, json.loads(raw or b"{}")))
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                if "/sts/aws4_request" in headers.get("authorization", ""):
                    status, answer, kind = emulator.relay_sts(method, self.path, headers, raw)
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                    return
                account, region = emulator.authenticate(method, self.path, headers, raw)
                target = headers.get("x-amz-target", "")
                if not target.startswith("AmazonSSM."):
                    raise APIError("UnknownOperationException", f"Unknown target {target}")
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    raise APIError("SerializationException", "the body is not JSON")
                self.reply(200, emulator.call(target.split(".", 1)[1], body, account, region))
            except APIError as error:
                self.reply(error.status, {"__type": error.code, "message": error.message})

        def do_POST(self):
            self.handle_any("POST")

        def do_GET(self):
            self.handle_any("GET")

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fleet", help="fleet JSON file (credentials and instances)")
    parser.add_argument("--port-file")
    parser.add_argument("--moto-url", help="look up keys issued by moto's STS (AssumeRole) in its state")
    args = parser.parse_args()
    fleet = json.load(open(args.fleet)) if args.fleet else {}
    emulator = Emulator(fleet, moto_url=args.moto_url)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(emulator))
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(str(port))
    print(f"listening on http://127.0.0.1:{port}", flush=True)

    def stop(*_):
        with emulator.lock:
            for command in emulator.commands.values():
                for invocation in command.invocations.values():
                    if invocation.process and invocation.process.poll() is None:
                        invocation.process.kill()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
