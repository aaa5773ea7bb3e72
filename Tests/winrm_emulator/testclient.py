"""A deliberately low-level WinRM client for tests that real clients cannot express: hand-made NTLM (wrong or
missing channel bindings, replayed or tampered sealed messages), unencrypted bodies where encryption is due,
unknown actions, a missing MessageID, a chosen MaxEnvelopeSize, raw access to every response.

One instance is one kept-alive TCP connection (http.client), authenticated with pyspnego's initiator.
"""
import base64
import http.client
import ssl
import uuid
import xml.etree.ElementTree as ET

import spnego
from spnego.channel_bindings import GssChannelBindings

from . import encryption
from .soap import NS
from .tls import channel_binding_application_data

SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
SHELL_NS = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
TRANSFER = "http://schemas.xmlsoap.org/ws/2004/09/transfer"


class Response:
    def __init__(self, status, headers, raw, plain):
        self.status = status
        self.headers = headers
        self.raw = raw  # the body as it came over the wire
        self.body = plain  # decrypted when it was encrypted
        self.xml = ET.fromstring(plain) if plain and plain.lstrip().startswith(b"<") else None

    def find(self, path):
        return None if self.xml is None else self.xml.find(path, {k: v for k, v in NS.items()})

    def findall(self, path):
        return [] if self.xml is None else self.xml.findall(path, {k: v for k, v in NS.items()})

    def text(self, path):
        element = self.find(path)
        return None if element is None else (element.text or "")

    @property
    def fault_code(self):
        fault = self.find(".//f:WSManFault")
        return None if fault is None else int(fault.get("Code"))

    @property
    def fault_message(self):
        return self.text(".//f:WSManFault/f:Message")


class RawClient:
    def __init__(self, port, user, password, tls=False, ca=None, mechanism="ntlm", channel_binding="auto"):
        self.port = port
        self.tls = tls
        if tls:
            context = ssl.create_default_context(cafile=ca)
            self.conn = http.client.HTTPSConnection("localhost", port, context=context, timeout=90)
        else:
            self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
        self.user = user
        self.password = password
        self.mechanism = mechanism  # "ntlm" (raw NTLM in Negotiate), "negotiate" (SPNEGO) or "basic"
        self.channel_binding = channel_binding  # "auto": the server certificate's; None: none; bytes: these
        self.context = None

    def close(self):
        self.conn.close()

    def _bindings(self):
        if not self.tls or self.channel_binding is None:
            return None
        if self.channel_binding == "auto":
            if self.conn.sock is None:
                self.conn.connect()
            der = self.conn.sock.getpeercert(binary_form=True)
            return GssChannelBindings(application_data=channel_binding_application_data(der))
        return GssChannelBindings(application_data=self.channel_binding)

    def _raw(self, body, headers):
        self.conn.request("POST", "/wsman", body=body, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.getheaders(), response.read()

    def authenticate(self):
        """The NTLM/Negotiate handshake on an empty POST; returns the final Response (200 when accepted)."""
        if self.mechanism == "basic":
            raise ValueError("Basic has no handshake: use post()")
        self.context = spnego.client(self.user, self.password, hostname="localhost", service="HTTP",
                                     protocol=self.mechanism, channel_bindings=self._bindings(),
                                     options=spnego.NegotiateOptions.wrapping_winrm)
        token = self.context.step()
        while True:
            status, headers, body = self._raw(b"", {"Authorization": "Negotiate " + base64.b64encode(token).decode(),
                                                     "Content-Length": "0"})
            challenge = _negotiate_token(headers)
            if status != 401 or challenge is None:
                if challenge is not None and not self.context.complete:
                    self.context.step(challenge)
                return Response(status, headers, body, body)
            token = self.context.step(challenge)

    def post(self, soap, encrypt=None, headers=None, content_type=None):
        """POSTs a SOAP envelope (sealed when `encrypt`, default: NTLM over HTTP); returns the Response."""
        encrypt = (self.context is not None and not self.tls) if encrypt is None else encrypt
        request_headers = dict(headers or {})
        if self.mechanism == "basic":
            credentials = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            request_headers.setdefault("Authorization", "Basic " + credentials)
        if encrypt:
            content_type_value, body = encryption.wrap(self.context, soap)
        else:
            content_type_value, body = "application/soap+xml;charset=UTF-8", soap
        request_headers["Content-Type"] = content_type or content_type_value
        status, response_headers, raw = self._raw(body, request_headers)
        plain = raw
        response_type = dict((k.lower(), v) for k, v in response_headers).get("content-type", "")
        if encryption.is_encrypted(response_type):
            plain = encryption.unwrap(_Initiator(self.context), response_type, raw)
        return Response(status, response_headers, raw, plain)

    def post_raw(self, body, headers):
        return self._raw(body, headers)

    # WinRS operations.

    def create_shell(self, codepage=None, environment=None, no_profile=None, **options):
        option_xml = {}
        if codepage is not None:
            option_xml["WINRS_CODEPAGE"] = str(codepage)
        if no_profile is not None:
            option_xml["WINRS_NOPROFILE"] = "TRUE" if no_profile else "FALSE"
        env = ""
        if environment:
            env = "<rsp:Environment>" + "".join(
                f'<rsp:Variable Name="{k}">{v}</rsp:Variable>' for k, v in environment.items()) + "</rsp:Environment>"
        body = (f"<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr"
                f"</rsp:OutputStreams>{env}</rsp:Shell>")
        response = self.post(envelope(f"{TRANSFER}/Create", body, options=option_xml, **options))
        shell_id = response.text(".//rsp:ShellId")
        return shell_id, response

    def command(self, shell_id, command, arguments=(), skip_cmd_shell=False, **options):
        args = "".join(f"<rsp:Arguments>{_escape(a)}</rsp:Arguments>" for a in arguments)
        body = f"<rsp:CommandLine><rsp:Command>{_escape(command)}</rsp:Command>{args}</rsp:CommandLine>"
        response = self.post(envelope(f"{SHELL_NS}/Command", body, shell_id=shell_id,
                                      options={"WINRS_SKIP_CMD_SHELL": "TRUE" if skip_cmd_shell else "FALSE"},
                                      **options))
        return response.text(".//rsp:CommandId"), response

    def send(self, shell_id, command_id, data, end=False, **options):
        end_attribute = ' End="true"' if end else ""
        body = (f'<rsp:Send><rsp:Stream Name="stdin" CommandId="{command_id}"{end_attribute}>'
                f"{base64.b64encode(data).decode()}</rsp:Stream></rsp:Send>")
        return self.post(envelope(f"{SHELL_NS}/Send", body, shell_id=shell_id, **options))

    def receive(self, shell_id, command_id, **options):
        body = (f'<rsp:Receive><rsp:DesiredStream CommandId="{command_id}">stdout stderr</rsp:DesiredStream>'
                "</rsp:Receive>")
        return self.post(envelope(f"{SHELL_NS}/Receive", body, shell_id=shell_id, **options))

    def signal(self, shell_id, command_id, code="terminate", **options):
        body = (f'<rsp:Signal CommandId="{command_id}"><rsp:Code>{SHELL_NS}/signal/{code}</rsp:Code>'
                "</rsp:Signal>")
        return self.post(envelope(f"{SHELL_NS}/Signal", body, shell_id=shell_id, **options))

    def delete_shell(self, shell_id, **options):
        return self.post(envelope(f"{TRANSFER}/Delete", "", shell_id=shell_id, **options))

    def run(self, shell_id, command, arguments=(), stdin=None, timeout_s=20):
        """Runs a command to its end: (stdout bytes, stderr bytes, exit code, receive responses)."""
        command_id, response = self.command(shell_id, command, arguments)
        if command_id is None:
            raise AssertionError(f"Command failed: {response.status} {response.body!r}")
        if stdin is not None:
            sent = self.send(shell_id, command_id, stdin, end=True)
            assert sent.status == 200, sent.body
        stdout, stderr, responses = b"", b"", []
        while True:
            response = self.receive(shell_id, command_id, timeout_s=timeout_s)
            if response.fault_code == 2150858793:
                continue
            assert response.status == 200, response.body
            responses.append(response)
            for stream in response.findall(".//rsp:Stream"):
                data = base64.b64decode(stream.text or "")
                if stream.get("Name") == "stdout":
                    stdout += data
                else:
                    stderr += data
            state = response.find(".//rsp:CommandState")
            if state is not None and state.get("State").endswith("/Done"):
                return stdout, stderr, int(response.text(".//rsp:ExitCode")), responses


class _Initiator:
    """unwrap_winrm of the client side, for encryption.unwrap."""

    def __init__(self, context):
        self.context = context

    def unwrap_winrm(self, header, data):
        return self.context.unwrap_winrm(header, data)


def _negotiate_token(headers):
    for name, value in headers:
        if name.lower() == "www-authenticate" and value.lower().startswith("negotiate "):
            return base64.b64decode(value.split(" ", 1)[1])
    return None


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def envelope(action, body, shell_id=None, options=None, message_id="auto", max_envelope=153600, timeout_s=20,
             resource_uri=SHELL_URI):
    message_id = f"uuid:{str(uuid.uuid4()).upper()}" if message_id == "auto" else message_id
    selector = (f'<w:SelectorSet><w:Selector Name="ShellId">{shell_id}</w:Selector></w:SelectorSet>'
                if shell_id else "")
    option_set = ""
    if options:
        option_set = ('<w:OptionSet s:mustUnderstand="true">' + "".join(
            f'<w:Option Name="{k}">{v}</w:Option>' for k, v in options.items()) + "</w:OptionSet>")
    mid = f"<a:MessageID>{message_id}</a:MessageID>" if message_id else ""
    max_env = f'<w:MaxEnvelopeSize s:mustUnderstand="true">{max_envelope}</w:MaxEnvelopeSize>' if max_envelope else ""
    resource = f'<w:ResourceURI s:mustUnderstand="true">{resource_uri}</w:ResourceURI>' if resource_uri else ""
    return (f'<s:Envelope xmlns:s="{NS["s"]}" xmlns:a="{NS["a"]}" xmlns:w="{NS["w"]}" xmlns:rsp="{NS["rsp"]}">'
            f'<s:Header><a:To>http://localhost/wsman</a:To>{resource}'
            f'<a:ReplyTo><a:Address s:mustUnderstand="true">{NS["a"]}/role/anonymous</a:Address></a:ReplyTo>'
            f'<a:Action s:mustUnderstand="true">{action}</a:Action>{max_env}{mid}'
            f'<w:OperationTimeout>PT{timeout_s}S</w:OperationTimeout>{selector}{option_set}</s:Header>'
            f"<s:Body>{body}</s:Body></s:Envelope>").encode("utf-8")

