"""A shared locale Styler is marshalled once per process (explorer.compat.install_styler_memo): every later element
carries the same bytes Streamlit's own marshalling gives, and a Styler that is not shared is marshalled as before."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.elements import arrow
from streamlit.proto.ArrowData_pb2 import ArrowData

from explorer import compat
from explorer.widgets import tables
from explorer.widgets.tables import styled

FRAME = pd.DataFrame({"city": ["Budapest", "Wien"], "score": [46.74, 62.1], "rank": [22, 8]})


@pytest.fixture(autouse=True)
def installed():
    assert compat.install_styler_memo(), "explorer.compat's styler_marshal probe failed on this Streamlit"


def _original_bytes(styler) -> bytes:
    proto = ArrowData()
    arrow.marshall_styler.original(proto, styler, "x")
    return proto.styler.SerializeToString()


def test_a_shared_styler_is_marshalled_once_with_streamlits_own_bytes(monkeypatch):
    shared = compat.share_styler(styled(FRAME, "hu"))
    fresh = styled(FRAME, "hu").set_uuid(shared.uuid)
    expected = _original_bytes(fresh)
    translations = []
    real = type(shared)._translate
    monkeypatch.setattr(type(shared), "_translate", lambda self, *a, **k: translations.append(1) or real(self, *a, **k))
    outs = []
    for _ in range(3):
        proto = ArrowData()
        arrow.marshall_styler(proto, shared, "x")
        outs.append(proto.styler.SerializeToString())
    assert outs == [expected] * 3 and len(translations) == 1
    assert b"46,7" in proto.styler.display_values


def test_a_styler_not_shared_is_marshalled_every_time(monkeypatch):
    plain = styled(FRAME, "de")
    translations = []
    real = type(plain)._translate
    monkeypatch.setattr(type(plain), "_translate", lambda self, *a, **k: translations.append(1) or real(self, *a, **k))
    for _ in range(2):
        arrow.marshall_styler(ArrowData(), plain, "x")
    assert len(translations) == 2


def test_tables_share_one_styler_per_table_language_and_decimals():
    hu = tables.table(FRAME, "hu")
    assert tables.table(FRAME, "hu") is hu
    assert tables.table(FRAME, "de") is not hu
    assert tables.table(FRAME, "hu", decimals={"score": 2}) is not hu
    assert getattr(hu, compat._MARK) == b""
