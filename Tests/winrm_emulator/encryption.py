"""WinRM message encryption (MS-WSMV §2.2.9.1.1): a SOAP body sealed with the NTLM session of the connection.

    --Encrypted Boundary\r\n
    \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
    \tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=<plain length>\r\n
    --Encrypted Boundary\r\n
    \tContent-Type: application/octet-stream\r\n
    <signature length, 4 bytes little-endian><signature><sealed body>--Encrypted Boundary--\r\n

Sealing, signatures and sequence numbers are pyspnego's (`wrap_winrm`/`unwrap_winrm` of the acceptor context):
a replayed, reordered or tampered message fails the signature check.
"""
import re
import struct

PROTOCOL = "application/HTTP-SPNEGO-session-encrypted"
CONTENT_TYPE = f'multipart/encrypted;protocol="{PROTOCOL}";boundary="Encrypted Boundary"'


class EncryptionError(Exception):
    pass


def content_type_parameters(content_type):
    """('multipart/encrypted', {'protocol': ..., 'boundary': ...}) from a Content-Type header."""
    parts = [p.strip() for p in (content_type or "").split(";")]
    parameters = {}
    for part in parts[1:]:
        if "=" in part:
            key, value = part.split("=", 1)
            parameters[key.strip().lower()] = value.strip().strip('"')
    return parts[0].lower(), parameters


def is_encrypted(content_type):
    return content_type_parameters(content_type)[0] in ("multipart/encrypted", "multipart/x-multi-encrypted")


def unwrap(context, content_type, body):
    """The plain SOAP body of an encrypted request; EncryptionError when it is malformed or fails its checks."""
    media, parameters = content_type_parameters(content_type)
    if media != "multipart/encrypted":
        raise EncryptionError(f"{media} is not accepted (multipart/x-multi-encrypted is CredSSP's framing)")
    if parameters.get("protocol") != PROTOCOL:
        raise EncryptionError(f"encryption protocol {parameters.get('protocol')!r} is not {PROTOCOL}")
    boundary = parameters.get("boundary")
    if not boundary:
        raise EncryptionError("no boundary in the Content-Type")
    delimiter = b"--" + boundary.encode("latin-1") + b"\r\n"
    if not body.startswith(delimiter):
        raise EncryptionError("the body does not start with the boundary")
    rest = body[len(delimiter):]
    end = rest.find(delimiter)
    if end < 0:
        raise EncryptionError("the second MIME part is missing")
    headers = _part_headers(rest[:end])
    if headers.get("content-type", "").lower() != PROTOCOL.lower():
        raise EncryptionError(f"first part Content-Type {headers.get('content-type')!r} is not {PROTOCOL}")
    match = re.search(r"(?i)(?:^|;)\s*Length=(\d+)", headers.get("originalcontent", ""))
    if not match or not headers["originalcontent"].lower().startswith("type=application/soap+xml"):
        raise EncryptionError("OriginalContent lacks type=application/soap+xml or Length")
    length = int(match.group(1))
    rest = rest[end + len(delimiter):]
    stream_header = re.match(rb"[ \t]*Content-Type:[ \t]*application/octet-stream[ \t]*\r\n", rest, re.I)
    if not stream_header:
        raise EncryptionError("second part is not application/octet-stream")
    blob = rest[stream_header.end():]
    if len(blob) < 4:
        raise EncryptionError("truncated encrypted payload")
    signature_length = struct.unpack("<I", blob[:4])[0]
    if signature_length != 16:
        raise EncryptionError(f"signature length {signature_length}, NTLM signatures are 16 bytes")
    payload_end = 4 + signature_length + length
    if len(blob) < payload_end:
        raise EncryptionError("encrypted payload shorter than OriginalContent Length")
    trailer = blob[payload_end:]
    closing = b"--" + boundary.encode("latin-1") + b"--"
    if trailer.rstrip(b"\r\n") != closing:
        raise EncryptionError("the encrypted payload is not followed by the closing boundary")
    try:
        plain = context.unwrap_winrm(blob[4:4 + signature_length], blob[4 + signature_length:payload_end])
    except Exception as error:  # pyspnego raises for a bad signature or sequence number
        raise EncryptionError(f"unwrap failed: {error}") from None
    if len(plain) != length:
        raise EncryptionError("decrypted length differs from OriginalContent Length")
    return plain


def _part_headers(block):
    headers = {}
    for line in block.decode("latin-1").split("\r\n"):
        line = line.strip()
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    return headers


def wrap(context, soap):
    """(Content-Type, body) of an encrypted response."""
    result = context.wrap_winrm(soap)
    body = (b"--Encrypted Boundary\r\n"
            b"\tContent-Type: " + PROTOCOL.encode() + b"\r\n"
            b"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" + str(len(soap)).encode() + b"\r\n"
            b"--Encrypted Boundary\r\n"
            b"\tContent-Type: application/octet-stream\r\n"
            + struct.pack("<I", len(result.header)) + result.header + result.data
            + b"--Encrypted Boundary--\r\n")
    return CONTENT_TYPE, body
