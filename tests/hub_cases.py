"""Hub-based Foundry fixtures (workspaceRP.json 2025-09-01 shapes), each named by the FDY-NET-02 outcome it
gives for the account `f.ACCOUNT`."""

from __future__ import annotations

from typing import Any

from tests import factory as f

HUB = f.rid("Microsoft.MachineLearningServices", "workspaces", "hub-test")
HUB_PROJECT = f.rid("Microsoft.MachineLearningServices", "workspaces", "proj-test")
SECRET = "bm90LWEtcmVhbC1rZXktYnV0LW5ldmVyLXN0b3JlZA=="  # what a key-based connection list could return


def hub(mode: str | None = "AllowOnlyApprovedOutbound", public: str = "Disabled", **extra: Any) -> f.Row:
    props: dict[str, Any] = {"publicNetworkAccess": public, "friendlyName": "Test hub"}
    if mode is not None:
        props["managedNetwork"] = {"isolationMode": mode, "status": {"status": "Active", "sparkReady": False}}
    return f.row(
        HUB,
        "Microsoft.MachineLearningServices/workspaces",
        props,
        kind="Hub",
        identity={"type": "SystemAssigned", "principalId": "7a9c1e3b-5d7f-4a1c-8e3b-5d7f9a1c3e52"},
        **extra,
    )


def hub_project(hub_id: str = HUB) -> f.Row:
    return f.row(
        HUB_PROJECT,
        "Microsoft.MachineLearningServices/workspaces",
        {"hubResourceId": hub_id, "publicNetworkAccess": "Disabled", "friendlyName": "Test project"},
        kind="Project",
        identity={"type": "SystemAssigned", "principalId": "9c1e3b5d-7f9a-4c3e-a5d7-f9a1c3e5b764"},
    )


def hub_connection(
    name: str = "aoai-test",
    owner: str = HUB,
    target: str = "https://aoai-test.openai.azure.com/",
    resource_id: str | None = None,
    auth: str = "AAD",
) -> f.Row:
    props: dict[str, Any] = {
        "category": "AzureOpenAI",
        "target": target,
        "authType": auth,
        "isSharedToAll": True,
    }
    if resource_id is not None:
        props["metadata"] = {"ApiType": "Azure", "ResourceId": resource_id, "ApiVersion": "2024-10-21"}
    return {
        "id": f"{owner}/connections/{name}",
        "name": name,
        "type": "Microsoft.MachineLearningServices/workspaces/connections",
        "properties": props,
    }


def hub_pass_approved_outbound_only() -> list[f.Row]:
    return [f.account(), hub(), hub_connection(resource_id=f.ACCOUNT)]


def hub_pass_connected_by_endpoint_host_in_other_case() -> list[f.Row]:
    return [
        f.account(),
        hub("allowonlyapprovedoutbound"),
        hub_connection(target="AOAI-TEST.openai.azure.com"),
    ]


def hub_pass_project_of_an_approved_outbound_hub() -> list[f.Row]:
    return [f.account(), hub(), hub_project(), hub_connection(owner=HUB_PROJECT)]


def hub_fail_internet_outbound() -> list[f.Row]:
    return [
        f.account(),
        hub("AllowInternetOutbound", public="Enabled"),
        hub_connection(resource_id=f.ACCOUNT),
    ]


def hub_fail_managed_network_disabled() -> list[f.Row]:
    return [f.account(), hub("Disabled"), hub_connection()]


def hub_fail_project_of_an_internet_outbound_hub() -> list[f.Row]:
    return [f.account(), hub("AllowInternetOutbound"), hub_project(), hub_connection(owner=HUB_PROJECT)]


def hub_unknown_isolation_mode_not_set() -> list[f.Row]:
    return [f.account(), hub(None), hub_connection(resource_id=f.ACCOUNT)]


def hub_unknown_project_whose_hub_is_not_in_the_input() -> list[f.Row]:
    return [f.account(), hub_project(), hub_connection(owner=HUB_PROJECT, resource_id=f.ACCOUNT)]


def hub_na_feature_store_workspace() -> list[f.Row]:
    ws = hub("AllowInternetOutbound")
    ws["kind"] = "FeatureStore"
    return [f.account(), ws, hub_connection(resource_id=f.ACCOUNT)]


H, P = HUB.lower(), HUB_PROJECT.lower()
CASES = [
    ("FDY-NET-02", hub_pass_approved_outbound_only, H, "pass"),
    ("FDY-NET-02", hub_pass_connected_by_endpoint_host_in_other_case, H, "pass"),
    ("FDY-NET-02", hub_pass_project_of_an_approved_outbound_hub, P, "pass"),
    ("FDY-NET-02", hub_fail_internet_outbound, H, "fail"),
    ("FDY-NET-02", hub_fail_managed_network_disabled, H, "fail"),
    ("FDY-NET-02", hub_fail_project_of_an_internet_outbound_hub, P, "fail"),
    ("FDY-NET-02", hub_unknown_isolation_mode_not_set, H, "unknown"),
    ("FDY-NET-02", hub_unknown_project_whose_hub_is_not_in_the_input, P, "unknown"),
    ("FDY-NET-02", hub_na_feature_store_workspace, H, "not_applicable"),
]
