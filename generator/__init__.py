"""clientgen: turn an OpenAPI document into readable Python clients.

The pipeline, one module per stage:

    load → validate → extract (IR) → naming → schemas → models → view → render
    → format → manifest → write

``pipeline`` strings them together; ``cli`` is the command line; ``diff``
compares two documents through the same stages.
"""

__version__ = "0.1.0"
