"""The Pact of Free Cities: accession dates, events, members' scores against comparable non-members and the sources
(members), and the members map (map)."""
