"""The dashboard's page layout: controls on the left, the views pinned on the right.

On a window at least 1,280 px wide the controls and the views stand side by side and the views
column is sticky: it stays in the window while the controls scroll, so the effect of a click (the
"what changed" line, the timeline, the tables, the newest code-log line) is in view at once.
Narrower windows stack the two columns. This is CSS only (a `<style>` element, no script), so it
works in JupyterLab, Notebook 7 and VS Code alike; JupyterLab's output area is told not to clip
the sticky column (`overflow: visible` on the output that holds a dashboard).
"""

from __future__ import annotations

import ipywidgets as widgets

WIDE = 1280  # px: side by side from here
PINNED_HEIGHT = "calc(100vh - 150px)"  # the window minus JupyterLab's menu, tabs and toolbar

STYLE = f"""
<style>
.eoslab-dashboard, .eoslab-layout, .eoslab-columns, .eoslab-controls {{
  overflow: visible !important; min-width: 0; }}
.eoslab-pinned .eoslab-offset-timeline {{ max-width: 100%; height: auto; }}
.eoslab-pinned table {{ font-size: 12px; }}
.eoslab-pinned th {{ white-space: normal; }}
.eoslab-pinned .widget-box, .eoslab-pinned .lm-TabPanel, .eoslab-pinned .lm-StackedPanel,
.eoslab-pinned .widget-tab-contents {{ min-width: 0; max-width: 100%; }}
.eoslab-protocol-box {{ width: 100%; overflow: auto; }}
.eoslab-what-changed {{ font-size: 13px; background: #FFF8E1; border-left: 4px solid #E69F00;
  padding: 2px 6px; }}
.eoslab-pinned .eoslab-code-scroll {{ max-height: 6.6em !important; }}
@media (min-width: {WIDE}px) {{
  .eoslab-columns {{ flex-flow: row nowrap !important; align-items: flex-start !important; }}
  .eoslab-controls {{ flex: 0 0 42%; min-width: 0; }}
  .eoslab-pinned {{ flex: 1 1 58%; min-width: 0; position: sticky; top: 0; z-index: 2;
    height: {PINNED_HEIGHT}; display: flex; flex-direction: column; background: white; }}
  .eoslab-pinned > * {{ flex-shrink: 0; }}
  .eoslab-pinned > .eoslab-views-panel {{ flex: 1 1 auto; min-height: 0; overflow-y: auto;
    overflow-x: hidden; }}
  .eoslab-pinned > .eoslab-views-panel > * {{ flex-shrink: 0; }}
  .jp-OutputArea-output:has(.eoslab-dashboard),
  .jp-OutputArea-child:has(.eoslab-dashboard),
  .jp-Cell-outputWrapper:has(.eoslab-dashboard),
  .jp-Cell-outputArea:has(.eoslab-dashboard),
  .jp-OutputArea:has(.eoslab-dashboard),
  .jp-Cell:has(.eoslab-dashboard),
  .jupyter-widgets-output-area:has(.eoslab-dashboard) {{ overflow: visible !important;
    contain: none !important; min-width: 0 !important; }}
}}
@media (max-width: {WIDE - 1}px) {{
  .eoslab-columns {{ flex-flow: column nowrap !important; }}
}}
</style>
"""


def columns(controls: list[widgets.Widget], pinned: list[widgets.Widget]) -> widgets.Widget:
    """The two columns, and the style that places them."""
    left = widgets.VBox(controls)
    left.add_class("eoslab-controls")
    right = widgets.VBox(pinned)
    right.add_class("eoslab-pinned")
    both = widgets.HBox([left, right], layout=widgets.Layout(width="100%"))
    both.add_class("eoslab-columns")
    page = widgets.VBox([widgets.HTML(STYLE), both], layout=widgets.Layout(width="100%"))
    page.add_class("eoslab-layout")
    return page
