"""The map page's view: its deck.gl chart (built and serialised once per edition, metric, selected city and
language), the controls' options, the sentences and the tables under the map. No Streamlit; every result is shared
and read-only. The points and links themselves come from explorer.views.map.layers.
"""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from explorer.data.store import IndexData
from explorer.perf.memo import memo
from explorer.text.grades import grade_text
from explorer.text.i18n import city_ids_by_name, city_names_of, translator
from explorer.text.markdown import plain
from explorer.views.map import layers as mapdata
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


@memo
def metric_names_for(data: IndexData, lang: str) -> dict[str, str]:
    """metric id -> its name in the language (the index, then the pillars)."""
    _ = translator(lang)
    return {"index": _("City Diplomacy Index"), **{p: _(n) for p, n in data.pillar_names.items()}}


def build_deck(data: IndexData, edition: int, metric: str, city: str | None, lang: str) -> FrozenDeck:
    """The deck for one (edition, metric, city, language), serialised once."""
    _ = translator(lang)
    points = mapdata.city_points(data, edition, metric, lang).assign(metric_name=metric_names_for(data, lang)[metric])
    layers = [pdk.Layer(
        "ScatterplotLayer", id="cities",
        data=mapdata.layer_records(points, ["name", "country", "metric_name", "score_label", "rank_label",
                                            "lon", "lat", "colour", "radius"]),
        get_position=["lon", "lat"], get_fill_color="colour", get_radius="radius", radius_units='"pixels"',
        stroked=True, get_line_color=mapdata.OUTLINE, line_width_units='"pixels"', get_line_width=1,
        pickable=True, opacity=0.9,
    )]
    links = None
    if city:
        twins = mapdata.twin_links(data, city, lang)
        pact = mapdata.pact_links(data, city, edition, lang)
        links = pd.concat([twins[["to_lon", "to_lat"]], pact[["to_lon", "to_lat"]]])
        cols = ["from_lon", "from_lat", "to_lon", "to_lat"]
        for frame, colour, layer_id, height in ((twins, mapdata.TWIN_COLOUR, "twins", 0.5),
                                                (pact, mapdata.PACT_COLOUR, "pact", 0.25)):
            if len(frame):
                layers.append(pdk.Layer(
                    "ArcLayer", id=layer_id, data=mapdata.layer_records(frame, cols),
                    get_source_position=["from_lon", "from_lat"], get_target_position=["to_lon", "to_lat"],
                    get_source_color=colour, get_target_color=colour, get_width=2.5, width_units='"pixels"',
                    get_height=height, pickable=False,
                ))
        sel = points[points["city_id"] == city]
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="selected", data=mapdata.layer_records(sel, ["lon", "lat", "radius"]),
            get_position=["lon", "lat"], get_radius=14, radius_units='"pixels"', filled=False, stroked=True,
            get_line_color=mapdata.SELECTED_COLOUR, line_width_units='"pixels"', get_line_width=3,
        ))
    view_state = mapdata.view_for(points, city, links)
    if city:
        labelled = [city, *pact["partner_id"], *twins["partner_id"]]
        layers.append(text_layer(mapdata.label_records(data, labelled, view_state["zoom"], lang=lang)))
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


@memo
def city_options_for(data: IndexData, lang: str) -> tuple[str, ...]:
    """"" (no city) and every city id sorted by its name in `lang` (explorer.text.i18n.city_ids_by_name)."""
    return ("", *city_ids_by_name(data, lang))


@memo
def legend_classes(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The legend's class labels (in the language) and colours, from mapdata.legend_rows; once per language."""
    rows = mapdata.legend_rows(lang)
    return tuple(rows["class"]), tuple(rows["hex"])


@memo
def twin_table(data: IndexData, city: str, lang: str) -> pd.DataFrame:
    """The selected city's twin and partner cities among the reference cities (mapdata.twin_links) with the titles
    of their sources and the sources' grades in words, for the page's table."""
    twins = mapdata.twin_links(data, city, lang)
    src = data.sources.set_index("source_id")

    def titles(ids: tuple[str, ...]) -> str:
        return "; ".join(str(src.at[i, "title"]) if i in src.index else i for i in ids)

    def grades(ids: list[str]) -> str:
        return grade_text(";".join(str(src.at[i, "grade"]) for i in ids if i in src.index), lang)

    return twins.assign(sources=[titles(ids) for ids in twins["source_ids"]],
                        grade=[grades([*a, *b]) for a, b in zip(twins["source_ids"], twins["year_source_ids"])],
                        year_source=[titles(ids) for ids in twins["year_source_ids"]])


@memo
def pact_partners(data: IndexData, city: str, edition: int, lang: str) -> pd.DataFrame:
    """The other Pact of Free Cities members of the selected city in the edition (names in `lang`), for the page's
    table: one column, `partner`."""
    return mapdata.pact_links(data, city, int(edition), lang)[["partner"]]


@memo
def points_table(data: IndexData, edition: int, metric: str, lang: str) -> pd.DataFrame:
    """The map's data as a table: every city with its rank and score for the metric, best first, the not-ranked
    cities last."""
    return mapdata.city_points(data, int(edition), metric, lang).sort_values(["rank", "name"], na_position="last")


@memo
def alt_text(data: IndexData, edition: int, metric: str, city: str | None, lang: str) -> str:
    """The map's text alternative: what it shows, for a screen reader."""
    _ = translator(lang)
    n = len(data.cities)
    text = _.ngettext("World map of the {n} reference city, coloured by {metric} score, edition {edition}",
                      "World map of the {n} reference cities, coloured by {metric} score, edition {edition}",
                      n).format(n=n, metric=metric_names_for(data, lang)[metric], edition=edition)
    return text + (_(", with the links of {city}").format(city=city_names_of(data, lang)[city]) if city else "")


@memo
def present_title(data: IndexData, edition: int, metric: str, city: str | None, lang: str) -> str:
    """The presentation mode's title (markdown-safe): the metric, the edition and the selected city."""
    title = f"{plain(metric_names_for(data, lang)[metric])} {edition}"
    return title + (f": {plain(city_names_of(data, lang)[city])}" if city else "")


@memo
def legend_texts(data: IndexData, edition: int, metric: str, lang: str) -> tuple[str, str]:
    """The caption that explains colour and size, and the legend's title (markdown-safe)."""
    _ = translator(lang)
    x = plain(metric_names_for(data, lang)[metric])
    return (_("Colour and size: {x} score (0–100) in the {edition} edition; a bigger, darker "
              "point scores higher. Grey: not ranked in this edition (too little data). Hover "
              "over a point for its rank and score.").format(x=x, edition=edition),
            _("**Legend: {x} score**").format(x=x))


@memo
def links_texts(data: IndexData, city: str, edition: int, lang: str) -> tuple[str, str]:
    """The selected city's links in words: the section title and the sentence naming the orange (twin) and purple
    (Pact) arcs (markdown-safe)."""
    _ = translator(lang)
    n_twins = len(mapdata.twin_links(data, city, lang))
    n_pact = len(mapdata.pact_links(data, city, int(edition), lang))
    orange = _.ngettext("Orange arcs: {n} twin or partner city among the reference cities.",
                        "Orange arcs: {n} twin or partner cities among the reference cities.",
                        n_twins).format(n=n_twins)
    if n_pact:
        purple = _.ngettext("Purple arcs: {n} other Pact of Free Cities member in {edition}.",
                            "Purple arcs: {n} other Pact of Free Cities members in {edition}.",
                            n_pact).format(n=n_pact, edition=edition)
    else:
        purple = _("Purple arcs: none (not a Pact of Free Cities member in {edition}).").format(edition=edition)
    return (_("Links of {x}").format(x=plain(city_names_of(data, lang)[city])), orange + "  \n" + purple)
