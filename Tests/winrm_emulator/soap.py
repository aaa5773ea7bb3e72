"""WS-Management SOAP envelopes: parsing requests, writing responses and faults the way Windows writes them.

Response shapes and prefixes follow the WinRM responses recorded from real hosts in pypsrp's test suite
(tests/tests_pypsrp/responses/test_winrs_*.yml).
"""
import re
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "x": "http://schemas.xmlsoap.org/ws/2004/09/transfer",
    "e": "http://schemas.xmlsoap.org/ws/2004/08/eventing",
    "n": "http://schemas.xmlsoap.org/ws/2004/09/enumeration",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "p": "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
    "f": "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault",
}
ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
WSMAN_FAULT_ACTION = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"
ADDRESSING_FAULT_ACTION = "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault"
MIN_ENVELOPE = 8192


def q(prefix, local):
    return f"{{{NS[prefix]}}}{local}"


class Fault(Exception):
    """A SOAP fault as Windows sends it (HTTP 500)."""

    def __init__(self, code, subcode, reason, wsman_code, message=None, detail=None, provider=None,
                 action=WSMAN_FAULT_ACTION):
        super().__init__(reason)
        self.code = code
        self.subcode = subcode
        self.reason = reason
        self.wsman_code = wsman_code
        self.message = reason if message is None else message
        self.detail = detail
        self.provider = provider
        self.action = action


class Request:
    """The parts of a WS-Management request the emulator acts on."""

    def __init__(self, root):
        self.root = root
        header = root.find(q("s", "Header"))
        self.body = root.find(q("s", "Body"))
        if header is None or self.body is None:
            raise Fault("s:Sender", "w:InvalidBody" if header is not None else "a:MessageInformationHeaderRequired",
                        "The WS-Management service cannot process the request because the request packet does not "
                        "have a valid SOAP body. " if header is not None else
                        "The WS-Management service cannot process the request. The request does not have all the "
                        "expected SOAP headers. ", 0x80338027 if header is not None else 0x80338011)
        self.action = _text(header, q("a", "Action"))
        self.message_id = _text(header, q("a", "MessageID"))
        self.resource_uri = _text(header, q("w", "ResourceURI"))
        self.to = _text(header, q("a", "To"))
        self.max_envelope_text = _text(header, q("w", "MaxEnvelopeSize"))
        self.operation_timeout_text = _text(header, q("w", "OperationTimeout"))
        self.selectors = {s.get("Name"): (s.text or "").strip() for s in header.iter(q("w", "Selector"))}
        self.options = {}
        for option_set in header.findall(q("w", "OptionSet")):
            for option in option_set.findall(q("w", "Option")):
                self.options[option.get("Name")] = ((option.text or "").strip(), option.get("MustComply"))

    def option(self, name, default=None):
        value = self.options.get(name)
        return default if value is None else value[0]


def _text(parent, tag):
    element = parent.find(tag)
    return None if element is None else (element.text or "").strip()


def parse(body):
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise Fault("s:Sender", "w:SchemaValidationError",
                    "The WS-Management service cannot process the request because the XML is invalid. ", 0x80338043,
                    message=f"The WS-Management service cannot process the request because the XML is invalid. "
                            f"{error} ") from None
    if root.tag != q("s", "Envelope"):
        if root.tag.endswith("}Envelope") or root.tag == "Envelope":
            raise Fault("s:VersionMismatch", None, "The WS-Management service does not support the SOAP version "
                        "specified in the request. ", 0x8033800D)
        raise Fault("s:Sender", "w:SchemaValidationError", "The SOAP XML in the message does not match the "
                    "corresponding XML schema definition. Change the XML and retry. ", 0x80338041)
    return Request(root)


_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def duration_seconds(text):
    """An xs:duration such as PT20S, PT60.000S or P0DT0H1M0S, in seconds; None when malformed."""
    match = _DURATION.match(text or "")
    if not match or text in ("P", "PT") or text.endswith("T"):
        return None
    days, hours, minutes, seconds = match.groups()
    return int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)


def new_message_id():
    return "uuid:" + str(uuid.uuid4()).upper()


def envelope(action, relates_to, body, namespaces=("s", "a", "x", "w", "rsp", "p")):
    xmlns = " ".join(f'xmlns:{p}="{NS[p]}"' for p in namespaces)
    relates = f"<a:RelatesTo>{escape(relates_to)}</a:RelatesTo>" if relates_to else ""
    return (f'<s:Envelope xml:lang="en-US" {xmlns}><s:Header><a:Action>{escape(action)}</a:Action>'
            f"<a:MessageID>{new_message_id()}</a:MessageID><a:To>{ANONYMOUS}</a:To>{relates}</s:Header>"
            f"<s:Body>{body}</s:Body></s:Envelope>")


def fault_envelope(fault, relates_to, machine):
    subcode = (f"<s:Subcode><s:Value>{escape(fault.subcode)}</s:Value></s:Subcode>" if fault.subcode else "")
    detail = f"<w:FaultDetail>{escape(fault.detail)}</w:FaultDetail>" if fault.detail else ""
    message = escape(fault.message)
    if fault.provider:
        message = (f'<f:ProviderFault provider="{escape(fault.provider[0])}" path={quoteattr(fault.provider[1])}>'
                   f"{message}</f:ProviderFault>")
    body = (f"<s:Fault><s:Code><s:Value>{fault.code}</s:Value>{subcode}</s:Code><s:Reason>"
            f'<s:Text xml:lang="en-US">{escape(fault.reason)}</s:Text></s:Reason><s:Detail>{detail}'
            f'<f:WSManFault xmlns:f="{NS["f"]}" Code="{fault.wsman_code}" Machine={quoteattr(machine)}>'
            f"<f:Message>{message}</f:Message></f:WSManFault></s:Detail></s:Fault>")
    return envelope(fault.action, relates_to, body, namespaces=("s", "a", "x", "e", "n", "w", "p"))
