"""Stage 7, view: the typed model of what the templates emit.

Every decision about the generated client code is made here, in Python, so
the templates only lay values out. ``shapes`` holds the records the templates
read; ``package`` builds the whole view; ``clients`` one client module per
family of variants (``generator.variants``), with a class per variant;
``resources`` one module per tag and family, with a class per variant;
``methods`` one method per operation; ``annotate`` the Python types of
arguments and returns; ``docstrings`` the prose. Decisions that ``api.txt``
and ``clientgen diff`` share with the view live in ``generator.contract``.
"""
