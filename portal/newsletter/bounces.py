"""Which addresses bounced, read from a mailbox (``flask --app portal read-bounces <mbox-file>``,
in ``portal/cli.py``, marks them).

Reads a mailbox (mbox, Python's ``mailbox``) with the bounce messages the mail server sent
back: delivery status notifications (RFC 3464, ``multipart/report``). Of each recipient whose
``Action`` is ``failed`` it takes the ``Final-Recipient`` (else the ``Original-Recipient``)
and marks that address bounced in every wijk: it gets no wijkbrief any more (until it
subscribes and confirms again), and the issue's page counts it.
"""

import mailbox
import re
from email import message_from_bytes, policy
from email.message import Message

from portal.models.accounts import normalise_email

ADDRESS = re.compile(r"^\s*[^;]*;\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$")


def _address(value: str | None) -> str | None:
    match = ADDRESS.match(str(value or ""))
    return normalise_email(match.group(1)) if match else None


def _status_blocks(message: Message) -> list[Message]:
    """The per-message and per-recipient fields of each delivery-status part."""
    blocks: list[Message] = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        if isinstance(payload, list):
            blocks.extend(payload)
        elif isinstance(payload, str | bytes):
            raw = payload.encode() if isinstance(payload, str) else payload
            for chunk in re.split(rb"\r?\n\r?\n", raw):
                if chunk.strip():
                    blocks.append(message_from_bytes(chunk, policy=policy.compat32))
    return blocks


def failed_recipients(message: Message) -> set[str]:
    addresses = set()
    for block in _status_blocks(message):
        action = str(block.get("Action", "failed")).strip().lower()
        if action != "failed":
            continue
        address = _address(block.get("Final-Recipient")) or _address(block.get("Original-Recipient"))
        if address:
            addresses.add(address)
    return addresses


def bounced_addresses(path: str) -> set[str]:
    addresses: set[str] = set()
    box = mailbox.mbox(path, create=False)
    try:
        for message in box:
            addresses |= failed_recipients(message)
    finally:
        box.close()
    return addresses
