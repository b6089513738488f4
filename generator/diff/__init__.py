"""``clientgen diff``: what changes for a client's users between two versions of a spec.

``source`` reads each side (file or ``REF:path``), ``command`` runs both through
the pipeline under each side's own configuration, ``surface`` lists the
generated client's public names and where each is used, ``matching`` pairs old
and new models, ``compare`` walks operations and models, ``schema`` compares two
schemas, ``judge`` turns a change into findings, ``finding`` is one judged
change, ``rules`` holds every rule id and level, ``report`` renders text,
Markdown and JSON.
"""
