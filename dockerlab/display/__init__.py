"""Teaching displays: rich renderables that print the same in a terminal and in JupyterLab, one module per view.

Import the view you show (importing this package loads none of them):

    from dockerlab.display.layerstack import layer_stack
    layer_stack("debian:bookworm-slim")     # one row per layer, base first
    layer_stack(web)                        # a container: its writable layer on top

``render`` (text/HTML for any renderable), ``buildlog``, ``containers``, ``doctor``, ``layerstack``, ``network``,
``pipeline``, ``prepare``, ``status``, ``timeline``, ``volumes``.
"""
