"""Teaching displays: rich renderables that print the same in a terminal and in JupyterLab.

    from dockerlab.display import layer_stack, containers_table, status
    layer_stack("debian:bookworm-slim")     # one row per layer, base first
    layer_stack(web)                        # a container: its writable layer on top
"""

from __future__ import annotations

from .buildlog import BuildLog, LiveBuildLog
from .containers import ContainersTable, containers_table
from .layerstack import LayerFilesView, LayerStack, layer_files_view, layer_stack
from .network import NetworkView, network_view
from .render import mimebundle, to_html, to_text
from .status import Status, status
from .volumes import VolumesTable, volumes_table

__all__ = ["BuildLog", "ContainersTable", "LayerFilesView", "LayerStack", "LiveBuildLog", "NetworkView", "Status",
           "VolumesTable", "containers_table", "layer_files_view", "layer_stack", "mimebundle", "network_view",
           "status", "to_html", "to_text", "volumes_table"]
