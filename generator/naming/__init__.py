"""Stage 4, naming: readable Python names for models, resources, methods and fields.

Model names come from the rename map first (``rename_map``), then from
automatic naming (``autoname``), which shortens machine-made schema keys
(Fern-style path-derived names, ``<tag>_<operation>_Response_200``, dotted
names) to their meaningful part; structurally identical schemas
(``structure``) collapse into one model (``model_names``); a union's inline
members are named from their content (``variants``). Operations get a
resource and a method name (``operations``): the authors' own, from Fern's
and Speakeasy's extensions (``extensions``), or the operationId without what
its framework added (``operation_ids``) and the words that only repeat its
resource (``method_words``). ``case`` is the one place that
spells names in Python's cases; ``suggest`` prints the chosen names as a
rename map to edit.
"""
