"""Matplotlib figures of the report. Each module draws one kind of figure on a
`matplotlib.figure.Figure` (never pyplot's global state) with the Agg renderer."""
