"""Server-made SVG charts for the dashboard and the printed report.

Pure functions: plain numbers in, a ``markupsafe.Markup`` SVG string out. No chart
library, no JavaScript, no outside requests. Every chart is readable in black and white
(hatching and shades, direct value labels, a legend) and carries ``<title>``/``<desc>``.
The public functions live in ``surveyapp.charts.svg``.
"""
