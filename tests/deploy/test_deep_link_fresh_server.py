"""A deep link opened on a freshly started server gets the whole app: app.py's page config and top navigation.

With `pages/` next to app.py, Streamlit 1.67 ran such a link's page script on its own until some session had
called st.navigation: no menu, no wide layout, no page title (explorer/widgets/shell.py). AppTest cannot show this (it
resets that mode before every run), so this test drives a real server with Streamlit's own protocol."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Navigation_pb2 import Navigation

from benchmarks.st_client import free_port, one_session, start_server, stop_server


def test_a_fresh_servers_first_visitor_on_a_city_link_gets_the_menu_and_the_page_config(tmp_path):
    port = free_port()
    with open(tmp_path / "server.log", "w") as log:
        proc = start_server(port, log)
        try:
            with ThreadPoolExecutor(1) as pool:  # its own event loop: browser tests may leave one running here
                msgs: list[ForwardMsg] = []
                pool.submit(asyncio.run, one_session(port, "city", "city=budapest", keep=msgs)).result()
        finally:
            stop_server(proc)
    kinds = [m.WhichOneof("type") for m in msgs]
    assert "page_config_changed" in kinds, kinds
    nav = [m.navigation for m in msgs if m.WhichOneof("type") == "navigation"][-1]
    assert nav.position == Navigation.Position.TOP
    assert [p.page_name for p in nav.app_pages][:2] == ["Home", "Ranking"] and len(nav.app_pages) == 8
    assert nav.page_script_hash == next(p.page_script_hash for p in nav.app_pages if p.page_name == "City profile")
    titles = [m.delta.new_element.heading.body for m in msgs if m.WhichOneof("type") == "delta"
              and m.delta.WhichOneof("type") == "new_element" and m.delta.new_element.WhichOneof("type") == "heading"]
    assert "Budapest" in titles
    assert not [m for m in msgs if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element"
                and m.delta.new_element.WhichOneof("type") == "exception"]
