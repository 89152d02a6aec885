"""One small function per control: (graph, node) -> (status, reason, evidence).

Evidence maps the property path read to the value found, so a reviewer can re-check it; a `pass`
always carries the evidence it rests on. EVALUATORS below is the registry: one line per control.
"""

from __future__ import annotations

from archgen.controls.evaluators import (
    access,
    customroles,
    data,
    defender,
    dns,
    encryption,
    filters,
    foundry,
    gateway,
    identity,
    logging,
    mlhub,
    netpath,
    network,
    policy,
)
from archgen.controls.evaluators.common import Evaluator, Verdict

EVALUATORS: dict[str, Evaluator] = {
    "AOAI-NET-01": network.aoai_net_01,
    "AOAI-NET-02": network.aoai_net_02,
    "AOAI-NET-03": dns.aoai_net_03,
    "AOAI-NET-04": network.aoai_net_04,
    "AOAI-NET-05": network.aoai_net_05,
    "AOAI-NET-06": netpath.aoai_net_06,
    "AOAI-NET-07": netpath.aoai_net_07,
    "AOAI-NET-08": gateway.aoai_net_08,
    "AOAI-NET-09": gateway.aoai_net_09,
    "AOAI-NET-10": policy.aoai_net_10,
    "AOAI-IAM-01": identity.aoai_iam_01,
    "AOAI-IAM-02": identity.aoai_iam_02,
    "AOAI-IAM-03": identity.aoai_iam_03,
    "AOAI-IAM-04": access.aoai_iam_04,
    "AOAI-IAM-05": access.aoai_iam_05,
    "AOAI-IAM-06": customroles.aoai_iam_06,
    "AOAI-ENC-01": encryption.aoai_enc_01,
    "AOAI-ENC-02": encryption.cmk_chain,
    "AOAI-LOG-01": logging.aoai_log_01,
    "AOAI-LOG-02": defender.plan_on_subscription,
    "AOAI-DATA-01": data.aoai_data_01,
    "AOAI-DATA-02": data.aoai_data_02,
    "AOAI-DATA-03": data.aoai_data_03,
    "AOAI-DATA-04": filters.aoai_data_04,
    "AOAI-DATA-05": filters.aoai_data_05,
    "KV-NET-01": network.kv_net_01,
    "KV-NET-02": dns.private_reach,
    "KV-IAM-01": identity.kv_iam_01,
    "KV-ENC-01": encryption.kv_enc_01,
    "KV-ENC-02": encryption.kv_enc_02,
    "KV-LOG-01": logging.kv_log_01,
    "KV-LOG-02": defender.plan_on_subscription,
    "ST-LOG-01": defender.plan_on_subscription,
    "ST-NET-01": network.st_net_01,
    "ST-NET-02": network.st_net_02,
    "ST-NET-03": dns.private_reach,
    "ST-IAM-01": identity.st_iam_01,
    "ST-ENC-01": encryption.st_enc_01,
    "ST-ENC-02": encryption.st_enc_02,
    "ST-ENC-03": encryption.cmk_chain,
    "FDY-IAM-01": foundry.fdy_iam_01,
    "FDY-NET-01": foundry.fdy_net_01,
    "FDY-NET-02": mlhub.fdy_net_02,
    "COSMOS-NET-01": foundry.cosmos_net_01,
    "COSMOS-IAM-01": foundry.cosmos_iam_01,
    "SRCH-NET-01": foundry.srch_net_01,
    "SRCH-IAM-01": foundry.srch_iam_01,
}

__all__ = ["EVALUATORS", "Evaluator", "Verdict"]
