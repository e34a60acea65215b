"""The forms of credential an owner may paste, and the Authorization header each one becomes.

The docs say "your token"; public client code sends ``Basic base64("<id>:<key>")`` with a key
of 32 hex digits. Owners paste either the finished header value or the bare pair, so:

- ``Basic <base64>`` is sent as pasted;
- a bare ``<digits>:<32 hex digits>`` pair is sent as ``Basic base64(pair)``;
- anything else is sent as pasted (a token in another form the cloud may issue).
"""

from __future__ import annotations

import base64
import binascii
import re

_PAIR = re.compile(r"[0-9]+:[0-9A-Fa-f]{32}")
_BASIC = re.compile(r"Basic\s+([A-Za-z0-9+/=]+)", re.IGNORECASE)


def authorization_header(credential: str) -> str:
    """Return the Authorization header value for what the owner pasted (stripped)."""
    text = credential.strip()
    if _PAIR.fullmatch(text):
        return "Basic " + base64.b64encode(text.encode("ascii")).decode("ascii")
    return text


def credential_secrets(credential: str) -> tuple[str, ...]:
    """Return every text that must never appear in an error or a log: header, token, key."""
    text = credential.strip()
    secrets = {text, authorization_header(text)}
    pair = text
    if (basic := _BASIC.fullmatch(text)) is not None:
        try:
            pair = base64.b64decode(basic.group(1), validate=True).decode("ascii")
        except binascii.Error, UnicodeDecodeError:
            pair = ""
    if _PAIR.fullmatch(pair):
        secrets.update((pair, pair.partition(":")[2]))
    # the longest first, so a pair is cut out whole before its key alone
    return tuple(sorted((secret for secret in secrets if secret), key=len, reverse=True))
