"""The Pact page's members map: every member coloured by its accession wave, labelled where labels do not overlap,
built and serialised once per language (a shared, read-only FrozenDeck), and the colour legend's labels. No
Streamlit."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from explorer.data.store import IndexData
from explorer.perf.memo import memo
from explorer.text.i18n import N_, translator
from explorer.views.map import layers as mapdata
from explorer.views.map.page import BASEMAP, FONT, TOOLTIP_STYLE
from explorer.views.pact import members as pv
from explorer.widgets import decks
from explorer.widgets.decks import FrozenDeck

# label (a msgid), first and last accession year, colour; the last wave is the members with no known date
WAVES = [(N_("2019 (founders)"), 2019, 2019, (215, 25, 28)), ("2021", 2021, 2021, (34, 94, 168)),
         ("2022", 2022, 2022, (65, 171, 93)), ("2023–2025", 2023, 2025, (230, 120, 0)),
         (N_("date not known"), None, None, (130, 130, 130))]
ZOOM = 2.6  # the members map's initial zoom: Europe, where all but four members are


def wave_of(ts: pd.Timestamp | None) -> tuple[str, tuple[int, int, int]]:
    """The accession wave (label msgid, colour) of a plotted accession date; the last wave for no date."""
    if ts is None or ts != ts:  # NaT
        return WAVES[-1][0], WAVES[-1][3]
    for label, lo, hi, colour in WAVES[:-1]:
        if lo <= ts.year <= hi:
            return label, colour
    return WAVES[-1][0], WAVES[-1][3]


@memo
def wave_legend(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The legend's wave labels in the language and their colours as hex."""
    _ = translator(lang)
    return (tuple(_(w) for w, *_rest in WAVES), tuple("#{:02x}{:02x}{:02x}".format(*c) for *_rest, c in WAVES))


def _label_order(data: IndexData) -> list[str]:
    """Label priority: founders first, then by accession date; within a date the larger city first; the undated
    members last."""
    pop = dict(zip(data.cities["city_id"], data.cities["population"]))
    t = pv.timeline(data).assign(pop=lambda f: f["city_id"].map(pop)).sort_values(["date_plot", "pop"],
                                                                                   ascending=[True, False])
    return t["city_id"].tolist() + pv.undated(data)["city_id"].tolist()


@memo
def members_deck(data: IndexData, lang: str) -> FrozenDeck:
    """The members map in the language (names, wave and date labels, tooltip), serialised once: shared by every
    session, so never to be changed."""
    tr = translator(lang)
    dates = pv.accession_dates(data.pact_members, lang).set_index("city_id")
    c = data.cities.set_index("city_id")
    records = []
    for cid in data.pact_members["city_id"]:
        if cid not in c.index:
            continue
        wave, colour = wave_of(dates.at[cid, "date_plot"])
        records.append({"name": str(dates.at[cid, "name"]), "country": str(c.at[cid, "country_iso2"]),
                        "joined": str(dates.at[cid, "date_label"]), "wave": tr(wave), "colour": list(colour),
                        "lon": float(c.at[cid, "lon"]), "lat": float(c.at[cid, "lat"])})
    layer = pdk.Layer("ScatterplotLayer", id="members", data=records, get_position=["lon", "lat"],
                      get_fill_color="colour", get_radius=7, radius_units='"pixels"', stroked=True,
                      get_line_color=mapdata.OUTLINE, line_width_units='"pixels"', get_line_width=1, pickable=True)
    labels = pdk.Layer("TextLayer", id="labels",
                       data=mapdata.label_records(data, _label_order(data), ZOOM, max_labels=40, lang=lang),
                       get_position=["lon", "lat"], get_text="label", get_size=11, get_color=[20, 20, 20],
                       get_pixel_offset=[0, -10], get_alignment_baseline='"bottom"', character_set='"auto"',
                       font_family=FONT, background=True, get_background_color=[255, 255, 255, 190],
                       background_padding=[2, 1])
    view = pdk.ViewState(latitude=48.0, longitude=12.0, zoom=ZOOM)
    return decks.frozen(FrozenDeck(layers=[layer, labels], initial_view_state=view, map_provider="carto",
                                   map_style=BASEMAP, tooltip={"text": "{name} ({country})\n" + tr("Joined")
                                                               + ": {joined}", "style": TOOLTIP_STYLE}))
