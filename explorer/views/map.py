"""The map page's deck.gl chart and per-process look-ups. No Streamlit.

Why: st.pydeck_chart serialises its Deck with pydeck's `to_json` (json.dumps over every point record, indent 2) on
every call: for the default map that is ~117 KB of JSON and about a third of each run. The decks were already
cached per (edition, metric, city, language), but the JSON was rebuilt per run. Built as
explorer.widgets.decks.FrozenDeck
and kept by explorer.widgets.decks.frozen, each is serialised once and every later call gets the same string, the bytes
pydeck would send (the page script's `st.cache_resource` decorator also re-built its wrapper on every run).
"""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from explorer.data.store import IndexData
from explorer.perf.memo import memo
from explorer.text.grades import grade_text
from explorer.text.i18n import city_ids_by_name, translator
from explorer.views import mapdata as mapview
from explorer.widgets import decks
from explorer.widgets.decks import FrozenDeck

FONT = '"Source Sans Pro, Helvetica, Arial, sans-serif"'
BASEMAP = "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json"  # Carto Positron: no token needed
TOOLTIP_STYLE = {"backgroundColor": "#ffffff", "color": "#111111", "fontSize": "14px"}


def text_layer(records: list[dict]) -> pdk.Layer:
    """City names drawn by deck.gl itself (canvas text, not HTML), on a light box, readable without tiles."""
    return pdk.Layer("TextLayer", id="labels", data=records, get_position=["lon", "lat"], get_text="label",
                     get_size=12, get_color=[20, 20, 20], get_pixel_offset=[0, -14],
                     get_alignment_baseline='"bottom"', character_set='"auto"', font_family=FONT, background=True,
                     get_background_color=[255, 255, 255, 200], background_padding=[2, 1])


def metric_names_for(data: IndexData, lang: str) -> dict[str, str]:
    """metric id -> its name in the language (the index, then the pillars)."""
    _ = translator(lang)
    return {"index": _("City Diplomacy Index"), **{p: _(n) for p, n in data.pillar_names.items()}}


def build_deck(data: IndexData, edition: int, metric: str, city: str | None, lang: str) -> FrozenDeck:
    """The deck for one (edition, metric, city, language), serialised once."""
    _ = translator(lang)
    points = mapview.city_points(data, edition, metric, lang).assign(metric_name=metric_names_for(data, lang)[metric])
    layers = [pdk.Layer(
        "ScatterplotLayer", id="cities",
        data=mapview.layer_records(points, ["name", "country", "metric_name", "score_label", "rank_label",
                                            "lon", "lat", "colour", "radius"]),
        get_position=["lon", "lat"], get_fill_color="colour", get_radius="radius", radius_units='"pixels"',
        stroked=True, get_line_color=mapview.OUTLINE, line_width_units='"pixels"', get_line_width=1,
        pickable=True, opacity=0.9,
    )]
    links = None
    if city:
        twins = mapview.twin_links(data, city, lang)
        pact = mapview.pact_links(data, city, edition, lang)
        links = pd.concat([twins[["to_lon", "to_lat"]], pact[["to_lon", "to_lat"]]])
        cols = ["from_lon", "from_lat", "to_lon", "to_lat"]
        for frame, colour, layer_id, height in ((twins, mapview.TWIN_COLOUR, "twins", 0.5),
                                                (pact, mapview.PACT_COLOUR, "pact", 0.25)):
            if len(frame):
                layers.append(pdk.Layer(
                    "ArcLayer", id=layer_id, data=mapview.layer_records(frame, cols),
                    get_source_position=["from_lon", "from_lat"], get_target_position=["to_lon", "to_lat"],
                    get_source_color=colour, get_target_color=colour, get_width=2.5, width_units='"pixels"',
                    get_height=height, pickable=False,
                ))
        sel = points[points["city_id"] == city]
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="selected", data=mapview.layer_records(sel, ["lon", "lat", "radius"]),
            get_position=["lon", "lat"], get_radius=14, radius_units='"pixels"', filled=False, stroked=True,
            get_line_color=mapview.SELECTED_COLOUR, line_width_units='"pixels"', get_line_width=3,
        ))
    view_state = mapview.view_for(points, city, links)
    if city:
        labelled = [city, *pact["partner_id"], *twins["partner_id"]]
        layers.append(text_layer(mapview.label_records(data, labelled, view_state["zoom"], lang=lang)))
    view = pdk.ViewState(**view_state)
    # the tooltip's {fields} are filled by deck.gl from the records; only "Rank" is ours to translate
    tooltip = {"text": "{name} ({country})\n{metric_name}: {score_label}\n" + _("Rank") + ": {rank_label}",
               "style": TOOLTIP_STYLE}
    deck = FrozenDeck(layers=layers, initial_view_state=view, map_provider="carto", map_style=BASEMAP,
                      tooltip=tooltip)
    return deck


@memo
def deck(data: IndexData, edition: int, metric: str, city: str | None, lang: str) -> FrozenDeck:
    """The deck for (edition, metric, city, language) of the shared IndexData, serialised once: shared by every
    session, so never to be changed (st.pydeck_chart only reads it; its pandas-3 workaround converts DataFrame
    layer data in place, and these layers hold lists of records already)."""
    return decks.frozen(build_deck(data, int(edition), metric, city, lang))


def city_options_for(data: IndexData, lang: str) -> tuple[str, ...]:
    """"" (no city) and every city id sorted by its name in `lang` (explorer.text.i18n.city_ids_by_name, per
    process)."""
    return ("", *city_ids_by_name(data, lang))


@memo
def legend_classes(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The legend's class labels (in the language) and colours, from mapview.legend_rows; once per language."""
    rows = mapview.legend_rows(lang)
    return tuple(rows["class"]), tuple(rows["hex"])


def twin_table(data: IndexData, city: str, lang: str) -> pd.DataFrame:
    """The selected city's twin and partner cities among the reference cities (mapview.twin_links) with the titles
    of their sources and the sources' grades in words, for the page's table; explorer.widgets.tables keeps it per
    process."""
    twins = mapview.twin_links(data, city, lang)
    src = data.sources.set_index("source_id")

    def titles(ids: list[str]) -> str:
        return "; ".join(str(src.at[i, "title"]) if i in src.index else i for i in ids)

    def grades(ids: list[str]) -> str:
        return grade_text(";".join(str(src.at[i, "grade"]) for i in ids if i in src.index), lang)

    return twins.assign(sources=[titles(ids) for ids in twins["source_ids"]],
                        grade=[grades([*a, *b]) for a, b in zip(twins["source_ids"], twins["year_source_ids"])],
                        year_source=[titles(ids) for ids in twins["year_source_ids"]])
