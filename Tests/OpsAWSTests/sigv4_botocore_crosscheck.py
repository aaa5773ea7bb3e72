#!/usr/bin/env python3
"""Generate SigV4 cross-check fixtures signed by botocore.

Each case is a random request -- odd path characters, repeated, unsorted and empty query keys, unicode,
header values with runs of whitespace, bodies, with and without a session token -- signed with botocore's
SigV4Auth at one fixed instant. The JSON holds the inputs and botocore's canonical request, string to sign,
Authorization header and added headers. SigV4CrossCheckTests signs the same inputs with OpsAWS.SigV4 and
compares exactly.

    python3 sigv4_botocore_crosscheck.py --count 30 --seed 6 --output Fixtures/sigv4-botocore.json
    python3 sigv4_botocore_crosscheck.py --count 5000 --seed 42 --output /tmp/big.json
    PCMOPS_SIGV4_CROSSCHECK=/tmp/big.json swift test --filter SigV4CrossCheck

The same seed and botocore version give the same file. Requires botocore (`pip install botocore`).
"""

import argparse
import base64
import datetime
import hashlib
import json
import random
import sys
from urllib.parse import urlsplit

try:
    import botocore
    import botocore.auth
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:  # pragma: no cover - environment guard
    sys.exit("botocore is not installed: pip install botocore")

DEFAULT_DATE = "20150830T123600Z"

# Path segments: plain, reserved and sub-delimiter characters, pre-encoded sequences (which SigV4 encodes
# again), dot segments, empty segments via "//", and multi-byte UTF-8. Never '?', '#', tab, CR or LF, which
# a URL cannot carry in its path.
PATH_PIECES = [
    "example", "a", "Z9", "-._~", "$delete", "a b", "%20", "%2F", "%25", "+", "=", ",", ";", ":", "@", "!",
    "*", "'", "(", ")", "&", "[x]", "ü", "日本", "😀", "é", "...", "a%zz", "\u00a0", "\\",
]
SPECIAL_SEGMENTS = ["", ".", ".."]

QUERY_NAMES = [
    "", "a", "A", "a-b", "a.b", "a_b", "a~b", "ab", "Action", "Version", "Param1", "Param2", "Filter.1.Name",
    "key with space", "k+plus", "k=eq", "k&amp", "ሴ", "ü", "😀", "/slash", "%41", "b",
]
QUERY_VALUE_PIECES = ["", "value", "Value", "1", " ", "+", "/", "%", "=", "&", "ü", "日本", "~", "*", "a b", "%20"]

HEADER_NAMES = [
    "My-Header1", "my-header1", "MY-HEADER1", "My-Header2", "X-Amz-Target", "Content-Type", "X-Custom-Empty",
    "X-Amz-Meta-Note", "User-Agent", "X-Amzn-Trace-Id", "Expect", "Accept",
]
HEADER_VALUE_PIECES = [
    "value", "VALUE", "a", "b", '"quoted', 'string"', "x,y", "café", "日本", "100-continue", "1", ";", "=",
]
WHITESPACE_RUNS = [" ", "  ", "   ", "\t", " \t ", "\n  ", "\r\n "]

HOSTS = [
    "example.amazonaws.com", "sts.amazonaws.com", "ec2.us-gov-west-1.amazonaws.com", "localhost:5000",
    "127.0.0.1:8080", "ssm.eu-west-3.amazonaws.com",
]
REGIONS = ["us-east-1", "us-gov-west-1", "eu-west-3"]
SERVICES = ["service", "sts", "ec2", "ssm", "iam"]
METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"]

EXAMPLE_KEY_ID = "AKIDEXAMPLE"
EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


class CapturingSigV4Auth(SigV4Auth):
    """SigV4Auth that keeps the canonical request and string to sign it computed."""

    def canonical_request(self, request):
        self.captured_canonical_request = super().canonical_request(request)
        return self.captured_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.captured_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.captured_string_to_sign


def random_path(rng):
    if rng.random() < 0.08:
        return ""
    segments = []
    for _ in range(rng.randint(0, 5)):
        if rng.random() < 0.2:
            segments.append(rng.choice(SPECIAL_SEGMENTS))
        else:
            segments.append("".join(rng.choice(PATH_PIECES) for _ in range(rng.randint(1, 3))))
    path = "/" + "/".join(segments)
    if rng.random() < 0.25:
        path += "/"
    return path


def random_query(rng):
    items = []
    for _ in range(rng.choice([0, 0, 1, 2, 3, 4, 6])):
        name = rng.choice(QUERY_NAMES)
        value = "".join(rng.choice(QUERY_VALUE_PIECES) for _ in range(rng.randint(0, 3)))
        items.append([name, value])
        if rng.random() < 0.25:  # the same name again, usually with another value
            items.append([name, rng.choice(QUERY_VALUE_PIECES)])
    rng.shuffle(items)
    return items


def random_header_value(rng):
    words = [rng.choice(HEADER_VALUE_PIECES) for _ in range(rng.randint(0, 4))]
    value = rng.choice(["", " ", "  ", "\t"])
    for index, word in enumerate(words):
        if index:
            value += rng.choice(WHITESPACE_RUNS)
        value += word
    return value + rng.choice(["", " ", "   ", "\t "])


def random_headers(rng, host):
    headers = [[rng.choice(HEADER_NAMES), random_header_value(rng)] for _ in range(rng.randint(0, 5))]
    if rng.random() < 0.1:
        headers.append(["Host", host])
    if rng.random() < 0.1:  # stale values from an earlier attempt; both signers replace them
        headers.append(["X-Amz-Date", "20000101T000000Z"])
        headers.append(["Authorization", "AWS4-HMAC-SHA256 stale"])
    if rng.random() < 0.05:
        headers.append(["X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"])
    return headers


def random_body(rng):
    kind = rng.choice(["empty", "empty", "form", "json", "bytes"])
    if kind == "form":
        return b"Action=GetCallerIdentity&Version=2011-06-15"
    if kind == "json":
        return json.dumps({"Name": "café", "n": rng.randint(0, 10**6)}, ensure_ascii=False).encode()
    if kind == "bytes":
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    return b""


def random_credentials(rng):
    if rng.random() < 0.7:
        key_id, secret = EXAMPLE_KEY_ID, EXAMPLE_SECRET
    else:
        key_id = "ASIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
        secret = "".join(rng.choice(TOKEN_ALPHABET) for _ in range(40))
    token = None
    if rng.random() < 0.5:
        token = "".join(rng.choice(TOKEN_ALPHABET) for _ in range(rng.randint(16, 200)))
    return key_id, secret, token


def make_case(rng, index, timestamp):
    host = rng.choice(HOSTS)
    while True:
        path = random_path(rng)
        url = f"https://{host}{path}"
        parts = urlsplit(url)
        if parts.path == path and not parts.query and not parts.fragment:
            break
    case = {
        "name": f"case-{index:05d}",
        "method": rng.choice(METHODS),
        "host": host,
        "path": path,
        "query": random_query(rng),
        "headers": random_headers(rng, host),
        "region": rng.choice(REGIONS),
        "service": rng.choice(SERVICES),
        "add_content_sha256": rng.random() < 0.25,
        "normalize_path": True,
    }
    body = random_body(rng)
    key_id, secret, token = random_credentials(rng)
    case.update(access_key_id=key_id, secret_access_key=secret, session_token=token)
    case["body_base64"] = base64.b64encode(body).decode()

    request = AWSRequest(method=case["method"], url=url, data=body, params=[tuple(q) for q in case["query"]])
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders appends: repeated names stay repeated
    if case["add_content_sha256"]:
        del request.headers["X-Amz-Content-SHA256"]
        request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()

    signer = CapturingSigV4Auth(Credentials(key_id, secret, token), case["service"], case["region"])
    botocore.auth.get_current_datetime = lambda: timestamp
    signer.add_auth(request)

    added = {}
    for name in ("X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"):
        values = request.headers.get_all(name) or []
        if values:
            added[name.lower()] = values
    case["expected"] = {
        "canonical_request": signer.captured_canonical_request,
        "string_to_sign": signer.captured_string_to_sign,
        "authorization": request.headers["Authorization"],
        "added_headers": added,
    }
    return case


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--date", default=DEFAULT_DATE, help="signing instant, yyyyMMddTHHmmssZ")
    parser.add_argument("--output", default="-", help="file to write, - for stdout")
    args = parser.parse_args()

    timestamp = datetime.datetime.strptime(args.date, "%Y%m%dT%H%M%SZ")
    rng = random.Random(args.seed)
    document = {
        "generator": "Tests/OpsAWSTests/sigv4_botocore_crosscheck.py",
        "botocore_version": botocore.__version__,
        "seed": args.seed,
        "date": args.date,
        "epoch_seconds": int(timestamp.replace(tzinfo=datetime.timezone.utc).timestamp()),
        "cases": [make_case(rng, index, timestamp) for index in range(args.count)],
    }
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
