#!/usr/bin/env python3
"""Writes ../ReferenceVectors.swift: byte strings produced by implementations other than the Swift code under test.

- Server-to-client sealed messages and the WinRM encrypted bodies of both directions, produced by pyspnego's NTLM
  crypto (spnego._ntlm_raw) with the MS-NLMP 4.2.4 RandomSessionKey (0x55 x 16) and framed by pywinrm
  (client -> server) and pypsrp (server -> client).
- SPNEGO tokens packed by pyspnego.
- Test certificates made by `openssl req`, their tls-server-end-point hashes computed by `openssl dgst` over
  `openssl x509 -outform DER`, and the MD5 of pyspnego's gss_channel_bindings_struct.

Run from anywhere: python3 make_reference_vectors.py (needs pyspnego, pywinrm, pypsrp and openssl).
"""

import hashlib
import os
import subprocess
import tempfile

from pypsrp.encryption import WinRMEncryption
from spnego._ntlm_raw.crypto import rc4init, sealkey, signkey
from spnego._ntlm_raw.messages import NegotiateFlags
from spnego._ntlm_raw.security import seal
from spnego._spnego import NegState, NegTokenInit, NegTokenResp
from spnego.channel_bindings import GssChannelBindings
from winrm.encryption import Encryption

HERE = os.path.dirname(os.path.abspath(__file__))
SESSION_KEY = b"\x55" * 16
FLAGS = (
    NegotiateFlags.sign
    | NegotiateFlags.seal
    | NegotiateFlags.extended_session_security
    | NegotiateFlags.key_128
    | NegotiateFlags.key_exch
)
NTLM_OID = "1.3.6.1.4.1.311.2.2.10"
# The NEGOTIATE_MESSAGE of MS-NLMP 2.2.1.1 with the flags the Swift client requests (0xe2888235) and its Version.
NEGOTIATE = bytes.fromhex("4e544c4d5353500001000000358288e2000000002800000000000000280000000a0000000000000f")


class Direction:
    """One direction of an NTLM context: its RC4 handle, signing key and sequence number."""

    def __init__(self, usage):
        self.handle = rc4init(sealkey(FLAGS, SESSION_KEY, usage))
        self.sign_key = signkey(FLAGS, SESSION_KEY, usage)
        self.seq = 0

    def wrap(self, data, seq=None):
        sealed, signature = seal(FLAGS, self.handle, self.sign_key, self.seq if seq is None else seq, data)
        self.seq += 1
        return signature, sealed


class WinRMContext:
    """What pypsrp's WinRMEncryption and pywinrm's Encryption call on an authentication context."""

    def __init__(self, usage):
        self.direction = Direction(usage)

    def wrap_winrm(self, data):
        signature, sealed = self.direction.wrap(data)
        return signature, sealed, 0  # pyspnego's WinRMWrapResult(header, data, padding_length)

    def wrap(self, data):  # pywinrm's session_security.wrap: (sealed, signature)
        signature, sealed = self.direction.wrap(data)
        return sealed, signature


def swift_bytes(name, data):
    text = data.hex()
    line = '    static let %s: [UInt8] = hex("%s")\n' % (name, text)
    if len(line) <= 120:
        return line
    lines = "".join("        %s\n" % text[i : i + 96] for i in range(0, len(text), 96))
    return '    static let %s: [UInt8] = hex(\n        """\n%s        """)\n' % (name, lines)


def certificates(out):
    """(name, openssl req arguments, openssl dgst name or None for a refused algorithm)."""
    specs = [
        ("rsaSHA256", ["-newkey", "rsa:2048", "-sha256"], "sha256"),
        ("rsaSHA1", ["-newkey", "rsa:2048", "-sha1"], "sha256"),  # SHA-1 -> SHA-256 (RFC 5929 4.1)
        ("rsaSHA512", ["-newkey", "rsa:2048", "-sha512"], "sha512"),
        ("ecdsaSHA384", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-sha384"], "sha384"),
        ("rsaPSSSHA384", ["-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048", "-sha384",
                          "-sigopt", "rsa_padding_mode:pss"], "sha384"),
        ("ed25519", ["-newkey", "ed25519"], None),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, args, digest in specs:
            pem = os.path.join(tmp, name + ".pem")
            subprocess.run(
                ["openssl", "req", "-x509", "-nodes", "-days", "3650", "-subj", "/CN=winrm.test", "-keyout",
                 os.path.join(tmp, name + ".key"), "-out", pem] + args,
                check=True, capture_output=True)
            der = subprocess.run(["openssl", "x509", "-in", pem, "-outform", "DER"], check=True,
                                 capture_output=True).stdout
            out.append(swift_bytes("certificate_" + name, der))
            if digest:
                line = subprocess.run(["openssl", "dgst", "-" + digest, "-hex"], input=der, check=True,
                                      capture_output=True).stdout.decode()
                cert_hash = bytes.fromhex(line.strip().split("= ")[-1])
                bindings = GssChannelBindings(application_data=b"tls-server-end-point:" + cert_hash)
                out.append(swift_bytes("certificateHash_" + name, cert_hash))
                out.append(swift_bytes("channelBindingsMD5_" + name, hashlib.md5(bindings.pack()).digest()))


def main():
    out = []
    # pyspnego's acceptor ("accept" keys) sealing for the client: seq 0, 1, 2, then seq 5 on a fresh handle.
    server = Direction("accept")
    for index, text in enumerate([b"first message", b"second message", b"third message"]):
        signature, sealed = server.wrap(text)
        out.append(swift_bytes("serverSignature%d" % index, signature))
        out.append(swift_bytes("serverSealed%d" % index, sealed))
    signature, sealed = Direction("accept").wrap(b"first message", seq=5)
    out.append(swift_bytes("serverSignatureSequence5", signature))
    out.append(swift_bytes("serverSealedSequence5", sealed))

    # WinRM bodies: pywinrm frames the client's first message, pypsrp the server's first message.
    soap = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">caf\u00e9 \u65e5\u672c</s:Envelope>'.encode()
    client_encryption = Encryption.__new__(Encryption)
    client_encryption.protocol_string = b"application/HTTP-SPNEGO-session-encrypted"
    client_encryption._build_message = lambda message, host: (
        lambda sealed, signature: len(signature).to_bytes(4, "little") + signature + sealed
    )(*WinRMContext("initiate").wrap(message))
    client_body = client_encryption._encrypt_message(soap, "host") + Encryption.MIME_BOUNDARY + b"--\r\n"
    content_type, server_body = WinRMEncryption(WinRMContext("accept"), WinRMEncryption.SPNEGO).wrap_message(soap)
    assert content_type == "multipart/encrypted"
    out.append(swift_bytes("winRMSOAP", soap))
    out.append(swift_bytes("winRMClientBody", client_body))
    out.append(swift_bytes("winRMServerBody", server_body))

    # SPNEGO tokens packed by pyspnego.
    out.append(swift_bytes("negTokenInit", NegTokenInit([NTLM_OID], mech_token=NEGOTIATE).pack()))
    out.append(swift_bytes("negTokenRespChallenge", NegTokenResp(
        neg_state=NegState.accept_incomplete, supported_mech=NTLM_OID, response_token=b"NTLMSSP\x00\x02").pack()))
    out.append(swift_bytes("negTokenRespFinal", NegTokenResp(
        neg_state=NegState.accept_complete, mech_list_mic=b"\x01" + b"\x00" * 15).pack()))
    out.append(swift_bytes("negTokenRespLong", NegTokenResp(
        neg_state=NegState.accept_incomplete, response_token=bytes(range(256)) * 2).pack()))

    certificates(out)

    with open(os.path.join(HERE, "..", "ReferenceVectors.swift"), "w") as swift:
        swift.write("// Generated by Support/make_reference_vectors.py from pyspnego, pywinrm, pypsrp and openssl:\n")
        swift.write("// reference bytes from implementations other than the code under test. Do not edit.\n\n")
        swift.write("enum ReferenceVectors {\n")
        swift.writelines(out)
        swift.write("}\n")


if __name__ == "__main__":
    main()
