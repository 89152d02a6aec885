"""The icons of an Azure OpenAI / AI Services account (`cognitive.SPEC`): one for the type, one per kind."""

from __future__ import annotations

from archgen.model.types.spec import IconRef

ACCOUNT_ICON = IconRef(
    "diagrams.azure.aimachinelearning",
    "CognitiveServices",
    "ai_machine_learning/Cognitive_Services.svg",
    "Cognitive Services account",
)
KIND_ICONS = {
    "openai": IconRef(
        "diagrams.azure.aimachinelearning",
        "AzureOpenai",
        "ai_machine_learning/Azure_OpenAI.svg",
        "Azure OpenAI",
    ),
    "aiservices": IconRef(
        "diagrams.azure.aimachinelearning",
        "CognitiveServices",
        "ai_machine_learning/Cognitive_Services.svg",
        "Azure AI Services",
    ),
}
