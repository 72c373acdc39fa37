"""Interactive teaching widgets (ipywidgets 8) built on the rich displays.

    from dockerlab.widgets import LayerExplorer, Dashboard, BuildPanel
    LayerExplorer()             # pick an image or container, see its layers and the files each adds
    Dashboard()                 # your containers, refreshed every 2 s, with stop/remove buttons
    BuildPanel("hello", "images/hello")   # a build with a progress bar, the notebook stays free
    ClassView()                 # (teachers) every learner's exercises, refreshed every 5 s

``close_all()`` (also run by ``dockerlab.reset()``) stops every widget's thread or timer.
"""

from __future__ import annotations

from .build_panel import BuildPanel
from .classview import ClassView
from .dashboard import Dashboard
from .layer_explorer import LayerExplorer
from .live import close_all, live_widgets

__all__ = ["BuildPanel", "ClassView", "Dashboard", "LayerExplorer", "close_all", "live_widgets"]
