"""`--redact`: stable pseudonyms for what should not leave the tenant, applied to the rows before anything
is built from them, so the graph document, diagrams, site, bundle, CSV/XLSX and SARIF never see the originals.

Replaced: subscription, tenant and principal ids (and client/object/application ids), private IPv4
addresses and prefixes (RFC 1918), e-mail addresses, and the values of the tags the user names. Each
pseudonym is an HMAC-SHA256 of the original keyed by the salt, so the same value gets the same pseudonym
everywhere in a run (and across runs with the same salt). Private addresses are mapped prefix-preservingly
inside their private block (after Crypto-PAn), so "is this IP in that subnet" still holds and every
verdict is the one the original data gives. Role-definition GUIDs are kept: they name built-in roles.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from archgen.model import records
from archgen.model.inventory import Inventory
from archgen.run import InputFile, RunInfo

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SUB_SEGMENT = re.compile(r"/subscriptions/([0-9a-fA-F-]{36})", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_IPV4 = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:/(\d{1,2}))?(?![\d.])")
# keys whose GUID values identify a subscription, a tenant or a principal (compared in lower case)
SENSITIVE_ID_KEYS = frozenset(
    {"subscriptionid", "tenantid", "principalid", "clientid", "objectid", "applicationid", "appid"}
)
_PRIVATE_BLOCKS = (
    (ipaddress.ip_network("10.0.0.0/8"), 8),
    (ipaddress.ip_network("172.16.0.0/12"), 12),
    (ipaddress.ip_network("192.168.0.0/16"), 16),
)


class Redactor:
    """Learns the sensitive values of a run's rows, then rewrites every string that holds one."""

    def __init__(self, salt: str, tag_keys: Iterable[str] = ()) -> None:
        self._key = salt.encode("utf-8")
        self.tag_keys = frozenset(k.lower() for k in tag_keys)
        self._ids: dict[str, str] = {}  # lower-case original GUID -> pseudonym
        self._ip_cache: dict[int, int] = {}
        self._pattern: re.Pattern[str] | None = None

    # -- pseudonyms ------------------------------------------------------------------------------------
    def _mac(self, kind: str, value: str) -> bytes:
        return hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).digest()

    def guid(self, value: str) -> str:
        return str(uuid.UUID(bytes=self._mac("guid", value.lower())[:16], version=4))

    def email(self, value: str) -> str:
        return f"user-{self._mac('email', value.lower()).hex()[:10]}@example.invalid"

    def tag_value(self, value: str) -> str:
        return f"tag-{self._mac('tag', value).hex()[:10]}"

    def _ip(self, addr: int, keep: int) -> int:
        """Prefix-preserving pseudonym: bit i flips by a keyed function of bits 0..i-1; the block stays."""
        if addr in self._ip_cache:
            return self._ip_cache[addr]
        out = (addr >> (32 - keep)) << (32 - keep)
        for i in range(keep, 32):
            prefix = addr >> (32 - i)
            flip = self._mac("ip", f"{i}:{prefix}")[0] & 1
            out |= (((addr >> (31 - i)) & 1) ^ flip) << (31 - i)
        self._ip_cache[addr] = out
        return out

    def _ip_text(self, m: re.Match[str]) -> str:
        octets = [int(g) for g in m.groups()[:4]]
        if any(o > 255 for o in octets):
            return m.group(0)
        addr = ipaddress.IPv4Address(".".join(map(str, octets)))
        for block, keep in _PRIVATE_BLOCKS:
            if addr in block:
                mapped = self._ip(int(addr), keep)
                if m.group(5) is not None:
                    bits = int(m.group(5))
                    if bits > 32:
                        return m.group(0)
                    mask = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF if bits else 0
                    return f"{ipaddress.IPv4Address(mapped & mask)}/{bits}"
                return str(ipaddress.IPv4Address(mapped))
        return m.group(0)

    # -- learning and rewriting ------------------------------------------------------------------------
    def learn_id(self, value: str) -> None:
        if _GUID.fullmatch(value.strip()):
            low = value.strip().lower()
            if low not in self._ids:
                self._ids[low] = self.guid(low)
                self._pattern = None

    def _learn(self, value: Any, key: str = "") -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                self._learn(str(k), "")
                self._learn(v, str(k).lower())
        elif isinstance(value, list | tuple):
            for v in value:
                self._learn(v, key)
        elif isinstance(value, str):
            if key in SENSITIVE_ID_KEYS:
                self.learn_id(value)
            for m in _SUB_SEGMENT.finditer(value):
                self.learn_id(m.group(1))

    def text(self, value: str) -> str:
        """A string with every learned id, e-mail address and private IPv4 address replaced."""
        if self._ids:
            if self._pattern is None:
                alternatives = sorted(self._ids, key=len, reverse=True)
                self._pattern = re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE)
            value = self._pattern.sub(lambda m: self._ids[m.group(0).lower()], value)
        value = _EMAIL.sub(lambda m: self.email(m.group(0)), value)
        return _IPV4.sub(self._ip_text, value)

    def value(self, value: Any, key: str = "") -> Any:
        """A JSON-like value rewritten: strings through `text`, chosen tag values replaced."""
        if isinstance(value, Mapping):
            out = {}
            for k, v in value.items():
                if key == "tags" and str(k).lower() in self.tag_keys and isinstance(v, str):
                    out[self.text(str(k))] = self.tag_value(v)
                else:
                    out[self.text(str(k))] = self.value(v, str(k).lower())
            return out
        if isinstance(value, list | tuple):
            return [self.value(v, key) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def inventory(self, inv: Inventory) -> Inventory:
        """The rows redacted (learning their sensitive values first)."""
        for block in inv.blocks:
            for row in block.rows:
                self._learn(row)
        blocks = [records.replace(b, rows=[self.value(r) for r in b.rows]) for b in inv.blocks]
        return records.replace(
            inv,
            blocks=blocks,
            warnings=[{k: self.text(v) for k, v in w.items()} for w in inv.warnings],
            diagnostics_collected=_texts(self, inv.diagnostics_collected),
            deployments_collected=_texts(self, inv.deployments_collected),
            foundry_collected=_texts(self, inv.foundry_collected),
            assessments_collected=_texts(self, inv.assessments_collected),
            principals_collected=_texts(self, inv.principals_collected),
        )

    def run_info(self, run: RunInfo) -> RunInfo:
        """The run's scope and queries redacted; input files are no longer offered for download."""
        for value in _strings(run.scope):
            self.learn_id(value)
        return records.replace(
            run,
            scope=self.value(run.scope),
            queries=self.value(run.queries),
            inputs=[InputFile(i.name, i.sha256, i.rows, "") for i in run.inputs],
        )


def _texts(r: Redactor, values: frozenset[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(r.text(v) for v in values)


def _strings(value: Any) -> Sequence[str]:
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []
