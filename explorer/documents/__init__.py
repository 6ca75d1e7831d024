"""Documents made from the published tables: the annual feedback PDF report and the fonts it draws with."""
