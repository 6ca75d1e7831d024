"""What-if weights: the user's own ranking of an edition beside the official one, re-ranked by cdi_core.whatif
(the index's own aggregate and rank stages) from the published scores, and the sentence that says which weights
they are. Pure pandas, no Streamlit; the app never carries a copy of the index math.
"""

from __future__ import annotations

import pandas as pd

from cdi_core.whatif import PublishedBase, rerank_base
from explorer.data.store import INDEX, IndexData
from explorer.perf.memo import memo
from explorer.text.i18n import city_names_of, fmt_percent, translator
from explorer.views.framework import pillar_names

# --- what-if --------------------------------------------------------------------------------------------------------

@memo
def weight_pillars(data: IndexData) -> tuple[str, ...]:
    """The pillar ids in framework order (the what-if sliders' order); once per process."""
    return tuple(data.framework.drop_duplicates("pillar")["pillar"])


@memo
def official_weights(data: IndexData) -> tuple[int, ...]:
    """The official pillar weights as whole percentages (equal weights -> 25 each), in framework order; once per
    process."""
    pw = data.framework.drop_duplicates("pillar").set_index("pillar")["pillar_weight"]
    total = float(pw.sum())
    return tuple(int(round(100 * float(w) / total)) for w in pw)


def whatif_table(base: PublishedBase, data: IndexData, pillar_ids: list[str], weights: tuple[int, ...],
                 edition: int) -> pd.DataFrame:
    """The user's own ranking of one edition beside the official rank: own rank, city, own score, official rank and
    the difference (+ = higher under the user's weights)."""
    own = rerank_base(base, dict(zip(pillar_ids, (float(w) for w in weights))))
    own = own[own["edition"] == edition]
    off = data.scores[(data.scores["edition"] == edition) & (data.scores["pillar"] == INDEX)].set_index("city_id")
    names = data.cities.set_index("city_id")["name"]
    return pd.DataFrame({
        "own_rank": own["rank"].to_numpy(),
        "city": [str(names.get(c, c)) for c in own["city_id"]],
        "own_score": own["score"].to_numpy(),
        "official_rank": off["rank"].reindex(own["city_id"]).astype("Int64").to_numpy(),
        "city_id": own["city_id"].to_numpy(),
    }).assign(difference=lambda f: (f["official_rank"] - f["own_rank"]).astype("Int64"))


@memo
def whatif_view(base: PublishedBase, data: IndexData, rows: pd.DataFrame, weights: tuple[int, ...], edition: int,
                lang: str = "en") -> pd.DataFrame:
    """The ranking page's own-weights table: whatif_table for the cities of `rows` (the page's filtered ranking
    rows, a shared frame) with the city names in `lang`: own rank, city, own score, official rank, difference."""
    own = whatif_table(base, data, list(weight_pillars(data)), tuple(weights), int(edition))
    own = own[own["city_id"].isin(set(rows["city_id"]))]
    return own.assign(city=own["city_id"].map(city_names_of(data, lang))).drop(columns=["city_id"])


@memo
def weights_caption(data: IndexData, weights: tuple[int, ...], total_ranked: int, edition: int,
                    lang: str = "en") -> str:
    """The user's weights as shares of their total, in words, and what the table re-ranks (`weights` in
    weight_pillars order, not all zero)."""
    _ = translator(lang)
    names = pillar_names(data, lang)
    share = ", ".join(f"{names.get(p, p)} {fmt_percent(w / sum(weights), lang)}"
                      for p, w in zip(weight_pillars(data), weights))
    return _.ngettext(
        "Weights: {share}. Same published indicator and pillar scores, re-averaged with your weights "
        "and re-ranked among the {total_ranked} city ranked in {edition}. Share this view with the "
        "page's link.",
        "Weights: {share}. Same published indicator and pillar scores, re-averaged with your weights and "
        "re-ranked among the {total_ranked} cities ranked in {edition}. Share this view with the page's "
        "link.", total_ranked).format(share=share, total_ranked=total_ranked, edition=edition)
