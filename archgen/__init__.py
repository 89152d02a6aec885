"""archgen: Azure OpenAI workload discovery, security controls, diagrams and a review-board site."""

from __future__ import annotations

__version__ = "0.1.0"
