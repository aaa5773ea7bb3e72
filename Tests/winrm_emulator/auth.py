"""Authentication of one TCP connection, as a Windows WinRM listener with its defaults
(Basic enabled for HTTPS only, AllowUnencrypted=false, CbtHardeningLevel=Strict).

- `Authorization: Negotiate <token>`: raw NTLM (as pywinrm/requests-ntlm send it) or SPNEGO-wrapped NTLM (pypsrp),
  accepted by pyspnego's acceptor (`spnego.server(protocol="negotiate")`), NTLMv2 only (LM_COMPAT_LEVEL=5). The
  context belongs to the connection: later requests on it need no header, a new connection authenticates again.
- Over HTTPS the NTLMv2 response must carry the channel binding of the listener's certificate
  (`tls-server-end-point`, RFC 5929): a missing, all-zero or different binding is refused.
- `Authorization: Basic` only over HTTPS, checked against the same users; over HTTP it is refused with 401.
- Any other scheme (NTLM, Kerberos, CredSSP, Digest) is refused: this listener offers none of them.
"""
import base64
import binascii
import struct

import spnego
from spnego.channel_bindings import GssChannelBindings

NTLM_SIGNATURE = b"NTLMSSP\x00"
MSV_AV_CHANNEL_BINDINGS = 0x000A
MSV_AV_EOL = 0x0000


class Refused(Exception):
    """A request refused with 401; `reason` says why (logged, and recorded unless it is the anonymous first
    request every HTTP authentication starts with; never sent)."""

    def __init__(self, reason, anonymous=False):
        super().__init__(reason)
        self.reason = reason
        self.anonymous = anonymous


class Challenge(Exception):
    """The handshake goes on: answer 401 with this token."""

    def __init__(self, token):
        super().__init__("challenge")
        self.token = token


def offers(tls):
    """The WWW-Authenticate headers of a 401 (Windows lists one scheme per header)."""
    values = ["Negotiate"]
    if tls:
        values.append('Basic realm="WSMAN"')
    return [("WWW-Authenticate", v) for v in values]


class Identity:
    def __init__(self, user, mechanism, context=None):
        self.user = user
        self.mechanism = mechanism  # "basic", "ntlm" (raw NTLM in Negotiate) or "negotiate" (SPNEGO)
        self.context = context  # the pyspnego acceptor that seals this connection's messages, None for Basic


class ConnectionAuth:
    def __init__(self, users, computer_name, certificate_der=None, binding_data=None):
        self.users = users
        self.computer_name = computer_name
        self.tls = certificate_der is not None
        self.binding_data = binding_data
        self.pending = None  # (context, mechanism) while a handshake is under way
        self.identity = None  # the connection's NTLM identity once authenticated

    def reset(self):
        self.pending = None
        self.identity = None

    def authenticate(self, header):
        """The Identity of a request with this Authorization header (None: no header), or raises Refused/Challenge.

        Returns (identity, final_token): final_token is the last handshake token for the 200 response, if any.
        """
        if header is None:
            if self.identity is not None:
                return self.identity, None
            self.pending = None
            raise Refused("no Authorization header", anonymous=True)
        scheme, _, credentials = header.strip().partition(" ")
        scheme = scheme.lower()
        if scheme == "basic":
            self.reset()
            return self._basic(credentials.strip()), None
        if scheme == "negotiate":
            return self._negotiate(credentials.strip())
        self.reset()
        raise Refused(f"authentication scheme {scheme!r} is not offered by this listener")

    def _basic(self, credentials):
        if not self.tls:
            raise Refused("Basic authentication over HTTP is refused (AllowUnencrypted=false)")
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise Refused("malformed Basic credentials") from None
        username, sep, password = decoded.partition(":")
        if not sep:
            raise Refused("malformed Basic credentials")
        user = self.users.check_basic(username, password, self.computer_name)
        if user is None:
            raise Refused(f"Basic: wrong user name or password for {username!r}, or not a local account")
        return Identity(user, "basic")

    def _negotiate(self, credentials):
        try:
            token = base64.b64decode(credentials, validate=True)
        except binascii.Error:
            self.reset()
            raise Refused("malformed Negotiate token") from None
        if not token:
            self.reset()
            raise Refused("empty Negotiate token")
        initial = token.startswith(NTLM_SIGNATURE + b"\x01\x00\x00\x00") or token[:1] == b"\x60"
        if initial:
            # A new handshake, also on an authenticated connection (the client re-authenticates).
            self.identity = None
            bindings = GssChannelBindings(application_data=self.binding_data) if self.tls else None
            context = spnego.server(protocol="negotiate", channel_bindings=bindings)
            mechanism = "ntlm" if token.startswith(NTLM_SIGNATURE) else "negotiate"
            self.pending = (context, mechanism)
        elif self.pending is None:
            self.identity = None
            raise Refused("Negotiate token out of sequence (no handshake under way on this connection)")
        context, mechanism = self.pending
        if self.tls:
            authenticate = _ntlm_authenticate(token)
            if authenticate is not None:
                self._check_binding(authenticate)
        try:
            out = context.step(token)
        except Exception as error:  # pyspnego: wrong password, bad MIC, bad bindings, malformed token
            self.pending = None
            raise Refused(f"NTLM authentication failed: {error}") from None
        if not context.complete:
            if not out:
                self.pending = None
                raise Refused("Negotiate handshake produced no token")
            raise Challenge(out)
        self.pending = None
        principal = context.client_principal or ""
        domain, _, name = principal.rpartition("\\")
        user = self.users.resolve(domain, name, self.computer_name)
        if user is None:
            raise Refused(f"NTLM: {principal!r} is not an account of {self.computer_name}")
        if context.negotiated_protocol != "ntlm":
            raise Refused(f"Negotiate settled on {context.negotiated_protocol}, only NTLM is emulated")
        self.identity = Identity(user, mechanism, context)
        return self.identity, out

    def _check_binding(self, authenticate):
        bindings = _channel_bindings(authenticate)
        if bindings is None:
            self.pending = None
            raise Refused("NTLM over HTTPS without a channel binding (CbtHardeningLevel=Strict)")
        if bindings == b"\x00" * 16:
            self.pending = None
            raise Refused("NTLM over HTTPS with an all-zero channel binding (CbtHardeningLevel=Strict)")


def _ntlm_authenticate(token):
    """The NTLM AUTHENTICATE message inside a raw or SPNEGO-wrapped token, or None."""
    start = token.find(NTLM_SIGNATURE + b"\x03\x00\x00\x00")
    return token[start:] if start >= 0 else None


def _channel_bindings(message):
    """MsvAvChannelBindings of an NTLMv2 AUTHENTICATE message; None when absent (or an NTLMv1 response)."""
    if len(message) < 28:
        return None
    length, _, offset = struct.unpack("<HHI", message[20:28])
    response = message[offset:offset + length]
    if len(response) <= 24:
        return None
    position = 16 + 28  # NTProofStr, then the blob header before its AV pairs (MS-NLMP §2.2.2.7)
    while position + 4 <= len(response):
        av_id, av_length = struct.unpack("<HH", response[position:position + 4])
        if av_id == MSV_AV_EOL:
            return None
        if av_id == MSV_AV_CHANNEL_BINDINGS:
            return response[position + 4:position + 4 + av_length]
        position += 4 + av_length
    return None
