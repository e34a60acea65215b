"""The plant model and its clock: kinds, account layout, site physics, the 5-minute grid, settings.

Pure data and arithmetic: nothing here knows about HTTP, envelopes or payload shapes.
"""
