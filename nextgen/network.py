"""Who is on the other end of a request: the one client-address rule for every part.

The throttle counts wrong passwords per client and the audit log names the client of
each event; both read the address here, so behind a proxy they can never disagree (the
audit once recorded the load balancer while the throttle counted the real client).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address as this deployment can trust it, normalised (IPv6 in
    its canonical spelling), or None when there is no valid one.

    Behind NEXTGEN_PROXY_COUNT trusted reverse proxies the client is the address the
    outermost of them saw: X-Forwarded-For counted from the right, since entries further
    left are whatever the client itself claimed. With fewer entries than proxies (a
    request that reached the app without passing them all) the connecting address is
    used, as it is when no proxy is configured."""
    if request is None:
        return None
    return address_in(request.META)


def address_in(meta: Mapping[str, Any]) -> str | None:
    """client_address of a request's META, or of a WSGI environ (the same keys): for
    what runs before Django (nextgen/hashgate.py)."""
    address = meta.get("REMOTE_ADDR", "")
    hops = settings.NEXTGEN_PROXY_COUNT
    if hops:
        forwarded = [a.strip() for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:192.0.2.1) is that IPv4 client.
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def client_group(request: HttpRequest | None) -> str:
    """The key that counts one client: its address, with IPv6 grouped by /64 (the block
    one subscriber usually holds, so rotating addresses inside it gains nothing), or
    "unknown" for requests without a valid address (they share one key: strict)."""
    if request is None:
        return "unknown"
    return group_in(request.META)


def group_in(meta: Mapping[str, Any]) -> str:
    """client_group of a request's META or of a WSGI environ."""
    address = address_in(meta)
    if address is None:
        return "unknown"
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address
