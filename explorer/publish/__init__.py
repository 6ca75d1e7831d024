"""Static publishing: `python -m explorer.publish` renders the snapshots with their preview cards and the PDF reports
(through explorer.documents.report) into static/, generated and never committed. The live app never imports this
package (tests/explorer/test_publish.py runs every page and checks); what it needs of the published files' addresses
is in explorer.text.urls."""
