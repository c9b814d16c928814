"""Who stops whom decides the type, not the verb. "Blocked", "barred", "suspended" and "shut
out" say only that someone stops a use; the parties say which event it is:

- an authority (a country, a regulator, an agency) stopping anything is a `ban`;
- anyone stopping a country is an `access_cutoff` (a vendor withdrawing its service there);
- anyone stopping a party's crawler is an `access_cutoff` of that party ("the New York Times
  blocked OpenAI's web crawler": OpenAI loses access to the Times's pages);
- a vendor or platform stopping a company or a person is an `access_cutoff` (it stops them
  using its own service: OpenAI suspending accounts of a firm);
- anyone else stopping a product or a vendor is a `ban` (a firm barring a chatbot from its
  systems; NASA "cutting off access" to DeepSeek: only a vendor can cut off its own service).

A vendor stopping its own product ("OpenAI banned several ChatGPT accounts") stops the
product's users, not the product: that is no event between the two (the users, when named,
are the target of another candidate). Otherwise the frame's type stands: between two vendors
the verb decides ("Anthropic cut off xAI" and "Google removed DeepSeek from its store" read
alike to their parties). The kinds are those of `nlp.candidates.party_kind`;
`nlp.training.train` measures the decisions with the same function.
"""
from __future__ import annotations

STOP_TYPES = ("ban", "access_cutoff")
AUTHORITY_KINDS = {"GPE", "regulator", "authority", "agency"}
SERVICE_KINDS = {"vendor", "platform"}
SERVED_KINDS = {"ORG", "PERSON", "customer"}
CRAWLER = "crawler"
"""The kind of a party named as the owner of what is stopped: "OpenAI's web crawler" (nlp.candidates)."""


def stop_type(etype: str, actor_kind: str | None, target_kind: str | None, own_product: bool = False) -> str | None:
    """The type of an event of the stop-using family, from the kinds of its parties; None
    when the actor stops its own product."""
    if etype not in STOP_TYPES:
        return etype
    if own_product:
        return None
    if actor_kind in AUTHORITY_KINDS:
        return "ban"
    if target_kind in ("GPE", CRAWLER):
        return "access_cutoff"
    if actor_kind in SERVICE_KINDS and target_kind in SERVED_KINDS:
        return "access_cutoff"
    if actor_kind not in SERVICE_KINDS and target_kind in SERVICE_KINDS:
        return "ban"  # NASA "cut off access" to DeepSeek: only a vendor's own service can be cut off
    if target_kind == "PRODUCT":
        return "ban"
    return etype
