"""Teaching displays: rich renderables that print the same in a terminal and in JupyterLab."""
