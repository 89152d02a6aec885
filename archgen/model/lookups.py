"""The lookups references need across nodes (a vault by its URI, an identity by its client id, the accounts
a resource instance rule names): the builder's side of `RefIndex`."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping

from archgen.model.graph import Node
from archgen.model.types import identity, keyvault


class RefLookups:
    """What references need to know about other nodes (the builder's side of `RefIndex`)."""

    def __init__(self, nodes: Mapping[str, Node], account_ids: list[str]) -> None:
        self.vault_by_uri = {
            n.attrs.vault_uri: n.id
            for n in nodes.values()
            if isinstance(n.attrs, keyvault.Vault) and n.attrs.vault_uri
        }
        self.uami_by_client = {
            n.attrs.client_id: n.id
            for n in nodes.values()
            if isinstance(n.attrs, identity.UserAssignedIdentity) and n.attrs.client_id
        }
        self.account_ids = account_ids

    def vault_for_uri(self, uri: str) -> str:
        return self.vault_by_uri.get(uri) or f"keyvault-uri:{uri}"

    def uami_for_client(self, client_id: str) -> str | None:
        return self.uami_by_client.get(client_id)

    def accounts_matching(self, rule: str) -> list[str]:
        """The accounts a resource instance rule names; `*` matches any run of characters (the portal's
        "all resource instances in the current tenant, subscription, or resource group")."""
        if "*" in rule:
            return [i for i in self.account_ids if fnmatch.fnmatchcase(i, rule)]
        return [rule]
